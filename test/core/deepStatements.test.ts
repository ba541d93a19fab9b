// Statements nested thousands of levels deep are checked, dry-run and applied as psql runs them:
// never a false failure, never a crash, every failure located. Where Drydock's parser cannot build
// a tree at all, the statement is split as psql splits it and sent as written (opaque).
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { pgBackend } from '../../src/core/db/pg/pgBackend';
import type { RunReport } from '../../src/core/model/report';
import { loadParser, parseMigrationSync } from '../../src/core/parse/parseMigration';
import { checkFiles } from '../../src/core/rules/checkMigration';
import { RUN_MODES } from '../../src/core/model/runModes';
import { runMigrations, type MigrationFile } from '../../src/core/run/runner';
import { catalogSnapshot, describeEachServer, sql } from '../support/database';
import { deepMigration, plus } from '../support/deepSql';
import { fingerprint, fingerprintDiff } from '../support/fingerprint';
import { psqlFiles } from '../support/psql';
import { scratchMigrations } from '../support/scratchMigrations';

before(() => loadParser());

const writeFiles = scratchMigrations('deep');

/** Every finding's rule and line, for comparing a deep statement with its shallow twin. */
function findings(text: string, mode: keyof typeof RUN_MODES | null = null): string[] {
  const [checked] = checkFiles([parseMigrationSync('m.sql', text)], { mode: mode ? RUN_MODES[mode] : null });
  return checked!.diagnostics.map((d) => `${d.ruleId}@${d.range.start.line}`);
}

describe('deep statements, checked', () => {
  test('3,000-term expressions, 750 nested subqueries, deep CASE, casts, JSON paths and function bodies: every rule judges them, as their shallow twins', () => {
    const deep = deepMigration(3000);
    const parsed = parseMigrationSync('m.sql', deep);
    assert.equal(parsed.syntaxError, null);
    assert.ok(parsed.statements.every((s) => s.opaque === null), 'the parser builds every tree');
    for (const mode of [null, 'dry-run', 'apply'] as const) {
      const found = findings(deep, mode);
      assert.ok(!found.some((f) => f.startsWith('internal-error')), found.join(', '));
      assert.deepEqual(found, findings(deepMigration(2), mode), `mode ${mode ?? 'check'}`);
    }
  });

  test('a statement too deep for the parser is kept as written and opaque; the statements around it keep their trees and findings', () => {
    const text = [
      'CREATE TABLE t (a int);',
      `SELECT ${plus(12000)};`,
      `INSERT INTO t SELECT ${plus(12000)}\n  FROM t;`,
      `CREATE UNIQUE INDEX CONCURRENTLY idx_t_deep ON t ((a + ${plus(12000)}));`,
      'ALTER TABLE t ADD COLUMN b int;',
    ].join('\n');
    const parsed = parseMigrationSync('m.sql', text);
    assert.equal(parsed.syntaxError, null);
    assert.deepEqual(parsed.statements.map((s) => [s.kind, s.opaque !== null, s.range.start.line, s.range.end.line]), [
      ['CREATE TABLE', false, 1, 1], ['SELECT', true, 2, 2], ['INSERT', true, 3, 4], ['CREATE UNIQUE INDEX', true, 5, 5], ['ALTER TABLE', false, 6, 6],
    ]);
    const [, select, insert, index] = parsed.statements;
    assert.equal(select!.sql, `SELECT ${plus(12000)}`);
    assert.equal(insert!.sql, `INSERT INTO t SELECT ${plus(12000)}\n  FROM t`);
    assert.deepEqual([insert!.transactionControl, insert!.outsideTransaction, insert!.effects], [null, null, []]);
    assert.match(index!.outsideTransaction?.reason ?? '', /CREATE INDEX CONCURRENTLY cannot run inside a transaction block/);
    assert.equal(index!.simulatedSql, `CREATE UNIQUE INDEX idx_t_deep ON t ((a + ${plus(12000)}))`);
    // The rules judge what has a tree and raise nothing on what has none.
    const found = findings(text);
    assert.ok(!found.some((f) => f.startsWith('internal-error')), found.join(', '));
    assert.deepEqual(found.filter((f) => /@[2-5]$/.test(f)), ['needs-no-transaction@5'], 'on the opaque statements, only what their leading words tell');
    assert.ok(found.includes('prefer-bigint-over-int@1') && found.includes('prefer-bigint-over-int@6'), found.join(', '));
  });

  test('the parser is used again after running out of stack: the next file parses exactly', () => {
    const normal = 'CREATE TABLE accounts (id bigint PRIMARY KEY, email text);\nCREATE INDEX idx_accounts_email ON accounts (email);';
    const reference = JSON.stringify(parseMigrationSync('a.sql', normal).statements.map((s) => s.node));
    for (let i = 0; i < 40; i++) parseMigrationSync('deep.sql', `SELECT ${plus(12000)};`);
    assert.equal(JSON.stringify(parseMigrationSync('a.sql', normal).statements.map((s) => s.node)), reference);
  });
});

