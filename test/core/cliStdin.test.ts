// SQL on standard input, as ORM tools print it and users pipe it: `drydock check -` and `drydock
// dry-run -` (the bundled CLI, real PGlite shadow), named by --stdin-filename (its drydock.json,
// the earlier migrations of its folder, the name in messages) or <stdin>; binary input is a
// report, not a crash. The Django and Alembic SQL is the tools' real output (test/fixtures/from-tools).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { describeEachServer, repoRoot } from '../support/database';
import { runCli } from '../support/cli';

const FROM_TOOLS = path.join(repoRoot, 'test', 'fixtures', 'from-tools');
const fixture = (name: string) => fs.readFileSync(path.join(FROM_TOOLS, name));

let dir = '';
before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drydock-stdin-'));
  fs.mkdirSync(path.join(dir, 'shop', 'migrations'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'shop', 'migrations', '0001_initial.sql'), fixture('django_0001_initial.sql'));
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

const rulesOf = (stdout: string) => [...stdout.matchAll(/\[([a-z-]+)\]$/gm)].map((m) => m[1]);

test('check -: Django\'s sqlmigrate output (BEGIN … COMMIT) is judged as a file named <stdin>; its two plain CREATE INDEX on an existing table are errors, the wrapper no alarm', async () => {
  const result = await runCli(['check', '-'], { input: fixture('django_0003_customer_name_index.sql'), cwd: dir });
  assert.equal(result.code, 1, result.stdout + result.stderr);
  assert.match(result.stdout, /^<stdin>:5:1: error: Use CREATE INDEX CONCURRENTLY/m);
  assert.match(result.stdout, /^<stdin>:6:1: error: Use CREATE INDEX CONCURRENTLY/m);
  for (const rule of ['transaction-control', 'transaction-nesting', 'syntax-error', 'ban-uncommitted-transaction']) assert.ok(!rulesOf(result.stdout).includes(rule), `${rule}: ${result.stdout}`);
});

test('no false alarm: each captured Django and Alembic output checks without an error, except the real ones (CREATE INDEX without CONCURRENTLY on an existing table)', async () => {
  const expectedErrors: Record<string, string[]> = {
    'django_0001_initial.sql': [],
    'django_0002_coupons_and_notes.sql': [],
    'django_0003_customer_name_index.sql': ['require-concurrent-index-creation', 'require-concurrent-index-creation'],
    'alembic_offline_base_to_head.sql': [],
    'alembic_offline_1a2b3c4d5e6f_to_head.sql': ['lock-held-across-statements', 'require-concurrent-index-creation'],
  };
  for (const [name, errors] of Object.entries(expectedErrors)) {
    const result = await runCli(['check', '--json', '-'], { input: fixture(name), cwd: dir });
    const report = JSON.parse(result.stdout) as { diagnostics: { ruleId: string; severity: string; file: string }[] };
    assert.deepEqual(report.diagnostics.filter((d) => d.severity === 'error').map((d) => d.ruleId), errors, name);
    assert.ok(report.diagnostics.every((d) => d.file === '<stdin>'), name);
    // Nothing on what the tools write for themselves: Alembic's alembic_version table (its CREATE, INSERT, UPDATE).
    const own = (JSON.parse(result.stdout) as { diagnostics: { message: string }[] }).diagnostics.filter((d) => /alembic_version/.test(d.message));
    assert.deepEqual(own, [], name);
    assert.equal(result.code, errors.length > 0 ? 1 : 0, name);
  }
});

test('--stdin-filename: the name in messages, the earlier migrations of its folder learned (a GIN index on text they declare), its drydock.json read', async () => {
  const gin = 'CREATE INDEX CONCURRENTLY customer_name_gin ON shop_customer USING gin (name);\n';
  const named = await runCli(['check', '-', '--stdin-filename', 'shop/migrations/0002_gin.sql'], { input: gin, cwd: dir });
  assert.match(named.stdout, /^shop\/migrations\/0002_gin\.sql:1:1: warning: .*shop_customer\.name is varchar\(100\) in the migrations.*\[gin-on-non-jsonb\]$/m);
  const unnamed = await runCli(['check', '-'], { input: gin, cwd: dir });
  assert.ok(!rulesOf(unnamed.stdout).includes('gin-on-non-jsonb'), 'without a name there is no folder to learn from');
  fs.writeFileSync(path.join(dir, 'shop', 'drydock.json'), JSON.stringify({ rules: { 'gin-on-non-jsonb': 'off' } }));
  try {
    const configured = await runCli(['check', '-', '--stdin-filename', 'shop/migrations/0002_gin.sql'], { input: gin, cwd: dir });
    assert.ok(!rulesOf(configured.stdout).includes('gin-on-non-jsonb'), configured.stdout);
  } finally {
    fs.rmSync(path.join(dir, 'shop', 'drydock.json'));
  }
});

test('--stdin-filename outside the migrations folder drydock.json names: that folder is learned, as the editor learns it', async () => {
  const gin = 'CREATE INDEX CONCURRENTLY customer_name_gin ON shop_customer USING gin (name);\n';
  fs.mkdirSync(path.join(dir, 'shop', 'drafts'), { recursive: true });
  const unconfigured = await runCli(['check', '-', '--stdin-filename', 'shop/drafts/0002_gin.sql'], { input: gin, cwd: dir });
  assert.ok(!rulesOf(unconfigured.stdout).includes('gin-on-non-jsonb'), `drafts/ holds no earlier migration: ${unconfigured.stdout}`);
  fs.writeFileSync(path.join(dir, 'shop', 'drydock.json'), JSON.stringify({ migrations: 'migrations' }));
  try {
    const configured = await runCli(['check', '-', '--stdin-filename', 'shop/drafts/0002_gin.sql'], { input: gin, cwd: dir });
    assert.match(configured.stdout, /^shop\/drafts\/0002_gin\.sql:1:1: warning: .*shop_customer\.name is varchar\(100\) in the migrations.*\[gin-on-non-jsonb\]$/m);
  } finally {
    fs.rmSync(path.join(dir, 'shop', 'drydock.json'));
  }
});

