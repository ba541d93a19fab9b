// Acceptance for the templates against a real PostgreSQL holding the example app's schema: for
// every kind × every tool layout the files dry-run cleanly, apply with every declared object
// verified, apply again without changing anything, and the down file (where the tool has one)
// returns the catalog to what it was. Also: the five example migrations of examples/seed-app come
// out of the templates, i.e. rendering and running them leaves the same catalog as the originals.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Client } from 'pg';
import { loadParser } from '../../../src/core/parse/parseMigration';
import type { RunMode, RunReport } from '../../../src/core/model/report';
import { runMigrations, type MigrationFile } from '../../../src/core/run/runner';
import {
  MIGRATION_TOOLS, TOOL_LAYOUTS, mergeInto, renderMigration, renderTemplate,
  type MigrationItem, type MigrationTool, type RenderResult,
} from '../../../src/core/templates';
import { serversUnderTest, startPostgres, type PostgresBinaries, type ThrowawayPostgres } from '../../support/throwawayPostgres';
import { expectedTemplateFinding } from './expectedTemplateFindings';
import { KIND_CASES, refusedAsOneQuery } from './kindCases';
import { pgBackend } from '../../../src/core/db/pg/pgBackend';

const root = path.resolve(__dirname, '..', '..', '..', '..');
const seedDir = path.join(root, 'examples', 'seed-app');
const NOW = new Date('2026-11-25T14:00:00Z');