async function fresh(server: () => { url(db?: string): string; createDatabase(): Promise<string> }, setup?: string): Promise<string> {
  const url = server().url(await server().createDatabase());
  if (setup) await sql(url, setup);
  return url;
}

function run(url: string, files: MigrationFile[], mode: 'dry-run' | 'apply'): Promise<RunReport> {
  return runMigrations(files, { mode, backend: pgBackend({ connectionString: url }) });
}

/** psql -1's SQLSTATE (null when it succeeded). */
async function psqlOutcome(url: string, files: MigrationFile[]): Promise<string | null> {
  const result = await psqlFiles(url, files.map((f) => f.path), { singleTransaction: true, verbosity: 'sqlstate' });
  return result.code === 0 ? null : /ERROR:\s+([0-9A-Z]{5})/.exec(result.stderr)?.[1] ?? `psql exit ${result.code}: ${result.stderr}`;
}

/**
 * A database whose sessions may nest as deep as the machine's stack allows (max_stack_depth 7 MB):
 * PostgreSQL then runs statements Drydock's parser cannot read. Where the server's stack limit is
 * lower, it refuses the setting, and both psql and Drydock meet the default limit: still compared.
 */
async function deepDatabase(server: () => { url(db?: string): string; createDatabase(): Promise<string> }): Promise<string> {
  const url = await fresh(server);
  const name = new URL(url).pathname.slice(1);
  await sql(url, `ALTER DATABASE "${name}" SET max_stack_depth = '7MB'`).catch(() => undefined);
  return url;
}