test('dry-run - --shadow: Alembic\'s offline SQL (its BEGIN/COMMIT, alembic_version created and updated) runs and is rolled back', async () => {
  const result = await runCli(['dry-run', '--shadow', '-'], { input: fixture('alembic_offline_base_to_head.sql'), cwd: dir });
  assert.equal(result.code, 0, result.stdout + result.stderr);
  assert.match(result.stdout, /^drydock dry-run: succeeded, rolled back/m);
  assert.match(result.stdout, /ok +<stdin>:26 +UPDATE/);
});

test('dry-run - --stdin-filename: the shadow replays the folder\'s earlier migrations first, so Django\'s 0002 runs on the tables 0001 made; without the name it has no folder', async () => {
  const input = fixture('django_0002_coupons_and_notes.sql');
  const named = await runCli(['dry-run', '--shadow', '-', '--stdin-filename', 'shop/migrations/0002_coupons_and_notes.sql'], { input, cwd: dir });
  assert.equal(named.code, 0, named.stdout + named.stderr);
  assert.match(named.stdout, /shadow: 1 earlier plain migration\(s\) applied first/);
  assert.match(named.stdout, /ok +shop\/migrations\/0002_coupons_and_notes\.sql:5 +ALTER TABLE/);
  const unnamed = await runCli(['dry-run', '--shadow', '-'], { input, cwd: dir });
  assert.equal(unnamed.code, 1, unnamed.stdout + unnamed.stderr);
  assert.match(unnamed.stdout, /failed at <stdin>:5 \(Table does not exist, SQLSTATE 42P01\)/);
});

test('binary or invalid UTF-8 on standard input is a binary-file report at <stdin>:1 (exit 2), never a crash', async () => {
  for (const input of [Buffer.from([0xff, 0xfe, 0x00, 0x41, 0xc3]), Buffer.from('SELECT 1;\u0000\n')]) {
    const result = await runCli(['check', '-'], { input });
    assert.equal(result.code, 2, result.stdout + result.stderr);
    assert.match(result.stdout, /^<stdin>:1:1: error: .*\[binary-file\]$/m);
    assert.doesNotMatch(result.stderr, /at .*\.js:\d+/);
  }
});

test('a large input (20 000 statements, about 1 MB) is read whole', async () => {
  const input = Array.from({ length: 20_000 }, (_, i) => `INSERT INTO t VALUES (${i});\n`).join('');
  const result = await runCli(['check', '-', '--format', 'json'], { input });
  assert.equal(result.code, 0, result.stderr);
  assert.equal((JSON.parse(result.stdout) as { statements: unknown[] }).statements.length, 20_000);
});

test('check - --fix prints the fixed SQL on stdout (as formatters do), the fixes and what remains on stderr; a fix that writes a new migration is left out and said', async () => {
  const result = await runCli(['check', '--fix', '-', '--stdin-filename', 'shop/migrations/0003_x.sql'], { input: fixture('django_0003_customer_name_index.sql'), cwd: dir });
  assert.equal(result.code, 1, 'the CONCURRENTLY errors remain');
  assert.match(result.stdout, /^BEGIN;\n/);
  assert.match(result.stdout, /SET statement_timeout = '60s';\nSET lock_timeout = '5s';\n/);
  assert.match(result.stderr, /^shop\/migrations\/0003_x\.sql:\d+: left out: Add CONCURRENTLY .*standard input has no folder for it/m);
  assert.match(result.stderr, /shop\/migrations\/0003_x\.sql:\d+:1: error: Use CREATE INDEX CONCURRENTLY/);
  assert.equal(fs.readdirSync(path.join(dir, 'shop', 'migrations')).length, 1, 'no file written');
});

test('usage: - with other paths, and --stdin-filename without -, are refused (exit 2) with what to do', async () => {
  const both = await runCli(['check', '-', 'x.sql'], { input: 'SELECT 1;' });
  assert.equal(both.code, 2);
  assert.match(both.stderr, /give - alone/);
  const orphan = await runCli(['check', '--stdin-filename', 'a.sql', 'x.sql']);
  assert.equal(orphan.code, 2);
  assert.match(orphan.stderr, /give - as the FILE/);
});

describeEachServer('SQL on standard input, on a database', (server) => {
  test('dry-run - --db rolls back, apply - --yes commits, verify - finds what it declared; apply - without --yes is refused (stdin holds the SQL, not an answer)', async () => {
    const url = server().url(await server().createDatabase());
    const sql = 'CREATE TABLE piped (id bigint PRIMARY KEY);\n';
    const dry = await runCli(['dry-run', '--db', url, '-'], { input: sql });
    assert.equal(dry.code, 0, dry.stdout + dry.stderr);
    assert.match(dry.stdout, /succeeded, rolled back/);
    const refused = await runCli(['apply', '--db', url, '-'], { input: sql });
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /apply needs --yes/);
    const applied = await runCli(['apply', '--yes', '--db', url, '-', '--stdin-filename', 'db/001_piped.sql'], { input: sql });
    assert.equal(applied.code, 0, applied.stdout + applied.stderr);
    assert.match(applied.stdout, /succeeded, committed/);
    assert.match(applied.stdout, /^files: db\/001_piped\.sql$/m);
    const verified = await runCli(['verify', '--db', url, '-'], { input: sql });
    assert.equal(verified.code, 0, verified.stdout + verified.stderr);
  });
});
