// The pre-commit hooks (.pre-commit-hooks.yaml) run as the pre-commit framework runs a hook of
// language `system`: its entry split into words, then its args, then (pass_filenames) the staged
// files that match its `files` pattern, in the repository's root, with `drydock` found on the PATH
// (here a shim that starts the built CLI). On a real git repository with staged changes.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import yaml from 'js-yaml';
import { repoRoot } from '../../support/database';
import { gitRepo, GIT_ENV, type GitRepo } from '../../support/gitRepo';

interface Hook { id: string; entry: string; language: string; files: string; pass_filenames?: boolean; args?: string[]; require_serial?: boolean }
const hooks = yaml.load(fs.readFileSync(path.join(repoRoot, '.pre-commit-hooks.yaml'), 'utf8')) as Hook[];
const hook = (id: string): Hook => hooks.find((h) => h.id === id)!;

let repo: GitRepo;
let bin = '';
beforeEach(() => {
  repo = gitRepo('drydock-precommit-');
  repo.write({ 'migrations/001_users.sql': 'CREATE TABLE users (id bigint PRIMARY KEY, email varchar(50));\n', 'README.md': 'x\n' });
  repo.commit('base');
  bin = fs.mkdtempSync(path.join(os.tmpdir(), 'drydock-bin-'));
  fs.writeFileSync(path.join(bin, 'drydock'), `#!/bin/sh\nexec "${process.execPath}" "${path.join(repoRoot, 'dist', 'cli.js')}" "$@"\n`, { mode: 0o755 });
});
afterEach(() => {
  repo.remove();
  fs.rmSync(bin, { recursive: true, force: true });
});

/** What pre-commit runs for a hook: entry words, args, the staged files its pattern matches. */
async function runHook(h: Hook, args = h.args ?? []): Promise<{ code: number | null; output: string; files: string[] }> {
  const staged = repo.git('diff', '--cached', '--name-only', '--diff-filter=ACMR', '-z').split('\0').filter(Boolean);
  const files = h.pass_filenames === false ? [] : staged.filter((f) => new RegExp(h.files).test(f));
  const [command, ...entryArgs] = h.entry.split(/\s+/);
  const child = spawn(command!, [...entryArgs, ...args, ...files], {
    cwd: repo.dir, env: { PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}`, HOME: bin, ...GIT_ENV }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => { output += d; });
  child.stderr.on('data', (d) => { output += d; });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, output, files };
}

test('the hooks are system hooks on .sql files, run serially (files are checked in order, together)', () => {
  assert.deepEqual(hooks.map((h) => h.id), ['drydock-check', 'drydock-check-changed']);
  for (const h of hooks) {
    assert.equal(h.language, 'system');
    assert.ok(new RegExp(h.files).test('db/migrations/001_x.sql'));
    assert.ok(!new RegExp(h.files).test('README.md'));
    assert.equal(h.require_serial, true);
    assert.match(h.entry, /^drydock check\b/);
  }
});

test('drydock-check: a staged risky migration fails the commit (exit 1) and names it; a staged safe one passes; other staged files are not passed', async () => {
  repo.write({ 'migrations/002_index.sql': 'CREATE INDEX users_email ON users (email);\n', 'README.md': 'changed\n' });
  repo.git('add', '-A');
  const risky = await runHook(hook('drydock-check'));
  assert.deepEqual(risky.files, ['migrations/002_index.sql']);
  assert.equal(risky.code, 1, risky.output);
  assert.match(risky.output, /migrations\/002_index\.sql:1:1: error: .*\[require-concurrent-index-creation\]/);
  repo.write({ 'migrations/002_index.sql': 'CREATE INDEX CONCURRENTLY users_email ON users (email);\n' });
  repo.git('add', '-A');
  const safe = await runHook(hook('drydock-check'));
  assert.equal(safe.code, 0, safe.output);
});

test('drydock-check-changed: judges the staged and new migrations with the schema of the folder learned, not the committed ones', async () => {
  // Widening a varchar is safe, which only the learned 001 shows; 001 itself (committed) is not judged.
  repo.write({ 'migrations/002_widen.sql': 'ALTER TABLE users ALTER COLUMN email TYPE varchar(100);\n' });
  repo.git('add', '-A');
  const result = await runHook(hook('drydock-check-changed'));
  assert.equal(result.code, 0, result.output);
  assert.match(result.output, /statements in 1 file\(s\), 0 error\(s\)/);
  assert.doesNotMatch(result.output, /001_users\.sql/);
  // The same file passed alone, as drydock-check does, is judged without the schema: a rewrite.
  const alone = await runHook(hook('drydock-check'));
  assert.equal(alone.code, 1);
  assert.match(alone.output, /changing-column-type/);
  // The folder is the hook's args, which a project's .pre-commit-config.yaml sets.
  const elsewhere = await runHook(hook('drydock-check-changed'), ['no-such-folder']);
  assert.equal(elsewhere.code, 2);
});