async function withClient<T>(url: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * Indexes, constraints, triggers and functions of the public schema, as definitions; with
 * `bodies`, each function's body too (its md5), so a replaced body shows.
 */
function catalog(url: string, bodies = false): Promise<string[]> {
  return withClient(url, async (c) => (await c.query<{ line: string }>(`
    SELECT 'index ' || c.relname || ': ' || pg_get_indexdef(i.indexrelid) || ' valid=' || i.indisvalid AS line
      FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relnamespace = 'public'::regnamespace
    UNION ALL
    SELECT 'constraint ' || conname || ': ' || pg_get_constraintdef(oid) || ' validated=' || convalidated
      FROM pg_constraint WHERE connamespace = 'public'::regnamespace
    UNION ALL
    SELECT 'trigger ' || tgname || ': ' || pg_get_triggerdef(oid) || ' enabled=' || tgenabled::text
      FROM pg_trigger WHERE NOT tgisinternal
    UNION ALL
    SELECT 'function ' || proname || '(' || pg_get_function_identity_arguments(oid) || ') returns ' || prorettype::regtype
        || CASE WHEN $1 THEN ' body md5=' || md5(prosrc) ELSE '' END
      FROM pg_proc WHERE pronamespace = 'public'::regnamespace
    ORDER BY 1`, [bodies])).rows.map((r) => r.line));
}

async function run(url: string, files: MigrationFile[], mode: RunMode): Promise<RunReport> {
  return runMigrations(files, { mode, backend: pgBackend({ connectionString: url }) });
}

function describeFailure(report: RunReport): string {
  return JSON.stringify({ outcome: report.outcome, error: report.error, diagnostics: report.diagnostics, failed: report.statements.filter((s) => s.status === 'failed') }, null, 2);
}

/** The files Drydock (and the tool) would run forward. */
function upFiles(r: RenderResult): MigrationFile[] {
  return r.files.filter((f) => f.role === 'migration' || f.role === 'up').map((f) => ({ path: f.path, text: mergeInto(f, null) }));
}

/**
 * The down parts as files the runner runs forward, last migration first: down files as they are,
 * or dbmate/goose down sections turned into that tool's up section (keeping its no-transaction
 * directive). Null when the tool has no downs.
 */
function downFiles(r: RenderResult): MigrationFile[] | null {
  if (!r.hasDown) return null;
  const downs = r.files.filter((f) => f.role === 'down').map((f) => ({ path: f.path, text: f.text }));
  if (downs.length > 0) return downs.reverse();
  return r.files.filter((f) => f.role === 'migration').map((file) => {
    if (r.tool === 'dbmate') {
      const down = file.text.slice(file.text.indexOf('-- migrate:down'));
      return { path: file.path, text: down.replace('-- migrate:down', '-- migrate:up') };
    }
    if (r.tool === 'goose') {
      const header = file.text.startsWith('-- +goose NO TRANSACTION') ? '-- +goose NO TRANSACTION\n' : '';
      const down = file.text.slice(file.text.indexOf('-- +goose Down'));
      return { path: file.path, text: header + down.replace('-- +goose Down', '-- +goose Up') };
    }
    throw new Error(`no down part found for ${r.tool}`);
  }).reverse();
}

/** One query as a one-query tool sends it, and whether the tool wraps it in a transaction. */
interface ToolQuery {
  text: string;
  noTransaction: boolean;
}

/**
 * What dbmate, diesel and graphile-migrate send for the up (or down) part, in the order they send
 * it: each dbmate section, each diesel up.sql / down.sql, graphile's current.sql as ONE query.
 */
function sentAsOneQuery(r: RenderResult, part: 'up' | 'down'): ToolQuery[] {
  const inOrder = (queries: ToolQuery[]) => (part === 'up' ? queries : queries.reverse());
  if (r.tool === 'dbmate') {
    return inOrder(r.files.filter((f) => f.role === 'migration').map((f) => {
      const at = f.text.indexOf('\n-- migrate:down');
      const [directive = '', ...rest] = (part === 'up' ? f.text.slice(0, at) : f.text.slice(at + 1)).split('\n');
      return { text: rest.join('\n'), noTransaction: directive.includes('transaction:false') };
    }));
  }
  if (r.tool === 'diesel') {
    return inOrder(r.files.filter((f) => f.role === part).map((f) => {
      const settings = `${f.path.slice(0, f.path.lastIndexOf('/'))}/metadata.toml`;
      return { text: f.text, noTransaction: r.files.some((c) => c.path === settings && c.text.includes('run_in_transaction = false')) };
    }));
  }
  if (r.tool === 'graphile') {
    if (part === 'down') return [];
    return r.files.map((f) => mergeInto(f, null)).map((text) => ({ text, noTransaction: text.startsWith('--! no-transaction\n') }));
  }
  throw new Error(`${r.tool} does not send files as one query`);
}

/** Sends one query the way the tool does: inside BEGIN … COMMIT unless it runs outside a transaction. */
async function sendAsTool(client: Client, query: ToolQuery): Promise<void> {
  if (query.noTransaction) {
    await client.query(query.text);
    return;
  }
  await client.query('BEGIN');
  try {
    await client.query(query.text);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  }
}


interface Cluster {
  pg: ThrowawayPostgres;
  /** Database with the example schema as shipped. */
  seed: string;
  /** The other deployment: conversation_interactions exists and conversation_context is jsonb. */
  variant: string;
}

async function startCluster(server?: PostgresBinaries): Promise<Cluster> {
  const cluster = await startPostgres(server);
  const schema = fs.readFileSync(path.join(seedDir, 'schema.sql'), 'utf8');
  const seed = await cluster.createDatabase();
  const variant = await cluster.createDatabase();
  for (const [db, extra] of [[seed, ''], [variant, `
    CREATE TABLE conversation_interactions (id bigserial PRIMARY KEY, session_id bigint NOT NULL REFERENCES conversation_sessions (id));
    ALTER TABLE conversation_sessions ALTER COLUMN conversation_context TYPE jsonb USING conversation_context::jsonb;`]] as const) {
    const client = new Client({ connectionString: cluster.url(db) });
    await client.connect();
    await client.query(schema + extra);
    await client.end();
  }
  return { pg: cluster, seed, variant };
}

// One cluster of the default server for the whole file (each test gets fresh databases from its
// templates); the seed-app comparison below starts one per server under test.
let pg: ThrowawayPostgres;
let seedTemplate: string;
before(async () => {
  await loadParser(); // templates are rendered with the real parser's statement splitting
  ({ pg, seed: seedTemplate } = await startCluster());
});
after(async () => {
  await pg?.stop();
});

describe('every kind × every tool on the example schema', () => {

  for (const { kind, label, params, creates = true, setup } of KIND_CASES) {
    for (const tool of MIGRATION_TOOLS) {
      test(`${kind} (${label}) as ${tool}: dry-run clean, verified, re-runnable, down restores the catalog`, async () => {
        if (refusedAsOneQuery(kind, params, tool)) {
          assert.throws(() => renderTemplate(kind, params, tool, { now: NOW }), /one query/);
          return;
        }
        const r = renderTemplate(kind, params, tool, { now: NOW });
        const db = pg.url(await pg.createDatabase(seedTemplate));
        if (setup) await withClient(db, (c) => c.query(setup));
        const before = await catalog(db, true);
        // One migration at a time, as the tool deploys them (a kind split into steps has several).
        const verification: RunReport['verification'] = [];
        for (const file of upFiles(r)) {
          const current = await catalog(db, true);
          const dry = await run(db, [file], 'dry-run');
          assert.equal(dry.outcome, 'succeeded', describeFailure(dry));
          assert.equal(dry.committed, false);
          assert.deepEqual(dry.diagnostics.filter((d) => d.severity === 'error' && !expectedTemplateFinding(kind, params, tool, d)), []);
          assert.deepEqual(await catalog(db, true), current, `a dry-run of ${file.path} changed the catalog`);

          const applied = await run(db, [file], 'apply');
          assert.equal(applied.outcome, 'succeeded', describeFailure(applied));
          assert.equal(applied.committed, true);
          verification.push(...applied.verification);
        }
        const afterApply = await catalog(db, true);
        if (upFiles(r).length > 1) {
          // A kind split into migrations is verified as deployed once all of them ran (a CHECK is NOT VALID between its two).
          const all = await run(db, upFiles(r), 'verify');
          verification.splice(0, verification.length, ...all.verification);
        }
        for (const object of r.declares) {
          const check = verification.find((v) => v.name === object.name && v.kind === object.kind);
          assert.ok(check, `${object.kind} ${object.name} was not verified: ${JSON.stringify(verification)}`);
          if (creates) assert.equal(check.status, 'ok', `${object.kind} ${object.name}: ${check.status} ${check.detail}`);
          assert.equal(afterApply.some((line) => line.startsWith(`${object.kind} ${object.name}`)), creates, `${object.kind} ${object.name} in the catalog`);
        }
        if (creates) assert.notDeepEqual(afterApply, before);

        for (const file of upFiles(r)) {
          const again = await run(db, [file], 'apply');
          assert.equal(again.outcome, 'succeeded', `second apply of ${file.path}: ${describeFailure(again)}`);
        }
        assert.deepEqual(await catalog(db, true), afterApply, 'applying twice changed the catalog');

        if (tool === 'sqitch' && creates) {
          await withClient(db, (c) => c.query(r.verifySql));
        }
        const downs = downFiles(r);
        if (downs) {
          for (const down of downs) {
            const reverted = await run(db, [down], 'apply');
            assert.equal(reverted.outcome, 'succeeded', `down ${down.path}: ${describeFailure(reverted)}`);
          }
          assert.deepEqual(await catalog(db, true), before, 'the down did not restore the catalog');
          if (tool === 'sqitch' && creates) {
            await assert.rejects(withClient(db, (c) => c.query(r.verifySql)), /division by zero/);
          }
        }
      });
    }
  }
});

describe('a failed CONCURRENTLY build', () => {
  test('leaves an INVALID index that re-running skips; the verify script and verification report it until it is dropped', async () => {
    const db = pg.url(await pg.createDatabase(seedTemplate));
    const r = renderTemplate('unique', { table: 'user_profiles', columns: ['email'], asConstraint: false }, 'sqitch', { now: NOW });
    await withClient(db, (c) => c.query(`INSERT INTO user_profiles (email) VALUES ('a@example.org'), ('a@example.org')`));
    const failed = await run(db, upFiles(r), 'apply');
    assert.equal(failed.outcome, 'failed', 'the build should fail on duplicate emails');
    const invalid = await catalog(db);
    assert.ok(invalid.some((line) => line.startsWith('index uq_user_profiles_email') && line.endsWith('valid=false')), invalid.join('\n'));
    await withClient(db, (c) => c.query(`DELETE FROM user_profiles WHERE id = (SELECT max(id) FROM user_profiles)`));

    const rerun = await run(db, upFiles(r), 'apply');
    assert.notEqual(rerun.verification.find((v) => v.name === 'uq_user_profiles_email')?.status, 'ok', 'IF NOT EXISTS skipped the INVALID index, and verification must say so');
    await assert.rejects(withClient(db, (c) => c.query(r.verifySql)), /division by zero/);

    await withClient(db, (c) => c.query('DROP INDEX CONCURRENTLY IF EXISTS uq_user_profiles_email'));
    const fixed = await run(db, upFiles(r), 'apply');
    assert.equal(fixed.outcome, 'succeeded', describeFailure(fixed));
    await withClient(db, (c) => c.query(r.verifySql));
  });
});

describe('dbmate, diesel and graphile send a file (or section) as one query: every kind runs that way', () => {

  for (const { kind, label, params, creates = true, setup } of KIND_CASES) {
    for (const tool of MIGRATION_TOOLS.filter((t) => TOOL_LAYOUTS[t].runsFileAsOneQuery)) {
      test(`${kind} (${label}) as ${tool}: applies, re-applies and reverts with each part sent as one query`, async () => {
        if (refusedAsOneQuery(kind, params, tool)) {
          assert.throws(() => renderTemplate(kind, params, tool, { now: NOW }), /one query/);
          return;
        }
        const r = renderTemplate(kind, params, tool, { now: NOW });
        const db = pg.url(await pg.createDatabase(seedTemplate));
        await withClient(db, async (client) => {
          if (setup) await client.query(setup);
          const before = await catalog(db, true);
          for (const query of sentAsOneQuery(r, 'up')) await sendAsTool(client, query);
          const afterApply = await catalog(db, true);
          for (const object of r.declares) {
            assert.equal(afterApply.some((line) => line.startsWith(`${object.kind} ${object.name}`)), creates, `${object.kind} ${object.name} in the catalog`);
          }
          for (const query of sentAsOneQuery(r, 'up')) await sendAsTool(client, query);
          assert.deepEqual(await catalog(db, true), afterApply, 'applying twice changed the catalog');
          if (r.hasDown) {
            for (const query of sentAsOneQuery(r, 'down')) await sendAsTool(client, query);
            assert.deepEqual(await catalog(db, true), before, 'the down did not restore the catalog');
          }
        });
      });
    }
  }
});

/** The five example migrations as template items. */
const SEED_MIGRATIONS: { name: string; items: MigrationItem[] }[] = [
  { name: 'add missing indexes', items: [
    { kind: 'index', params: { table: 'conversation_messages', columns: ['session_id'], concurrently: false } },
    { kind: 'index', params: { table: 'lesson_sessions', columns: ['user_id', 'lesson_id'], concurrently: false } },
    { kind: 'index', params: { table: 'conversation_sessions', columns: ['user_id'], where: "status = 'active'", concurrently: false, objectName: 'idx_conversation_sessions_active_user_id' } },
    { kind: 'index', params: { table: 'conversation_interactions', columns: ['session_id'], guarded: true } },
  ] },
  { name: 'add jsonb gin indexes', items: [
    { kind: 'gin', params: { table: 'user_profiles', columns: ['learning_goals'], opclass: 'jsonb_ops', concurrently: false } },
    { kind: 'gin', params: { table: 'learning_paths', columns: ['path_data'], opclass: 'jsonb_path_ops', concurrently: false } },
    { kind: 'gin', params: { table: 'lesson_versions', columns: ['lesson_plan'], opclass: 'jsonb_ops', concurrently: false } },
    { kind: 'gin', params: { table: 'conversation_sessions', columns: ['conversation_context'], opclass: 'jsonb_ops', guarded: true } },
  ] },
  { name: 'add check constraints', items: [
    { kind: 'check', params: { table: 'lessons', columns: ['status'], values: ['draft', 'published', 'archived'] } },
    { kind: 'check', params: { table: 'user_profiles', columns: ['role'], values: ['learner', 'teacher', 'admin'] } },
    { kind: 'check', params: { table: 'conversation_sessions', columns: ['session_type'], values: ['practice', 'lesson', 'free_talk'] } },
    { kind: 'check', params: { table: 'conversation_messages', columns: ['message_order'] } },
    { kind: 'check', params: { table: 'user_profiles', columns: ['proficiency_level'], min: 1, max: 5 } },
    { kind: 'check', params: { table: 'lessons', columns: ['difficulty_level'], min: 1, max: 5 } },
  ] },
  { name: 'add updated_at triggers', items: ['user_profiles', 'lessons', 'learning_paths', 'conversation_sessions'].map((table, i) => (
    { kind: 'trigger' as const, params: { table, functionName: 'update_updated_at_column', createFunction: i === 0 } })) },
  { name: 'add unique message order', items: [
    { kind: 'unique', params: { table: 'conversation_messages', columns: ['session_id', 'message_order'], asConstraint: false, concurrently: false } },
  ] },
];

describe('the example migrations come out of the templates', () => {
  const originals = () => fs.readdirSync(path.join(seedDir, 'migrations')).filter((f) => f.endsWith('.sql')).sort()
    .map((f) => ({ path: `migrations/${f}`, text: fs.readFileSync(path.join(seedDir, 'migrations', f), 'utf8') }));

  test('there are five example migrations, one per rendered migration', () => {
    assert.equal(originals().length, SEED_MIGRATIONS.length);
  });

  for (const server of serversUnderTest()) {
    describe(`on ${server.label}`, () => {
      let cluster: Cluster;
      before(async () => {
        cluster = await startCluster(server);
      });
      after(async () => {
        await cluster?.pg.stop();
      });
      for (const tool of ['plain', 'goose'] as MigrationTool[]) {
        for (const variant of ['as shipped', 'with conversation_interactions and jsonb context'] as const) {
          test(`rendered as ${tool} (${variant}): same catalog as the examples, every step verified`, async () => {
            const template = variant === 'as shipped' ? cluster.seed : cluster.variant;
            const expectedDb = cluster.pg.url(await cluster.pg.createDatabase(template));
            for (const file of originals()) {
              const report = await run(expectedDb, [file], 'apply');
              assert.equal(report.outcome, 'succeeded', `${file.path}: ${describeFailure(report)}`);
            }
            const renderedDb = cluster.pg.url(await cluster.pg.createDatabase(template));
            const existingPaths: string[] = [];
            for (const { name, items } of SEED_MIGRATIONS) {
              const r = renderMigration(items, tool, { name, now: NOW, existingPaths });
              existingPaths.push(...r.files.map((f) => f.path));
              const report = await run(renderedDb, upFiles(r), 'apply');
              assert.equal(report.outcome, 'succeeded', `${name}: ${describeFailure(report)}`);
              const notOk = report.verification.filter((v) => v.status !== 'ok' && v.status !== 'skipped');
              assert.deepEqual(notOk, [], `${name}: verification`);
            }
            const expected = await catalog(expectedDb);
            assert.ok(expected.length > 20, 'the examples created objects');
            assert.deepEqual(await catalog(renderedDb), expected);
            if (variant !== 'as shipped') {
              assert.ok(expected.some((l) => l.startsWith('index idx_conversation_sessions_conversation_context')));
              assert.ok(expected.some((l) => l.startsWith('index idx_conversation_interactions_session_id')));
            }
          });
        }
      }
    });
  }
});
