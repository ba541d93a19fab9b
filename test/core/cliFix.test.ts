// `drydock check --fix` and `--diff` as users run them (the bundled CLI on a real git repository):
// --diff changes nothing and prints what `git apply` takes, and applying it gives exactly what
// --fix writes; --fix writes the migrations a fix moves statements to, numbered as the folder is,
// lists what it changed per file and judges the result; it never touches an unparsable file, a
// rule set off in drydock.json or ignored findings, and a second run changes nothing.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { runCli } from '../support/cli';

const HISTORY: Record<string, string> = {
  'db/001_accounts.sql': 'CREATE TABLE accounts (id int PRIMARY KEY, email varchar(200), created timestamp);\n',
  'db/002_index.sql': 'CREATE INDEX accounts_email ON accounts (email);\r\nALTER TABLE accounts ADD CONSTRAINT email_set CHECK (email <> \'\');\r\n',
  'db/003_broken.sql': 'CREATE TABLE t (id int;\nCREATE INDEX x ON accounts (created);\n',
  'db/004_ignored.sql': '-- drydock-ignore-file prefer-bigint-over-int: small on purpose\nCREATE TABLE small (id int)',
};

let repo = '';
beforeEach(() => {
  repo = fs.mkdtempSync(path.join(os.tmpdir(), 'drydock-fix-'));
  for (const [file, text] of Object.entries(HISTORY)) {
    fs.mkdirSync(path.dirname(path.join(repo, file)), { recursive: true });
    fs.writeFileSync(path.join(repo, file), text);
  }
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, stdio: 'pipe' });
  git('init', '-q');
  git('add', '.');
  git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'history');
});
afterEach(() => fs.rmSync(repo, { recursive: true, force: true }));

/** Every file under db/, by name. */
function snapshot(root: string): Record<string, string> {
  return Object.fromEntries(fs.readdirSync(path.join(root, 'db')).sort().map((f) => [f, fs.readFileSync(path.join(root, 'db', f), 'utf8')]));
}

test('--diff changes nothing, exits 1, and git apply of its output gives exactly what --fix writes (new migrations from /dev/null included)', async () => {
  const before = snapshot(repo);
  const diff = await runCli(['check', '--diff', 'db'], { cwd: repo });
  assert.equal(diff.code, 1, diff.stderr);
  assert.deepEqual(snapshot(repo), before, '--diff wrote nothing');
  assert.match(diff.stdout, /^--- \/dev\/null\n\+\+\+ b\/db\/005_index_concurrently\.sql$/m);
  execFileSync('git', ['apply', '--check', '-'], { cwd: repo, input: diff.stdout });
  execFileSync('git', ['apply', '-'], { cwd: repo, input: diff.stdout });
  const applied = snapshot(repo);
  execFileSync('git', ['checkout', '-q', '--', '.'], { cwd: repo });
  fs.rmSync(path.join(repo, 'db', '005_index_concurrently.sql'));
  fs.rmSync(path.join(repo, 'db', '006_index_validate.sql'));
  const fixed = await runCli(['check', '--fix', 'db'], { cwd: repo });
  assert.deepEqual(snapshot(repo), applied);
  assert.equal(fixed.code, 2, 'the unparsable file still decides the exit code');
});

test('--fix writes the fixes and the new migrations, lists them per file on stderr, keeps CRLF, and judges the result', async () => {
  const result = await runCli(['check', '--fix', 'db'], { cwd: repo });
  const files = snapshot(repo);
  assert.equal(files['001_accounts.sql'], 'CREATE TABLE accounts (id bigint PRIMARY KEY, email text, created timestamptz);\n');
  assert.equal(files['002_index.sql'], 'SET lock_timeout = \'5s\';\r\nALTER TABLE accounts ADD CONSTRAINT email_set CHECK (email <> \'\') NOT VALID;\r\n');
  assert.equal(files['005_index_concurrently.sql'], '-- drydock:no-transaction\nCREATE INDEX CONCURRENTLY IF NOT EXISTS accounts_email ON accounts (email);\n');
  assert.equal(files['006_index_validate.sql'], 'ALTER TABLE accounts VALIDATE CONSTRAINT email_set;\n');
  assert.match(result.stderr, /^db\/001_accounts\.sql: 3 fix\(es\) applied\n {2}- Use bigint\n {2}- Use text\n {2}- Use timestamptz$/m);
  assert.match(result.stderr, /^db\/005_index_concurrently\.sql: new migration, /m);
  assert.match(result.stderr, /^db\/003_broken\.sql: not fixed: the parser cannot read it$/m);
  // The report is the check of the fixed files.
  assert.match(result.stdout, /statements in 6 file\(s\)/);
  assert.doesNotMatch(result.stdout, /require-concurrent-index-creation/);
});

test('must not: --fix leaves an unparsable file and a file whose findings are all ignored byte for byte, and a second run changes nothing', async () => {
  await runCli(['check', '--fix', 'db'], { cwd: repo });
  const files = snapshot(repo);
  assert.equal(files['003_broken.sql'], HISTORY['db/003_broken.sql']);
  assert.equal(files['004_ignored.sql'], HISTORY['db/004_ignored.sql']);
  const again = await runCli(['check', '--fix', 'db'], { cwd: repo });
  assert.deepEqual(snapshot(repo), files, 'idempotent');
  assert.match(again.stderr, /drydock: nothing to fix/);
  const diff = await runCli(['check', '--diff', 'db'], { cwd: repo });
  assert.equal(diff.stdout, '');
  assert.equal(diff.code, 0);
});

test('must not: a rule set "off" in drydock.json gets no fix (and --diff shows none)', async () => {
  fs.writeFileSync(path.join(repo, 'drydock.json'), JSON.stringify({ rules: { 'prefer-text-field': 'off', 'prefer-timestamp-tz': 'off' } }));
  const diff = await runCli(['check', '--diff', 'db/001_accounts.sql'], { cwd: repo });
  assert.match(diff.stdout, /^\+CREATE TABLE accounts \(id bigint PRIMARY KEY, email varchar\(200\), created timestamp\);$/m);
  await runCli(['check', '--fix', 'db/001_accounts.sql'], { cwd: repo });
  assert.equal(snapshot(repo)['001_accounts.sql'], 'CREATE TABLE accounts (id bigint PRIMARY KEY, email varchar(200), created timestamp);\n');
});

test('--fix with --diff is a usage error (exit 2)', async () => {
  const result = await runCli(['check', '--fix', '--diff', 'db'], { cwd: repo });
  assert.equal(result.code, 2);
  assert.match(result.stderr, /give one of them/);
});
