// The bundled CLI on the shadow: with nothing configured a dry-run goes to PGlite, the report names
// it, the snapshot lands in the user's cache dir and the process exits (PGlite closed); an endless
// statement is stopped by --statement-timeout or Ctrl-C (PGlite runs in a worker the CLI ends).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { writeFolder } from './folders';
import { runCli, startCli, type CliResult } from '../../support/cli';

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'drydock-cli-home-'));
after(() => fs.rmSync(home, { recursive: true, force: true }));

const drydock = (args: string[], cwd: string): Promise<CliResult> => runCli(args, { cwd, env: { HOME: home } });

test('dry-run with no connection configured runs on the PGlite shadow, names it, caches the prefix in ~/.cache and exits', async () => {
  const root = writeFolder({
    'migrations/001_accounts.sql': 'CREATE TABLE accounts (id int PRIMARY KEY, email text);\n',
    'migrations/002_email.sql': 'CREATE UNIQUE INDEX accounts_email ON accounts (email);\n',
  });
  const first = await drydock(['dry-run', '--no-color', 'migrations/002_email.sql'], root);
  assert.equal(first.code, 0, first.stdout + first.stderr);
  assert.match(first.stdout.split('\n')[0]!, / · server: PGlite 18\.\d+ \(shadow\)$/, 'the verdict line names the shadow');
  assert.match(first.stdout, /shadow: 1 earlier plain migration\(s\) applied first \(1 replayed/);
  // PGlite runs in a worker the CLI ends to cancel or to enforce statement_timeout: only the second session is missing.
  assert.match(first.stdout, /this shadow cannot open a second session \(lock contention\)$/m);
  assert.match(first.stdout, /ok +migrations\/002_email\.sql:1 +CREATE UNIQUE INDEX/);
  const cached = fs.readdirSync(path.join(home, '.cache', 'drydock', 'shadow'));
  assert.equal(cached.length, 1);
  const second = await drydock(['dry-run', '--json', 'migrations/002_email.sql'], root);
  assert.equal(second.code, 0);
  const report = JSON.parse(second.stdout) as { shadow: { restored: number; replayed: number }; committed: boolean };
  assert.deepEqual([report.shadow.restored, report.shadow.replayed, report.committed], [1, 0, false]);
  fs.rmSync(root, { recursive: true, force: true });
});

test('dry-run 004 while 003 fails: the text leads with the history\'s failure, 004 is dry-run on the state before 003, JSON says the same, and the exit code is 1', async () => {
  const root = writeFolder({
    'migrations/001_orders.sql': 'CREATE TABLE orders (id int PRIMARY KEY, qty int);\nINSERT INTO orders VALUES (1, 1), (2, -1);\n',
    'migrations/002_note.sql': 'ALTER TABLE orders ADD COLUMN note text;\n',
    'migrations/003_positive.sql': 'ALTER TABLE orders ADD CONSTRAINT qty_positive CHECK (qty > 0);\n',
    'migrations/004_target.sql': "UPDATE orders SET note = 'seen';\n",
  });
  const text = await drydock(['dry-run', '--no-color', 'migrations/004_target.sql'], root);
  assert.equal(text.code, 1, 'the history fails, so the command does');
  const lines = text.stdout.split('\n');
  const history = lines.findIndex((l) => l.startsWith('history: earlier migration migrations/003_positive.sql failed; this is the history\'s error, not the files\''));
  assert.ok(history > 0 && history < lines.indexOf('Statements:'), text.stdout);
  assert.match(text.stdout, /shadow: 2 earlier plain migration\(s\) applied first/);
  assert.match(text.stdout, /SQLSTATE 23514\) at migrations\/003_positive\.sql:1/);
  assert.match(text.stdout, /dry-run anyway, on the state before migrations\/003_positive\.sql \(2 earlier migrations applied; not applied: migrations\/003_positive\.sql\)/);
  assert.match(text.stdout, /ok +migrations\/004_target\.sql:1 +UPDATE .*2 rows/);
  assert.match(lines.filter((l) => l !== '').at(-1) ?? '', /^succeeded: rolled back, \d+ ms; the history failed at migrations\/003_positive\.sql/);
  const json = await drydock(['dry-run', '--json', 'migrations/004_target.sql'], root);
  assert.equal(json.code, 1);
  const report = JSON.parse(json.stdout) as { outcome: string; committed: boolean; error?: unknown; historyFailure: { file: string; applied: number; filesRan: boolean; error: { sqlstate: string } } };
  assert.deepEqual([report.outcome, report.committed, report.error], ['succeeded', false, undefined]);
  assert.deepEqual([report.historyFailure.file, report.historyFailure.error.sqlstate, report.historyFailure.applied, report.historyFailure.filesRan], ['migrations/003_positive.sql', '23514', 2, true]);
  fs.rmSync(root, { recursive: true, force: true });
});

