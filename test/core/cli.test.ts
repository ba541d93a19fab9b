import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { describeEachServer, exampleMigrations, repoRoot, seededDatabase, sql } from '../support/database';
import { runCli, type CliResult } from '../support/cli';

const examples = () => exampleMigrations().map((f) => path.join(repoRoot, f.path));

const drydock = (args: string[], env: Record<string, string> = {}): Promise<CliResult> => runCli(args, { env });

test('check without a database: gcc-style lines, exit 1 for error findings (the examples build indexes without CONCURRENTLY), 0 when clean, 2 for parse errors', async () => {
  const examplesRun = await drydock(['check', '--no-color', ...examples()]);
  assert.equal(examplesRun.code, 1, examplesRun.stderr);
  assert.match(examplesRun.stdout, /^\S*001_add_missing_indexes\.sql:2:1: error: Use CREATE INDEX CONCURRENTLY: writes to conversation_messages wait for this whole build\. Takes SHARE on conversation_messages \(blocks writes\).* \[require-concurrent-index-creation\]$/m);
  assert.match(examplesRun.stdout, /19 statements in 5 file\(s\), \d+ error\(s\)/);
  const folder = await drydock(['check', '--no-color', path.join(repoRoot, 'examples', 'seed-app', 'migrations')]);
  assert.equal(folder.stdout, examplesRun.stdout, 'a folder is walked in name order, like the files given one by one');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drydock-check-'));
  try {
    fs.writeFileSync(path.join(dir, '001_safe.sql'), "SET lock_timeout = '5s';\nALTER TABLE lessons ADD COLUMN note text DEFAULT 'none';\n");
    const clean = await drydock(['check', dir]);
    assert.equal(clean.code, 0, clean.stdout + clean.stderr);
    assert.match(clean.stdout, /2 statements in 1 file\(s\), 0 error\(s\)/);
    const old = await drydock(['check', '--pg-version', '10', dir]);
    assert.equal(old.code, 1, 'a constant default rewrites the table before PostgreSQL 11');
    assert.match(old.stdout, /001_safe\.sql:2:1: error: Add the column without this default, then backfill in batches: ADD COLUMN on lessons rewrites it, since before PostgreSQL 11 \(target: 10\).*\[adding-field-with-default\]/);
    fs.writeFileSync(path.join(dir, 'drydock.json'), JSON.stringify({ pgVersion: 10, rules: { 'adding-field-with-default': 'warning' } }));
    const configured = await drydock(['check', dir]);
    assert.equal(configured.code, 0, configured.stdout);
    assert.match(configured.stdout, /001_safe\.sql:2:1: warning: Add the column without this default.*since before PostgreSQL 11/);
    fs.writeFileSync(path.join(dir, 'drydock.json'), '{\n  "rules": { "adding-field-with-default": "loud" }\n}\n');
    const broken = await drydock(['check', dir]);
    assert.equal(broken.code, 2);
    assert.match(broken.stderr, /invalid drydock\.json: .*drydock\.json:2:14: "rules\.adding-field-with-default" must be one of off, info, warning, error, got "loud"/);
    fs.writeFileSync(path.join(dir, 'drydock.json'), JSON.stringify({ exclude: ['001_*.sql'] }));
    fs.writeFileSync(path.join(dir, '002_drop.sql'), 'DROP TABLE lessons;\n');
    const excluded = await drydock(['check', dir]);
    assert.match(excluded.stdout, /1 statements in 1 file\(s\)/);
    assert.match(excluded.stdout, /002_drop\.sql:1:1: warning: .*DROP TABLE lessons/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const bad = await drydock(['check', path.join(repoRoot, 'test/fixtures/meta-command.sql'), path.join(repoRoot, 'test/fixtures/syntax-error.sql')]);
  assert.equal(bad.code, 2);
  assert.match(bad.stdout, /meta-command\.sql:1:1: error: Write the SQL this stands for: it is a psql meta-command, not SQL.* \[psql-meta-command\]/);
  assert.match(bad.stdout, /syntax-error\.sql:3:1: error: Syntax error: syntax error at or near "CREAT" \[syntax-error\]/);
  const badVersion = await drydock(['check', '--pg-version', 'new', 'x.sql']);
  assert.equal(badVersion.code, 2);
  assert.match(badVersion.stderr, /--pg-version must be a PostgreSQL major version/);
});

test('usage errors exit 2 with a clear message', async () => {
  const none = await drydock([]);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /usage: drydock/);
  const unknown = await drydock(['launch', 'x.sql']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown command: launch/);
  const missing = await drydock(['check', 'does-not-exist.sql']);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /cannot read does-not-exist\.sql: no such file or directory \(ENOENT\)/);
  const badTimeout = await drydock(['dry-run', '--lock-timeout', 'soon', 'x.sql']);
  assert.equal(badTimeout.code, 2);
  assert.match(badTimeout.stderr, /--lock-timeout must be a number/);
});

