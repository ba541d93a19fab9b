// Every snippet, expanded as the editor would with its defaults, is valid PostgreSQL (checked by the
// real parser, PL/pgSQL bodies included), re-runnable, derives the names the issue asks for, and
// does what it says when run twice against a real PostgreSQL.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Client } from 'pg';
import { loadParser, splitStatements } from '../../../src/core/parse/parseMigration';
import { startPostgres, type ThrowawayPostgres } from '../../support/throwawayPostgres';
import { deriveName, parseTableName } from '../../../src/core/templates';
import { expandSnippet } from './snippetExpander';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const pgQuery = require('libpg-query') as typeof import('libpg-query');

const root = path.resolve(__dirname, '..', '..', '..', '..');
const snippetFile = path.join(root, 'snippets', 'postgresql-migrations.json');
interface Snippet { prefix: string; description: string; body: string[] }
const snippets = JSON.parse(fs.readFileSync(snippetFile, 'utf8')) as Record<string, Snippet>;
const byPrefix = new Map(Object.values(snippets).map((s) => [s.prefix, s]));

function snippet(prefix: string): Snippet {
  const s = byPrefix.get(prefix);
  assert.ok(s, `no snippet with prefix ${prefix}`);
  return s;
}

/** Top-level statements of the parse tree as [node type, node] pairs. */
function statements(sql: string): [string, Record<string, unknown>][] {
  return (pgQuery.parseSync(sql).stmts ?? []).map((s) => {
    const [type, node] = Object.entries(s.stmt as unknown as Record<string, Record<string, unknown>>)[0] ?? ['', {}];
    return [type, node];
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every value stored under `key` anywhere in a parse tree. */
function collect(tree: unknown, key: string): unknown[] {
  if (Array.isArray(tree)) return tree.flatMap((t) => collect(t, key));
  if (!isRecord(tree)) return [];
  return Object.entries(tree).flatMap(([k, v]) => (k === key ? [v, ...collect(v, key)] : collect(v, key)));
}

before(async () => {
  await pgQuery.loadModule();
  await loadParser();
});

describe('snippets', () => {
  test('package.json contributes the snippet file for sql', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      contributes?: { snippets?: { language: string; path: string }[] };
    };
    const entry = pkg.contributes?.snippets?.find((s) => s.language === 'sql');
    assert.ok(entry, 'no sql snippets contribution');
    assert.equal(path.resolve(root, entry.path), snippetFile);
  });

  test('every kind the issue lists has a snippet', () => {
    const kinds = [
      'pg-index', 'pg-index-composite', 'pg-index-partial', 'pg-index-concurrently', 'pg-index-composite-concurrently',
      'pg-index-partial-concurrently', 'pg-gin', 'pg-gin-guarded', 'pg-check-in', 'pg-check-range', 'pg-check-positive',
      'pg-check-safe', 'pg-updated-at-function', 'pg-updated-at-trigger', 'pg-updated-at', 'pg-unique', 'pg-if-table-exists',
    ];
    assert.deepEqual(kinds.filter((k) => !byPrefix.has(k)), []);
    for (const s of Object.values(snippets)) assert.ok(s.description.length > 10, `${s.prefix} has no description`);
  });

  for (const [name, s] of Object.entries(snippets)) {
    test(`${s.prefix}: body with defaults parses, PL/pgSQL bodies included, and is re-runnable`, () => {
      const sql = expandSnippet(s.body);
      const stmts = statements(sql); // throws on a syntax error
      assert.ok(stmts.length > 0, `${name} expanded to nothing`);
      for (const [type, node] of stmts) {
        if (type === 'DoStmt' || type === 'CreateFunctionStmt') {
          assert.doesNotThrow(() => pgQuery.parsePlPgSQLSync(sql), `${name}: PL/pgSQL body does not parse`);
        }
        if (type === 'IndexStmt') assert.equal(node.if_not_exists, true, `${name}: CREATE INDEX without IF NOT EXISTS`);
        if (type === 'CreateFunctionStmt' || type === 'CreateTrigStmt') assert.equal(node.replace, true, `${name}: not OR REPLACE`);
        if (type === 'AlterTableStmt') {
          const cmds = (node.cmds as { AlterTableCmd: { subtype: string } }[]).map((c) => c.AlterTableCmd.subtype);
          assert.deepEqual(cmds, ['AT_ValidateConstraint'], `${name}: a top-level ALTER TABLE that is not re-runnable`);
        }
        assert.ok(['IndexStmt', 'DoStmt', 'CreateFunctionStmt', 'CreateTrigStmt', 'AlterTableStmt'].includes(type), `${name}: unexpected ${type}`);
      }
    });
  }

  test('every snippet that adds a CHECK adds it NOT VALID, then validates it (the safe pair)', () => {
    let checked = 0;
    for (const s of Object.values(snippets)) {
      const sql = expandSnippet(s.body);
      const embedded = statements(sql).some(([type]) => type === 'DoStmt')
        ? collect(collect(pgQuery.parsePlPgSQLSync(sql), 'PLpgSQL_stmt_execsql'), 'query').flatMap((q) => (typeof q === 'string' ? statements(q) : []))
        : [];
      const added = [...statements(sql), ...embedded].flatMap(([, node]) => collect(node, 'AlterTableCmd'))
        .filter((c) => isRecord(c) && c.subtype === 'AT_AddConstraint' && collect(c, 'contype').includes('CONSTR_CHECK'));
      const validated = collect(statements(sql).map(([, node]) => node), 'AlterTableCmd')
        .filter((c) => isRecord(c) && c.subtype === 'AT_ValidateConstraint').map((c) => (c as { name?: string }).name);
      for (const cmd of added) {
        const constraint = collect(cmd, 'Constraint')[0] as { conname?: string; skip_validation?: boolean };
        assert.equal(constraint.skip_validation, true, `${s.prefix}: ${constraint.conname} added without NOT VALID`);
        assert.ok(validated.includes(constraint.conname), `${s.prefix}: ${constraint.conname} is never validated`);
        checked += 1;
      }
    }
    assert.ok(checked >= 4, `only ${checked} CHECK constraints found in the snippets`);
  });

  test('a syntax error in an expanded body is caught (the check can fail)', () => {
    const broken = expandSnippet(snippet('pg-index').body, { 2: 'user_id,' });
    assert.throws(() => pgQuery.parseSync(broken));
    const brokenBody = expandSnippet(snippet('pg-if-table-exists').body, { 2: 'ADD COLUMN' });
    assert.doesNotThrow(() => pgQuery.parseSync(brokenBody), 'the outer DO statement hides the body');
    assert.throws(() => pgQuery.parsePlPgSQLSync(brokenBody), 'the body itself is checked');
  });

  test('names are derived from what the author types: schema dropped, lowercased, ASC/DESC ignored', () => {
    const cases: [string, Record<number, string>, string][] = [
      ['pg-index', { 1: 'app.Lessons', 2: 'user_id' }, 'idx_lessons_user_id'],
      ['pg-index-composite', { 1: 'lessons', 2: 'user_id', 3: 'created_at DESC' }, 'idx_lessons_user_id_created_at'],
      ['pg-index-concurrently', { 1: 'lessons', 2: 'user_id, created_at desc' }, 'idx_lessons_user_id_created_at'],
      ['pg-gin', { 1: 'user_profiles', 2: 'learning_goals' }, 'idx_user_profiles_learning_goals'],
      ['pg-check-range', { 1: 'lesson_sessions', 2: 'rating' }, 'chk_lesson_sessions_rating'],
      ['pg-check-safe', { 1: 'lessons', 2: 'duration_minutes' }, 'chk_lessons_duration_minutes'],
      ['pg-updated-at-trigger', { 1: 'public.user_profiles' }, 'update_user_profiles_updated_at'],
      ['pg-updated-at', { 1: 'lessons' }, 'update_lessons_updated_at'],
      ['pg-unique', { 1: 'lessons', 2: 'user_id, slug' }, 'uq_lessons_user_id_slug'],
    ];
    for (const [prefix, values, expected] of cases) {
      const sql = expandSnippet(snippet(prefix).body, values);
      assert.match(sql, new RegExp(`\\b${expected}\\b`), `${prefix} with ${JSON.stringify(values)}`);
    }
  });

  test('derived names match the templates\' deriveName: quotes, case, schemas and expressions', () => {
    const named: [string, string, (sql: string) => unknown][] = [
      ['pg-index', 'idx', (sql) => statements(sql)[0]?.[1].idxname],
      ['pg-unique', 'uq', (sql) => statements(sql)[0]?.[1].idxname],
      ['pg-check-safe', 'chk', (sql) => collect(statements(sql).at(-1)?.[1], 'AlterTableCmd').map((c) => (c as { name?: string }).name)[0]],
    ];
    for (const table of ['"Order Items"', 'app."Order Items"', 'App.Lessons', 'lessons']) {
      for (const column of ['"userId"', 'lower(email)', 'user_id', '"Created At"']) {
        for (const [prefix, namePrefix, nameOf] of named) {
          const sql = expandSnippet(snippet(prefix).body, { 1: table, 2: column });
          assert.equal(nameOf(sql), deriveName(namePrefix, parseTableName(table).name, [column]), `${prefix} with ${table} (${column})`);
        }
      }
      const trigger = statements(expandSnippet(snippet('pg-updated-at-trigger').body, { 1: table }))[0]?.[1].trigname;
      assert.equal(trigger, deriveName('update', parseTableName(table).name, ['updated_at']), table);
    }
  });

  test('the GIN snippet offers both jsonb operator classes', () => {
    const body = snippet('pg-gin').body.join('\n');
    assert.match(body, /\$\{3\|jsonb_path_ops,jsonb_ops\|\}/);
  });
});

describe('snippets against PostgreSQL', () => {
  let pg: ThrowawayPostgres;
  let client: Client;

  before(async () => {
    pg = await startPostgres();
    client = new Client({ connectionString: pg.url(await pg.createDatabase()) });
    await client.connect();
    await client.query(`
      CREATE TABLE lessons (id bigint PRIMARY KEY, user_id bigint NOT NULL, status text, rating int, amount numeric,
        slug text, created_at timestamptz DEFAULT now(), deleted_at timestamptz, updated_at timestamptz DEFAULT now());
      CREATE TABLE user_profiles (id bigint PRIMARY KEY, learning_goals jsonb, updated_at timestamptz);
      CREATE TABLE conversation_sessions (id bigint PRIMARY KEY, conversation_context text, updated_at timestamptz);
      INSERT INTO lessons (id, user_id, status, rating, amount, slug) VALUES (1, 7, 'active', 4, 10, 'intro');
      INSERT INTO conversation_sessions VALUES (1, 'plain text', now() - interval '1 day');`);
  });
  after(async () => {
    await client?.end();
    await pg?.stop();
  });

  /** Runs the expanded snippet statement by statement (CONCURRENTLY refuses a multi-statement query). */
  async function runTwice(prefix: string, values: Record<number, string>): Promise<void> {
    const sql = expandSnippet(snippet(prefix).body, values);
    for (let round = 0; round < 2; round++) {
      for (const statement of splitStatements(sql)) await client.query(statement.sql);
    }
  }

  async function exists(query: string, ...params: unknown[]): Promise<boolean> {
    return (await client.query(query, params)).rowCount === 1;
  }
  const index = (name: string) => exists(`SELECT 1 FROM pg_index WHERE indexrelid = to_regclass($1) AND indisvalid`, name);
  const constraint = (name: string, type: string) =>
    exists(`SELECT 1 FROM pg_constraint WHERE conname = $1 AND contype = $2 AND convalidated`, name, type);

  test('index snippets create valid indexes and can run twice', async () => {
    await runTwice('pg-index', { 1: 'lessons', 2: 'user_id' });
    await runTwice('pg-index-concurrently', { 1: 'lessons', 2: 'created_at DESC' });
    await runTwice('pg-index-composite', { 1: 'lessons', 2: 'user_id', 3: 'created_at' });
    await runTwice('pg-index-composite-concurrently', { 1: 'public.lessons', 2: 'status', 3: 'rating' });
    await runTwice('pg-index-partial', { 1: 'lessons', 2: 'slug' });
    await runTwice('pg-index-partial-concurrently', { 1: 'lessons', 2: 'rating', 3: 'rating > 3' });
    for (const name of ['idx_lessons_user_id', 'idx_lessons_created_at', 'idx_lessons_user_id_created_at',
      'idx_lessons_status_rating', 'idx_lessons_slug', 'idx_lessons_rating']) {
      assert.ok(await index(name), `${name} missing or invalid`);
    }
    const partial = await client.query(`SELECT pg_get_expr(indpred, indrelid) AS pred FROM pg_index WHERE indexrelid = 'idx_lessons_slug'::regclass`);
    assert.equal(partial.rows[0].pred, '(deleted_at IS NULL)');
  });

  test('GIN snippets: jsonb column indexed with GIN; guarded form skips a text column', async () => {
    await runTwice('pg-gin', { 1: 'user_profiles', 2: 'learning_goals' });
    const am = await client.query(`SELECT am.amname FROM pg_class c JOIN pg_am am ON am.oid = c.relam WHERE c.oid = 'idx_user_profiles_learning_goals'::regclass`);
    assert.equal(am.rows[0].amname, 'gin');
    await client.query('DROP INDEX idx_user_profiles_learning_goals');
    await runTwice('pg-gin-guarded', { 1: 'user_profiles', 2: 'learning_goals', 3: 'jsonb_ops' });
    assert.ok(await index('idx_user_profiles_learning_goals'));
    await runTwice('pg-gin-guarded', { 1: 'conversation_sessions', 2: 'conversation_context' });
    assert.equal(await index('idx_conversation_sessions_conversation_context'), false, 'GIN built on a text column');
  });

  test('CHECK snippets add validated constraints that reject bad rows', async () => {
    await runTwice('pg-check-in', { 1: 'lessons', 2: 'status' });
    await runTwice('pg-check-range', { 1: 'lessons', 2: 'rating' });
    await runTwice('pg-check-positive', { 1: 'lessons', 2: 'amount' });
    await runTwice('pg-check-safe', { 1: 'lessons', 2: 'user_id' });
    for (const name of ['chk_lessons_status', 'chk_lessons_rating', 'chk_lessons_amount', 'chk_lessons_user_id']) {
      assert.ok(await constraint(name, 'c'), `${name} missing or not validated`);
    }
    await assert.rejects(client.query(`UPDATE lessons SET rating = 6`), /chk_lessons_rating/);
  });

  test('updated_at snippets: function and trigger are re-runnable and set updated_at on UPDATE', async () => {
    await runTwice('pg-updated-at-function', {});
    await runTwice('pg-updated-at-trigger', { 1: 'conversation_sessions' });
    await runTwice('pg-updated-at', { 1: 'lessons' });
    assert.ok(await exists(`SELECT 1 FROM pg_trigger WHERE tgname = 'update_conversation_sessions_updated_at'`));
    assert.ok(await exists(`SELECT 1 FROM pg_trigger WHERE tgname = 'update_lessons_updated_at'`));
    await client.query(`UPDATE conversation_sessions SET conversation_context = 'changed'`);
    const fresh = await client.query(`SELECT updated_at > now() - interval '1 minute' AS fresh FROM conversation_sessions`);
    assert.equal(fresh.rows[0].fresh, true);
  });

  test('unique snippet attaches a UNIQUE constraint to the concurrently built index', async () => {
    await runTwice('pg-unique', { 1: 'lessons', 2: 'user_id, slug' });
    assert.ok(await constraint('uq_lessons_user_id_slug', 'u'));
    await assert.rejects(client.query(`INSERT INTO lessons (id, user_id, slug) VALUES (2, 7, 'intro')`), /uq_lessons_user_id_slug/);
  });

  test('the table-exists wrapper runs its body only when the table exists', async () => {
    await runTwice('pg-if-table-exists', { 1: 'lessons' });
    await runTwice('pg-if-table-exists', { 1: 'no_such_table' });
    assert.ok(await exists(`SELECT 1 FROM pg_attribute WHERE attrelid = 'lessons'::regclass AND attname = 'note'`));
  });
});