test('--shadow is for dry-run only', async () => {
  const result = await drydock(['apply', '--shadow', '--yes', 'x.sql'], os.tmpdir());
  assert.equal(result.code, 2);
  assert.match(result.stderr, /--shadow and --shadow-db are for dry-run only/);
});

test('dry-run DIR runs the folder\'s migrations as its tool lists them: diesel versions without dashes, no down.sql, no loose file', async () => {
  const root = writeFolder({
    'migrations/20170820000000_create_emails/up.sql': 'CREATE TABLE emails (id int, email text);\n',
    'migrations/20170820000000_create_emails/down.sql': 'DROP TABLE emails;\n',
    'migrations/2017-09-23-182408_add_token/up.sql': 'ALTER TABLE emails ADD COLUMN token text;\n',
    'migrations/2017-09-23-182408_add_token/down.sql': 'ALTER TABLE emails DROP COLUMN token;\n',
    // Loose files diesel never runs (crates.io keeps a data script and a README there).
    'migrations/data_backfill.sql': 'UPDATE emails SET token = NULL;\n',
    'migrations/README.md': 'notes\n',
  });
  const result = await drydock(['dry-run', '--json', 'migrations'], root);
  assert.equal(result.code, 0, result.stdout + result.stderr);
  const report = JSON.parse(result.stdout) as { files: string[]; outcome: string; statements: { sql: string; status: string }[] };
  assert.deepEqual(report.files.map((f) => f.split(path.sep).join('/')), ['migrations/20170820000000_create_emails/up.sql', 'migrations/2017-09-23-182408_add_token/up.sql']);
  assert.deepEqual(report.statements.map((s) => s.status), ['ok', 'ok']);
  // check reads every .sql file of the folder, the down ones and the loose one too.
  const checked = await drydock(['check', '--no-color', 'migrations'], root);
  assert.match(checked.stdout, /5 statements in 5 file\(s\)/);
  fs.rmSync(root, { recursive: true, force: true });
});

/** Runs the CLI, killing it if it hangs (a guard, not a timing assertion: a hung run ends with code null). */
async function drydockOrHang(args: string[], cwd: string): Promise<CliResult> {
  const cli = startCli(args, { cwd, env: { HOME: home } });
  const guard = setTimeout(() => cli.child.kill('SIGKILL'), 120_000);
  try {
    return await cli.result;
  } finally {
    clearTimeout(guard);
  }
}