describeEachServer('drydock CLI', (server) => {
  test('dry-run --json prints the report; nothing is committed; the password never appears', async () => {
    const url = server().url(await seededDatabase(server()));
    const result = await drydock(['dry-run', '--json', '--db', url, ...examples()]);
    assert.equal(result.code, 0, result.stderr);
    const report = JSON.parse(result.stdout);
    assert.equal(report.mode, 'dry-run');
    assert.equal(report.committed, false);
    assert.equal(report.statements.length, 19);
    assert.equal(report.verification.length, 20);
    assert.doesNotMatch(result.stdout + result.stderr, new RegExp(server().password));
    assert.deepEqual(await sql(url, "SELECT 1 FROM pg_indexes WHERE indexname LIKE 'idx\\_%'"), []);
  });

  test('apply needs --yes off a terminal, then commits; a failing migration exits 1 with a readable explanation', async () => {
    const url = server().url(await seededDatabase(server()));
    const refused = await drydock(['apply', ...examples()], { DATABASE_URL: url });
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /apply needs --yes/);
    const applied = await drydock(['apply', '--yes', ...examples()], { DATABASE_URL: url });
    assert.equal(applied.code, 0, applied.stdout + applied.stderr);
    assert.match(applied.stdout, /succeeded: committed/);
    assert.equal((await sql(url, "SELECT 1 FROM pg_indexes WHERE indexname = 'uq_conversation_messages_session_id_message_order'")).length, 1);
    const dirty = server().url(await seededDatabase(server()));
    await sql(dirty, "INSERT INTO lessons (title, difficulty_level) VALUES ('too hard', 9)");
    const failed = await drydock(['dry-run', '--no-color', ...examples()], { DATABASE_URL: dirty });
    assert.equal(failed.code, 1);
    assert.match(failed.stdout, /Data conflict: Check violation \(SQLSTATE 23514\) at .*003_add_check_constraints\.sql:29:1/);
    assert.match(failed.stdout, /fix query:/);
    assert.match(failed.stdout, /"title":"too hard"/);
    assert.doesNotMatch(failed.stdout + failed.stderr, new RegExp(server().password));
  });

  test('dry-run judges each file by its drydock.json, as check does; a bad one is refused before connecting', async () => {
    const url = server().url(await seededDatabase(server()));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drydock-config-run-'));
    try {
      const file = path.join(dir, '001_drop.sql');
      fs.writeFileSync(file, 'DROP TABLE lessons CASCADE;\n');
      const ruleIds = (stdout: string) => (JSON.parse(stdout) as { diagnostics: { ruleId: string; severity: string }[] }).diagnostics.map((d) => `${d.ruleId}:${d.severity}`);
      const plain = await drydock(['dry-run', '--json', '--db', url, file]);
      assert.equal(plain.code, 0, plain.stderr);
      assert.ok(ruleIds(plain.stdout).includes('ban-drop-table:warning'), plain.stdout);
      fs.writeFileSync(path.join(dir, 'drydock.json'), JSON.stringify({ rules: { 'ban-drop-table': 'off' } }));
      const configured = await drydock(['dry-run', '--json', '--db', url, file]);
      assert.equal(configured.code, 0, configured.stderr);
      assert.ok(!ruleIds(configured.stdout).some((id) => id.startsWith('ban-drop-table')), configured.stdout);
      const checked = await drydock(['check', '--json', file]);
      assert.ok(!checked.stdout.includes('ban-drop-table'), 'check agrees');
      fs.writeFileSync(path.join(dir, 'drydock.json'), '{ "rules": 3 }');
      const broken = await drydock(['dry-run', '--db', 'postgres://nobody@127.0.0.1:1/none', file]);
      assert.equal(broken.code, 2);
      assert.match(broken.stderr, /invalid drydock\.json: .*drydock\.json:1:3: "rules" must be an object/);
      assert.deepEqual(await sql(url, "SELECT 1 FROM pg_tables WHERE tablename = 'lessons'"), [{ '?column?': 1 }], 'the dry-run dropped nothing');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('--statement-timeout takes PostgreSQL units and reaches the server: 50ms stops a 2 s sleep with 57014', async () => {
    const url = server().url(await seededDatabase(server()));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drydock-sleep-'));
    try {
      fs.writeFileSync(path.join(dir, 'sleep.sql'), 'SELECT pg_sleep(2);\n');
      const result = await drydock(['dry-run', '--json', '--statement-timeout', '50ms', '--lock-timeout', '1min', path.join(dir, 'sleep.sql')], { DATABASE_URL: url });
      assert.equal(result.code, 1, result.stderr);
      assert.equal(JSON.parse(result.stdout).error.sqlstate, '57014');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('connection from PG* variables and ~/.pgpass when no URL is given', async () => {
    const database = await seededDatabase(server());
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'drydock-home-'));
    try {
      fs.writeFileSync(path.join(home, '.pgpass'), `127.0.0.1:${server().port}:*:${server().user}:${server().password}\n`, { mode: 0o600 });
      const env = { HOME: home, PGHOST: '127.0.0.1', PGPORT: String(server().port), PGUSER: server().user, PGDATABASE: database };
      const result = await drydock(['verify', '--json', ...examples()], env);
      assert.equal(result.code, 1, result.stderr);
      const report = JSON.parse(result.stdout);
      assert.equal(report.server.database, database);
      assert.equal(report.verification.find((c: { name: string }) => c.name === 'chk_lessons_difficulty_level').status, 'missing');
      // Declared under IF NOT EXISTS (… conname = 'chk_lessons_status'): absent, the guard would have added it.
      assert.equal(report.verification.find((c: { name: string }) => c.name === 'chk_lessons_status').status, 'missing');
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  });

  test('a wrong password or an unreachable server exits 2 and masks the password', async () => {
    const wrong = server().url().replace(`:${server().password}@`, ':not-the-password-42@');
    const result = await drydock(['dry-run', '--db', wrong, ...examples()]);
    assert.equal(result.code, 2);
    assert.match(result.stdout, /Password authentication failed \(SQLSTATE 28P01\)/);
    assert.doesNotMatch(result.stdout + result.stderr, /not-the-password-42/);
    const down = await drydock(['dry-run', '--db', 'postgres://x:hidden-pw-77@127.0.0.1:1/db', ...examples()]);
    assert.equal(down.code, 2);
    assert.match(down.stdout, /Service temporarily unavailable/);
    assert.doesNotMatch(down.stdout + down.stderr, /hidden-pw-77/);
  });
});
