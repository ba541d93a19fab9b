// `drydock new check` writes what `drydock check` accepts: the constraint added NOT VALID in one
// migration, validated in the next (its own transaction), for every tool that keeps migrations
// apart. graphile-migrate's current.sql is one migration: there the two stay together, and check
// says what that costs (it must not pass silently).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { MIGRATION_TOOLS } from '../../src/core/templates';
import { runCli } from '../support/cli';

function project(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'drydock-new-check-'));
}

for (const tool of MIGRATION_TOOLS.filter((t) => t !== 'graphile')) {
  test(`new check --tool ${tool}: drydock check reports no error on what it wrote (VALIDATE in a migration of its own)`, async () => {
    const root = project();
    try {
      const written = await runCli(['new', 'check', '--tool', tool, '--table', 'lessons', '--columns', 'status', '--values', 'draft,published', '--json'], { cwd: root });
      assert.equal(written.code, 0, written.stderr);
      const files = (JSON.parse(written.stdout) as { files: string[] }).files;
      const sql = files.filter((f) => f.endsWith('.sql')).map((f) => fs.readFileSync(path.resolve(root, f), 'utf8')).join('\n');
      assert.match(sql, /ADD CONSTRAINT chk_lessons_status CHECK \(status IN \('draft', 'published'\)\) NOT VALID/);
      assert.match(sql, /VALIDATE CONSTRAINT chk_lessons_status/);
      const checked = await runCli(['check', '--json', root], { cwd: root });
      assert.equal(checked.code, 0, checked.stdout + checked.stderr);
      const findings = (JSON.parse(checked.stdout) as { diagnostics: { ruleId: string; severity: string }[] }).diagnostics;
      assert.deepEqual(findings.filter((d) => d.severity !== 'info'), []);
      if (tool === 'sqitch') {
        const plan = fs.readFileSync(path.join(root, 'sqitch.plan'), 'utf8');
        assert.match(plan, /^add_chk_lessons_status .*\nadd_chk_lessons_status_validate /m, 'both changes are planned, in order');
      }
      const validating = files.filter((f) => /VALIDATE CONSTRAINT/.test(fs.readFileSync(path.resolve(root, f), 'utf8')));
      assert.ok(validating.every((f) => !/ADD CONSTRAINT/.test(fs.readFileSync(path.resolve(root, f), 'utf8'))), `the VALIDATE is in a file of its own: ${validating.join(', ')}`);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
}

test('new check --tool graphile keeps both in current.sql, and check does not pass it silently', async () => {
  const root = project();
  try {
    const written = await runCli(['new', 'check', '--tool', 'graphile', '--table', 'lessons', '--columns', 'status', '--values', 'draft'], { cwd: root });
    assert.equal(written.code, 0, written.stderr);
    const checked = await runCli(['check', root], { cwd: root });
    assert.equal(checked.code, 1, checked.stdout);
    assert.match(checked.stdout, /VALIDATE CONSTRAINT chk_lessons_status runs in the same transaction/);
    assert.match(fs.readFileSync(path.join(root, 'migrations', 'current.sql'), 'utf8'), /on its own this migration is only safe on a small table/);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
