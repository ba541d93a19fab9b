// drydock.json's startAfter: findings in migrations up to and including that version are not
// reported (every rule off for them), versions compared as the tool numbers them; those files still
// teach the schema, so a later file is judged with what they created. Through `drydock check`, as
// users run it, and through the versions' comparison itself.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { compareMigrationVersions, migrationVersionOf } from '../../../src/core/model/migrationVersion';
import { runCli } from '../../support/cli';
import { writeFolder } from '../shadow/folders';

interface Checked { diagnostics: { ruleId: string; file: string }[] }

async function check(files: Record<string, string>, startAfter: unknown, args: string[] = ['db']): Promise<{ code: number | null; findings: Checked['diagnostics']; stderr: string }> {
  const root = writeFolder({ ...files, 'drydock.json': JSON.stringify({ startAfter }) });
  try {
    const run = await runCli(['check', '--json', ...args], { cwd: root });
    const findings = run.stdout ? (JSON.parse(run.stdout) as Checked).diagnostics : [];
    return { code: run.code, findings, stderr: run.stderr };
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

const byFile = (findings: Checked['diagnostics']) => [...new Set(findings.map((f) => path.basename(f.file === 'up.sql' ? path.dirname(f.file) : f.file)))].sort();

test('versions compare as the tools number them', () => {
  assert.equal(migrationVersionOf('db/007_x.sql'), '007');
  assert.equal(migrationVersionOf('migrations/2017-09-23-182408_x/up.sql'), '20170923182408');
  assert.equal(migrationVersionOf('prisma/migrations/20240101120000_init/migration.sql'), '20240101120000');
  assert.equal(migrationVersionOf('sql/V1_2__x.sql'), '1.2');
  assert.equal(migrationVersionOf('sql/R__views.sql'), null);
  assert.ok(compareMigrationVersions('10', '9') > 0, 'numbers, not text');
  assert.equal(compareMigrationVersions('007', '7'), 0);
  assert.ok(compareMigrationVersions('1.10', '1.2') > 0, 'Flyway parts as numbers');
  assert.equal(compareMigrationVersions('1.2', '1.2.0'), 0);
});

test('numbered files: the ones up to startAfter are not judged, a later one is, with the schema the old ones taught', async () => {
  const { code, findings, stderr } = await check({
    'db/001_users.sql': 'CREATE TABLE users (id int PRIMARY KEY);\n',
    'db/002_index.sql': 'CREATE INDEX users_id ON users (id);\n',
    // Judged: it comes after, and users exists (learned from 001), so the index build blocks writes to a table with rows.
    'db/003_index.sql': 'CREATE INDEX users_id2 ON users (id);\n',
  }, 2);
  assert.equal(code, 1);
  assert.deepEqual(byFile(findings), ['003_index.sql']);
  assert.ok(findings.some((f) => f.ruleId === 'require-concurrent-index-creation'), 'judged on a table the old files created');
  assert.match(stderr, /drydock: 2 file\(s\) at or before startAfter 2 \(drydock\.json\): read for the schema, not judged/);
});

test('must not: a file with the same leading digits but a later version is judged (10 after 1; V1_10 after V1_2)', async () => {
  const numbered = await check({
    'db/1_a.sql': 'CREATE TABLE a (id int);\n',
    'db/10_b.sql': 'CREATE TABLE b (id int);\n',
  }, '1');
  assert.deepEqual(byFile(numbered.findings), ['10_b.sql']);
  const flyway = await check({
    'db/V1_1__a.sql': 'CREATE TABLE a (id int);\n',
    'db/V1_2__b.sql': 'CREATE TABLE b (id int);\n',
    'db/V1_10__c.sql': 'CREATE TABLE c (id int);\n',
  }, 'V1_2');
  assert.deepEqual(byFile(flyway.findings), ['V1_10__c.sql']);
});

test('diesel folders: the folder name\'s date is the version', async () => {
  const { findings } = await check({
    'db/2020-01-01-000000_a/up.sql': 'CREATE TABLE a (id int);\n',
    'db/2021-06-01-000000_b/up.sql': 'CREATE TABLE b (id int);\n',
  }, '2020-12-31-000000');
  assert.deepEqual(findings.map((f) => path.basename(path.dirname(f.file))).filter((v, i, all) => all.indexOf(v) === i), ['2021-06-01-000000_b']);
});

test('must not: an unparseable startAfter is a config error with its place, not a silent "judge everything"', async () => {
  const root = writeFolder({ 'db/001_a.sql': 'CREATE TABLE a (id int);\n', 'drydock.json': '{\n  "startAfter": "last-release"\n}\n' });
  try {
    const run = await runCli(['check', 'db'], { cwd: root });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /invalid drydock\.json: .*drydock\.json:2:3: "startAfter" must be a migration version/);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
