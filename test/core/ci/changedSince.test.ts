// `check --changed-since REF` on real git repositories: only the migrations a branch adds, changes
// or renames are judged (plus what is not committed yet); every other file of the folder still
// teaches the schema. Renames, deletions, files outside the folder, a missing REF, no repository.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { runCli, type CliResult } from '../../support/cli';
import { gitRepo, GIT_ENV, type GitRepo } from '../../support/gitRepo';

interface Finding { ruleId: string; file: string; severity: string; range: { start: { line: number } } }
interface Report { files: string[]; diagnostics: Finding[] }

let repo: GitRepo;
beforeEach(() => {
  repo = gitRepo();
  repo.write({
    'migrations/001_users.sql': 'CREATE TABLE users (id bigint PRIMARY KEY, email varchar(50));\n',
    // An error of the old history, already deployed: never judged by a branch that does not touch it.
    'migrations/002_old_index.sql': 'CREATE INDEX users_email ON users (email);\n',
    'README.md': 'docs\n',
  });
  repo.commit('base');
  repo.git('checkout', '-q', '-b', 'feature');
});
afterEach(() => repo.remove());

const check = (args: string[], cwd = repo.dir): Promise<CliResult> => runCli(['check', '--json', ...args], { cwd, env: GIT_ENV });
const reportOf = (result: CliResult): Report => JSON.parse(result.stdout) as Report;

test('only the migration the branch adds is judged, with the schema learned from the earlier ones', async () => {
  // Widening a varchar rewrites nothing: known only from 001's column type, learned and not judged.
  repo.write({ 'migrations/003_widen.sql': 'ALTER TABLE users ALTER COLUMN email TYPE varchar(100);\n' });
  repo.commit('widen');
  const result = await check(['--changed-since', 'main', 'migrations']);
  assert.equal(result.code, 0, result.stderr);
  const report = reportOf(result);
  assert.deepEqual(report.files, ['migrations/003_widen.sql']);
  assert.ok(report.diagnostics.every((d) => d.file === 'migrations/003_widen.sql'));
  assert.ok(!report.diagnostics.some((d) => d.ruleId === 'changing-column-type'), 'the schema was learned');
  // Alone, without the history, the same file is judged as a rewrite: the learning is what made the difference.
  const alone = await check(['migrations/003_widen.sql']);
  assert.ok(reportOf(alone).diagnostics.some((d) => d.ruleId === 'changing-column-type'));
});

test('the findings of a changed file equal those of a check of the whole folder, later files counted too', async () => {
  repo.write({
    'migrations/003_orders.sql': 'CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint);\n',
    'migrations/004_fk.sql': 'ALTER TABLE orders ADD CONSTRAINT orders_user FOREIGN KEY (user_id) REFERENCES users (id);\n',
    'migrations/005_fk_index.sql': 'CREATE INDEX CONCURRENTLY orders_user_id ON orders (user_id);\n',
  });
  repo.commit('orders');
  repo.git('checkout', '-q', '-b', 'touch-004');
  repo.write({ 'migrations/004_fk.sql': 'ALTER TABLE orders ADD CONSTRAINT orders_user FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;\n' });
  repo.commit('not valid');
  const changed = reportOf(await check(['--changed-since', 'feature', 'migrations']));
  const whole = reportOf(await check(['migrations']));
  assert.deepEqual(changed.files, ['migrations/004_fk.sql']);
  assert.deepEqual(changed.diagnostics, whole.diagnostics.filter((d) => d.file === 'migrations/004_fk.sql'));
});

test('renamed and modified migrations are judged; deleted ones, unchanged ones and files outside the folder are not', async () => {
  repo.write({ 'migrations/003_a.sql': 'CREATE TABLE a (id bigint PRIMARY KEY);\n', 'migrations/004_b.sql': 'CREATE TABLE b (id bigint PRIMARY KEY);\n' });
  const base = repo.commit('a and b');
  repo.git('mv', 'migrations/003_a.sql', 'migrations/003_a_renamed.sql');
  repo.git('rm', '-q', 'migrations/004_b.sql');
  repo.write({
    'migrations/001_users.sql': 'CREATE TABLE users (id bigint PRIMARY KEY, email varchar(50));\nCREATE INDEX users_id2 ON users (id);\n',
    'README.md': 'more docs\n',
    'other/unrelated.sql': 'DROP TABLE users;\n',
  });
  repo.commit('rename, delete, modify');
  const report = reportOf(await check(['--changed-since', base, 'migrations']));
  assert.deepEqual(report.files, ['migrations/001_users.sql', 'migrations/003_a_renamed.sql']);
  assert.ok(report.diagnostics.some((d) => d.file === 'migrations/001_users.sql' && d.ruleId === 'prefer-text-field'));
  assert.ok(!report.diagnostics.some((d) => d.file === 'migrations/002_old_index.sql'), 'the unchanged file is not judged');
});

test('uncommitted changes and untracked files count as changed; ignored files do not', async () => {
  repo.write({ '.gitignore': 'migrations/scratch_*.sql\n' });
  repo.commit('ignore scratch');
  repo.write({
    'migrations/003_untracked.sql': 'CREATE INDEX users_email2 ON users (email);\n',
    'migrations/002_old_index.sql': 'CREATE INDEX users_email ON users (email);\n-- edited, not committed\n',
    'migrations/scratch_1.sql': 'DROP TABLE users;\n',
  });
  const report = reportOf(await check(['--changed-since', 'main', 'migrations']));
  assert.deepEqual(report.files, ['migrations/002_old_index.sql', 'migrations/003_untracked.sql']);
});

test('nothing changed: exit 0, an empty report, and stderr says so', async () => {
  const result = await check(['--changed-since', 'main', 'migrations']);
  assert.equal(result.code, 0, result.stderr);
  assert.deepEqual(reportOf(result), { files: [], diagnostics: [], statements: [] });
  assert.match(result.stderr, /no migration among the files given changed since main/);
});

test('a REF that is no commit, or an option-like REF, is a usage error (exit 2) that says so', async () => {
  for (const ref of ['no-such-branch', '--output=/tmp/x', 'HEAD~99']) {
    const result = await check([`--changed-since=${ref}`, 'migrations']);
    assert.equal(result.code, 2, ref);
    assert.match(result.stderr, /no such commit in this repository/);
    assert.equal(result.stdout, '');
  }
});

test('outside a git repository: a usage error naming the folder; the repository is found from the folder given, not the current directory', async () => {
  const plain = fs.mkdtempSync(path.join(os.tmpdir(), 'drydock-nogit-'));
  try {
    fs.mkdirSync(path.join(plain, 'migrations'));
    fs.writeFileSync(path.join(plain, 'migrations', '001.sql'), 'SELECT 1;\n');
    const result = await check(['--changed-since', 'main', 'migrations'], plain);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--changed-since needs a git repository: .* is not in one/);
    repo.write({ 'migrations/003_x.sql': 'CREATE INDEX users_x ON users (email);\n' });
    const fromElsewhere = await check(['--changed-since', 'main', path.join(repo.dir, 'migrations')], plain);
    assert.deepEqual(reportOf(fromElsewhere).files, [path.join(repo.dir, 'migrations', '003_x.sql')]);
  } finally {
    fs.rmSync(plain, { recursive: true, force: true });
  }
});