test('a FIFO named *.sql in the folder is skipped, and said so: neither dry-run DIR nor the shadow\'s history listing waits on it', async () => {
  const root = writeFolder({
    'migrations/001_accounts.sql': 'CREATE TABLE accounts (id int PRIMARY KEY);\n',
    'migrations/003_email.sql': 'ALTER TABLE accounts ADD COLUMN email text;\n',
  });
  execFileSync('mkfifo', [path.join(root, 'migrations', '002_pipe.sql')]);
  const folder = await drydockOrHang(['dry-run', '--json', 'migrations'], root);
  assert.equal(folder.code, 0, folder.stdout + folder.stderr);
  const report = JSON.parse(folder.stdout) as { files: string[]; outcome: string };
  assert.deepEqual(report.files, ['migrations/001_accounts.sql', 'migrations/003_email.sql']);
  assert.match(folder.stderr, /^drydock: skipped migrations\/002_pipe\.sql: it is a FIFO, not a regular file$/m);
  const file = await drydockOrHang(['dry-run', '--json', 'migrations/003_email.sql'], root);
  assert.equal(file.code, 0, file.stdout + file.stderr);
  assert.equal((JSON.parse(file.stdout) as { shadow: { history: number } }).shadow.history, 1);
  assert.match(file.stderr, /^drydock: skipped migrations\/002_pipe\.sql: it is a FIFO, not a regular file$/m);
  const named = await drydockOrHang(['dry-run', 'migrations/002_pipe.sql'], root);
  assert.equal(named.code, 2);
  assert.match(named.stderr, /cannot read migrations\/002_pipe\.sql: not a regular file/);
  fs.rmSync(root, { recursive: true, force: true });
});

const ENDLESS = 'DO $$ BEGIN LOOP END LOOP; END $$;\n';

test('an endless DO loop on the PGlite shadow is stopped at --statement-timeout, reported at its line, and the next dry-run works', async () => {
  const root = writeFolder({
    'migrations/001_accounts.sql': 'CREATE TABLE accounts (id int PRIMARY KEY);\n',
    'migrations/002_endless.sql': `SELECT 1;\n${ENDLESS}`,
  });
  const stopped = await drydockOrHang(['dry-run', '--no-color', '--statement-timeout', '5s', 'migrations/002_endless.sql'], root);
  assert.equal(stopped.code, 1, stopped.stdout + stopped.stderr);
  assert.match(stopped.stdout, /57014/);
  assert.match(stopped.stdout, /canceling statement due to statement timeout/);
  assert.match(stopped.stdout, /migrations\/002_endless\.sql:2/);
  fs.writeFileSync(path.join(root, 'migrations', '002_endless.sql'), 'INSERT INTO accounts VALUES (1);\n');
  const next = await drydockOrHang(['dry-run', '--json', 'migrations/002_endless.sql'], root);
  assert.equal(next.code, 0, next.stdout + next.stderr);
  assert.equal((JSON.parse(next.stdout) as { outcome: string }).outcome, 'succeeded');
  fs.rmSync(root, { recursive: true, force: true });
});

test('Ctrl-C stops an endless DO loop on the PGlite shadow: the run is reported cancelled and the process exits', async () => {
  const root = writeFolder({
    'migrations/001_accounts.sql': 'CREATE TABLE accounts (id int PRIMARY KEY);\n',
    'migrations/002_endless.sql': ENDLESS,
  });
  const cacheHome = fs.mkdtempSync(path.join(os.tmpdir(), 'drydock-cli-home-'));
  const cache = path.join(cacheHome, '.cache', 'drydock', 'shadow');
  const cli = startCli(['dry-run', '--no-color', 'migrations/002_endless.sql'], { cwd: root, env: { HOME: cacheHome } });
  const guard = setTimeout(() => cli.child.kill('SIGKILL'), 120_000);
  try {
    // The history's snapshot is written once the replay is done: the target (the loop) runs next.
    const snapshotWritten = () => fs.existsSync(cache) && fs.readdirSync(cache).some((f) => f.endsWith('.tar'));
    while (!snapshotWritten() && cli.child.exitCode === null) await new Promise((resolve) => setTimeout(resolve, 50));
    cli.child.kill('SIGINT');
    const result = await cli.result;
    assert.equal(result.code, 1, result.stdout + result.stderr);
    assert.match(result.stdout, /^cancelled: /m);
  } finally {
    clearTimeout(guard);
    fs.rmSync(cacheHome, { recursive: true, force: true });
    fs.rmSync(root, { recursive: true, force: true });
  }
});
