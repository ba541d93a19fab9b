// The bundled CLI on the shadow: with nothing configured a dry-run goes to PGlite, the report names
// it, the snapshot lands in the user's cache dir and the process exits (PGlite closed).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { writeFolder } from './folders';
import { runCli, type CliResult } from '../../support/cli';

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
  assert.match(first.stdout, /\(server: PGlite 18\.\d+ \(shadow\)\)/);
  assert.match(first.stdout, /shadow: 1 earlier plain migration\(s\) applied first \(1 replayed/);
  assert.match(first.stdout, /this shadow cannot cancel a running statement, open a second session \(lock contention\), enforce lock_timeout\/statement_timeout/);
  assert.match(first.stdout, /ok +migrations\/002_email\.sql:1 +CREATE UNIQUE INDEX/);
  const cached = fs.readdirSync(path.join(home, '.cache', 'drydock', 'shadow'));
  assert.equal(cached.length, 1);
  const second = await drydock(['dry-run', '--json', 'migrations/002_email.sql'], root);
  assert.equal(second.code, 0);
  const report = JSON.parse(second.stdout) as { shadow: { restored: number; replayed: number }; committed: boolean };
  assert.deepEqual([report.shadow.restored, report.shadow.replayed, report.committed], [1, 0, false]);
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