describeEachServer('deep statements, run', (server) => {
  test('deep statements of every kind the server runs: the dry-run succeeds as psql -1 does and changes nothing; apply leaves the catalog psql leaves', async () => {
    const files = writeFiles({ '1.sql': deepMigration(3000, server().major) }, 'runs');
    const psqlDb = await fresh(server);
    assert.equal(await psqlOutcome(psqlDb, files), null);

    const dryDb = await fresh(server);
    const before = await fingerprint(dryDb, { cluster: false });
    const dry = await run(dryDb, files, 'dry-run');
    assert.equal(dry.outcome, 'succeeded', JSON.stringify(dry.error));
    assert.ok(dry.statements.every((s) => s.status === 'ok'), dry.statements.map((s) => `${s.range.start.line} ${s.status}`).join(', '));
    assert.deepEqual(dry.diagnostics.filter((d) => d.ruleId === 'internal-error'), []);
    const after = await fingerprint(dryDb, { cluster: false });
    assert.equal(after, before, fingerprintDiff(before, after));

    const applyDb = await fresh(server);
    const applied = await run(applyDb, files, 'apply');
    assert.equal(applied.outcome, 'succeeded', JSON.stringify(applied.error ?? applied.verification.filter((c) => c.status !== 'ok')));
    assert.equal(applied.committed, true);
    assert.equal(await catalogSnapshot(applyDb), await catalogSnapshot(psqlDb));
  });

  test('deeper than the server\'s max_stack_depth: the server\'s own 54001, at the statement\'s line, as psql; apply commits nothing', async () => {
    const files = writeFiles({ '1.sql': `CREATE TABLE deep_fail (a int);\nSELECT 1;\nSELECT ${plus(30000)};\n` }, 'limit');
    assert.equal(await psqlOutcome(await fresh(server), files), '54001');
    for (const mode of ['dry-run', 'apply'] as const) {
      const url = await fresh(server);
      const report = await run(url, files, mode);
      assert.equal(report.outcome, 'failed');
      assert.equal(report.error?.sqlstate, '54001', JSON.stringify(report.error));
      assert.equal(report.error?.file, files[0]!.path);
      assert.deepEqual(report.error?.position, { line: 3, column: 1 });
      assert.equal(report.committed, false);
      assert.deepEqual(await sql(url, "SELECT to_regclass('deep_fail') IS NULL AS gone"), [{ gone: true }]);
    }
  });

  test('too deep for Drydock\'s parser: sent as written, with the outcome psql has (where the server may nest deeper, it runs them)', async () => {
    const files = writeFiles({
      '1.sql': `CREATE TABLE opaque_t (a bigint);\nINSERT INTO opaque_t\n  SELECT ${plus(12000)};\nSELECT ${Array(12000).fill("'x'").join(' || ')} AS long;\nSELECT count(*) FROM opaque_t;\n`,
    }, 'opaque');
    const psqlDb = await deepDatabase(server);
    const expected = await psqlOutcome(psqlDb, files);
    for (const mode of ['dry-run', 'apply'] as const) {
      const url = await deepDatabase(server);
      const report = await run(url, files, mode);
      assert.equal(report.error?.sqlstate ?? null, expected, JSON.stringify(report.error));
      assert.deepEqual(report.statements.map((s) => s.kind), ['CREATE TABLE', 'INSERT', 'SELECT', 'SELECT']);
      if (expected) continue;
      assert.deepEqual(report.statements.map((s) => [s.status, s.rows]), [['ok', null], ['ok', 1], ['ok', 1], ['ok', 1]]);
      assert.equal(report.committed, mode === 'apply');
      if (mode === 'apply') assert.deepEqual(await sql(url, 'SELECT a::int FROM opaque_t'), await sql(psqlDb, 'SELECT a::int FROM opaque_t'));
    }
  });

  test('a CREATE INDEX CONCURRENTLY too deep for the parser: the dry-run runs it without CONCURRENTLY, apply refuses it without a directive', async () => {
    const statement = (concurrently: boolean) => `CREATE INDEX ${concurrently ? 'CONCURRENTLY ' : ''}idx_opaque ON opaque_i ((a + ${plus(12000)}))`;
    const files = writeFiles({ '1.sql': `${statement(true)};\n` }, 'cic');
    const plain = writeFiles({ '1.sql': `${statement(false)};\n` }, 'cic-plain');
    const setup = 'CREATE TABLE opaque_i (a int); INSERT INTO opaque_i VALUES (1);';
    const psqlDb = await deepDatabase(server);
    await sql(psqlDb, setup);
    const expected = await psqlOutcome(psqlDb, plain);
    const dryDb = await deepDatabase(server);
    await sql(dryDb, setup);
    const dry = await run(dryDb, files, 'dry-run');
    assert.equal(dry.error?.sqlstate ?? null, expected, JSON.stringify(dry.error));
    if (!expected) {
      assert.equal(dry.statements[0]!.status, 'simulated');
      assert.match(dry.statements[0]!.note ?? '', /^ran as: CREATE INDEX idx_opaque ON opaque_i/);
    }
    const applied = await run(dryDb, files, 'apply');
    assert.equal(applied.outcome, 'refused');
    assert.ok(applied.diagnostics.some((d) => d.ruleId === 'needs-no-transaction'), applied.diagnostics.map((d) => d.ruleId).join(', '));
  });
});
