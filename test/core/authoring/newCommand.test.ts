// `drydock new`: writes the rendered files where the detected (or chosen) tool keeps them, prints
// their paths, never overwrites, refuses bad input with exit code 2, and with --db refuses a
// missing table/column or a non-jsonb GIN column (exit 1) before writing anything.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { Client } from 'pg';
import { runNewCommand } from '../../../src/cli/commands/new';
import { pgBackend } from '../../../src/core/db/pg/pgBackend';
import { checkTemplateTarget, listColumns, listTables, parseTableName } from '../../../src/core/templates';
import { startPostgres, type ThrowawayPostgres } from '../../support/throwawayPostgres';

const root = path.resolve(__dirname, '..', '..', '..', '..');

function sink(): Writable & { text: string } {
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      stream.text += chunk.toString();
      done();
    },
  }) as Writable & { text: string };
  stream.text = '';
  return stream;
}

async function drydockNew(cwd: string, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const stdout = sink();
  const stderr = sink();
  const code = await runNewCommand(argv, { stdout, stderr, stdin: process.stdin, env: {}, cwd: () => cwd });
  return { code, out: stdout.text, err: stderr.text };
}

const projects: string[] = [];
after(() => {
  for (const dir of projects) fs.rmSync(dir, { recursive: true, force: true });
});

function project(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drydock-new-'));
  projects.push(dir);
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

function tree(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[]).map((p) => p.split(path.sep).join('/')).sort();
}

describe('drydock new (no database)', () => {
  test('dbmate project: writes db/migrations/<timestamp>_name.sql with its sections and prints the path', async () => {
    const dir = project({ 'db/migrations/20240101000000_init.sql': '-- migrate:up\nCREATE TABLE lessons (id int);\n-- migrate:down\n' });
    const { code, out } = await drydockNew(dir, 'index', '--table', 'lessons', '--columns', 'user_id,created_at');
    assert.equal(code, 0);
    const written = out.trim().split('\n');
    assert.equal(written.length, 1);
    assert.match(written[0] ?? '', /^db\/migrations\/\d{14}_add_idx_lessons_user_id_created_at\.sql$/);
    const text = fs.readFileSync(path.join(dir, written[0] ?? ''), 'utf8');
    assert.match(text, /^-- migrate:up transaction:false\n/);
    assert.match(text, /CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_lessons_user_id_created_at\n  ON lessons \(user_id, created_at\);/);
  });

  test('plain project: numbered after the existing files, in their folder', async () => {
    const dir = project({ 'sql/001_init.sql': 'SELECT 1;', 'sql/002_more.sql': 'SELECT 1;' });
    const { code, out } = await drydockNew(dir, 'check', '--table', 'lessons', '--columns', 'difficulty_level', '--min', '1', '--max', '5', '--name', 'Difficulty 1-5');
    assert.equal(code, 0);
    // The CHECK NOT VALID, then its VALIDATE as a migration of its own (its own transaction, a lighter lock).
    assert.equal(out, 'sql/003_difficulty_1_5.sql\nsql/004_difficulty_1_5_validate.sql\n');
    assert.match(fs.readFileSync(path.join(dir, 'sql/003_difficulty_1_5.sql'), 'utf8'), /CHECK \(difficulty_level BETWEEN 1 AND 5\) NOT VALID/);
    assert.match(fs.readFileSync(path.join(dir, 'sql/004_difficulty_1_5_validate.sql'), 'utf8'), /VALIDATE CONSTRAINT/);
  });

  test('--dir takes an absolute path, even outside the project, numbered after the migrations already there', async () => {
    const dir = project({ 'sql/001_init.sql': 'SELECT 1;' });
    const elsewhere = project({ '007_old.sql': 'SELECT 1;' });
    const { code, out, err } = await drydockNew(dir, 'index', '--table', 'lessons', '--columns', 'user_id', '--tool', 'plain', '--dir', elsewhere, '--no-concurrently');
    assert.equal(code, 0, err);
    assert.equal(path.resolve(dir, out.trim()), path.join(elsewhere, '008_add_idx_lessons_user_id.sql'));
    assert.ok(fs.existsSync(path.join(elsewhere, '008_add_idx_lessons_user_id.sql')));
    assert.deepEqual(tree(dir), ['sql', 'sql/001_init.sql'], 'nothing was written into the project');
  });

  test('--dir relative to the current directory, not to --root', async () => {
    const dir = project({ 'app/sql/001_init.sql': 'SELECT 1;' });
    const { code, out, err } = await drydockNew(path.join(dir, 'app'), 'index', '--table', 'lessons', '--columns', 'user_id', '--tool', 'plain', '--root', dir, '--dir', 'sql', '--no-concurrently');
    assert.equal(code, 0, err);
    assert.equal(out.trim(), 'sql/002_add_idx_lessons_user_id.sql');
    assert.ok(fs.existsSync(path.join(dir, 'app', 'sql', '002_add_idx_lessons_user_id.sql')));
  });

  test('--tool sqitch: deploy/revert/verify trio plus a plan line; a second run refuses and writes nothing', async () => {
    const dir = project({ 'sqitch.plan': '%syntax-version=1.0.0\n%project=app\n\n' });
    const first = await drydockNew(dir, 'trigger', '--table', 'lessons', '--tool', 'sqitch', '--json');
    assert.equal(first.code, 0, first.err);
    const report = JSON.parse(first.out) as { tool: string; files: string[] };
    assert.equal(report.tool, 'sqitch');
    assert.deepEqual(report.files, ['deploy/add_update_lessons_updated_at_trigger.sql', 'revert/add_update_lessons_updated_at_trigger.sql', 'verify/add_update_lessons_updated_at_trigger.sql', 'sqitch.plan']);
    const plan = fs.readFileSync(path.join(dir, 'sqitch.plan'), 'utf8');
    assert.match(plan, /^%syntax-version=1\.0\.0\n%project=app\n\nadd_update_lessons_updated_at_trigger \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ /);
    const before = tree(dir);
    const second = await drydockNew(dir, 'trigger', '--table', 'lessons', '--tool', 'sqitch');
    assert.equal(second.code, 2);
    assert.match(second.err, /already exists; not overwriting/);
    assert.deepEqual(tree(dir), before);
    assert.equal(fs.readFileSync(path.join(dir, 'sqitch.plan'), 'utf8'), plan, 'the plan was appended to although nothing was written');
  });

  test('--tool sqitch, a kind written as two migrations (check: ADD NOT VALID, then VALIDATE): --json lists sqitch.plan once, holding both lines', async () => {
    const dir = project({ 'sqitch.plan': '%syntax-version=1.0.0\n%project=app\n\n' });
    const { code, out, err } = await drydockNew(dir, 'check', '--table', 'lessons', '--columns', 'difficulty_level', '--min', '1', '--max', '5', '--tool', 'sqitch', '--json');
    assert.equal(code, 0, err);
    const files = (JSON.parse(out) as { files: string[] }).files;
    assert.equal(files.filter((f) => f === 'sqitch.plan').length, 1, JSON.stringify(files));
    assert.equal(new Set(files).size, files.length, JSON.stringify(files));
    const lines = fs.readFileSync(path.join(dir, 'sqitch.plan'), 'utf8').split('\n').filter((l) => /^\w/.test(l));
    assert.equal(lines.length, 2, 'one plan line per migration');
  });

  test('graphile project: appended to migrations/current.sql, --! no-transaction at the top of a file with no statements yet', async () => {
    const dir = project({ '.gmrc': '{}', 'migrations/current.sql': '-- Enter migration here\n', 'migrations/committed/000001.sql': '--! Previous: -\n' });
    const { code, out, err } = await drydockNew(dir, 'gin', '--table', 'user_profiles', '--columns', 'learning_goals');
    assert.equal(code, 0, err);
    assert.equal(out, 'migrations/current.sql\n');
    const text = fs.readFileSync(path.join(dir, 'migrations/current.sql'), 'utf8');
    assert.match(text, /^--! no-transaction\n-- Enter migration here\n\n-- GIN index idx_user_profiles_learning_goals/);
  });

  test('graphile project: a CONCURRENTLY build is not added to a current.sql that holds statements (one query)', async () => {
    const current = 'CREATE TABLE notes (id int);\n';
    const dir = project({ '.gmrc': '{}', 'migrations/current.sql': current });
    const { code, err } = await drydockNew(dir, 'gin', '--table', 'user_profiles', '--columns', 'learning_goals');
    assert.equal(code, 2);
    assert.match(err, /already holds statements[\s\S]*graphile-migrate commit/);
    assert.equal(fs.readFileSync(path.join(dir, 'migrations/current.sql'), 'utf8'), current);
  });

  test('usage errors exit 2 with a message and write nothing', async () => {
    const dir = project({});
    const cases: [string[], RegExp][] = [
      [[], /needs a kind/],
      [['view', '--table', 't'], /needs a kind/],
      [['index', '--columns', 'a'], /--table is required/],
      [['gin', '--table', 't', '--columns', 'a,b'], /exactly one column/],
      [['check', '--table', 't', '--columns', 'a', '--min', 'five'], /--min must be a number/],
      [['index', '--table', 't', '--columns', 'a', '--tool', 'liquibase'], /--tool must be one of/],
      [['gin', '--table', 't', '--columns', 'a', '--opclass', 'gin_trgm_ops'], /--opclass/],
      [['index', '--table', 't', '--colums', 'a'], /unknown option --colums for new: did you mean --columns\?/],
      [['check', '--table', 't', '--columns', 'a', '--values', 'x,y', '--max', '5'], /either --values or --min\/--max, not both/],
      [['index', '--table', 't', '--columns', 'a', '--where', 'x > 0; DROP TABLE t'], /not one SQL expression/],
    ];
    for (const [argv, message] of cases) {
      const { code, err } = await drydockNew(dir, ...argv);
      assert.equal(code, 2, argv.join(' '));
      assert.match(err, message, argv.join(' '));
    }
    assert.deepEqual(tree(dir), []);
  });

  test('the bundled drydock binary dispatches `new` (when built)', (t) => {
    const cli = path.join(root, 'dist', 'cli.js');
    if (!fs.existsSync(cli)) return t.skip('dist/cli.js not built (npm run build)');
    const dir = project({});
    const result = spawnSync(process.execPath, [cli, 'new', 'unique', '--table', 'user_profiles', '--columns', 'email'], { cwd: dir, encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout, 'migrations/001_add_uq_user_profiles_email.sql\n');
    assert.match(fs.readFileSync(path.join(dir, 'migrations/001_add_uq_user_profiles_email.sql'), 'utf8'), /UNIQUE USING INDEX uq_user_profiles_email/);
  });
});

describe('drydock new --db', () => {
  let pg: ThrowawayPostgres;
  let url: string;

  before(async () => {
    pg = await startPostgres();
    const db = await pg.createDatabase();
    url = pg.url(db);
    const client = new Client({ connectionString: url });
    await client.connect();
    await client.query(fs.readFileSync(path.join(root, 'examples', 'seed-app', 'schema.sql'), 'utf8'));
    await client.end();
  });
  after(async () => {
    await pg?.stop();
  });

  test('a jsonb column passes the check and the files are written', async () => {
    const dir = project({});
    const { code, out, err } = await drydockNew(dir, 'gin', '--table', 'user_profiles', '--columns', 'learning_goals', '--db', url);
    assert.equal(code, 0, err);
    assert.equal(out, 'migrations/001_add_idx_user_profiles_learning_goals.sql\n');
  });

  test('a text column for GIN, a missing column or a missing table exit 1 and write nothing', async () => {
    const dir = project({});
    const cases: [string[], RegExp][] = [
      [['gin', '--table', 'conversation_sessions', '--columns', 'conversation_context'], /conversation_context is text, not jsonb/],
      [['index', '--table', 'lessons', '--columns', 'title,no_such_column'], /column no_such_column does not exist in lessons/],
      [['check', '--table', 'conversation_interactions', '--columns', 'x'], /table conversation_interactions does not exist/],
      [['trigger', '--table', 'lessons', '--columns', 'modified_at'], /column modified_at does not exist/],
    ];
    for (const [argv, message] of cases) {
      const { code, err } = await drydockNew(dir, ...argv, '--db', url);
      assert.equal(code, 1, argv.join(' '));
      assert.match(err, message);
    }
    assert.deepEqual(tree(dir), []);
  });

  test('catalog tables with mixed-case or quoted names come back as SQL that names them exactly', async () => {
    const client = new Client({ connectionString: url });
    await client.connect();
    await client.query(`CREATE TABLE "Users" (id int, "Email" text); CREATE SCHEMA app; CREATE TABLE app."Order Items" (id int, qty int)`);
    await client.end();
    const session = await pgBackend({ connectionString: url }).openSession();
    try {
      const tables = await listTables(session);
      const users = tables.find((t) => t.name === 'Users');
      const items = tables.find((t) => t.name === 'Order Items');
      assert.equal(users?.sql, '"Users"');
      assert.equal(items?.sql, 'app."Order Items"');
      assert.equal(tables.find((t) => t.name === 'lessons')?.sql, 'lessons');
      for (const table of [users, items]) {
        assert.ok(table);
        assert.deepEqual(parseTableName(table.sql), { schema: table.schema === 'public' ? null : table.schema, name: table.name });
        assert.ok((await listColumns(session, table.sql)).length > 0, table.sql);
      }
      assert.deepEqual(await checkTemplateTarget(session, 'index', { table: users?.sql ?? '', columns: ['Email'] }), []);
    } finally {
      await session.close();
    }
    const dir = project({});
    const { code, out, err } = await drydockNew(dir, 'index', '--table', '"Users"', '--columns', 'Email', '--db', url);
    assert.equal(code, 0, err);
    assert.match(fs.readFileSync(path.join(dir, out.trim()), 'utf8'), /ON "Users" \("Email"\)/);
  });

  test('guarded forms pass where the guard will decide at run time', async () => {
    const dir = project({});
    assert.equal((await drydockNew(dir, 'gin', '--table', 'conversation_sessions', '--columns', 'conversation_context', '--guarded', '--db', url)).code, 0);
    assert.equal((await drydockNew(dir, 'index', '--table', 'conversation_interactions', '--columns', 'session_id', '--guarded', '--db', url)).code, 0);
  });

  test('a connection failure exits 2 without showing the password', async () => {
    const dir = project({});
    const { code, err } = await drydockNew(dir, 'index', '--table', 'lessons', '--columns', 'title', '--db', `postgres://drydock_test:sup3r-secret@127.0.0.1:${pg.port}/no_such_db`);
    assert.equal(code, 2);
    assert.ok(err.length > 0);
    assert.doesNotMatch(err, /sup3r-secret/);
    assert.deepEqual(tree(dir), []);
  });
});
