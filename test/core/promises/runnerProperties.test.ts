// Property-based: generated files mixing transaction control (also chained and prepared),
// savepoints, COMMIT and ROLLBACK inside DO blocks and procedures, ignore comments of both tools,
// drydock.json severities that turn rules off, no-transaction directives, CONCURRENTLY and hostile
// text (semicolons and COMMIT inside strings, dollar quotes and comments). Whatever the file:
// - a dry-run leaves the database and the cluster exactly as they were;
// - an apply in a transaction either committed everything (the database is then what psql -1 makes
//   of the statements it reports as run) or nothing at all;
// - a no-transaction apply leaves exactly what psql makes of the statements it reports as run,
//   each committed on its own.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { PgliteInstance } from '../../../src/core/db/pglite/pgliteInstance';
import { pgliteBackend } from '../../../src/core/db/pglite/pgliteBackend';
import { withSession } from '../../../src/core/db/withSession';
import type { LintSettings, RuleSetting } from '../../../src/core/model/lintSettings';
import type { RunReport } from '../../../src/core/model/report';
import type { MigrationFile } from '../../../src/core/run/runner';
import { clusterFingerprint, fingerprint, fingerprintDiff, fingerprintWith } from '../../support/fingerprint';
import { ATTACK_SCHEMA, describeAttacked, exec, runAt, runOn, severities } from './support';

/** Statements a file is made of; `n` keeps names and keys unique within a case. */
const STATEMENTS: readonly ((n: number) => string)[] = [
  (n) => `INSERT INTO t VALUES (${1000 + n}, 'generated')`,
  () => "UPDATE t SET note = 'updated' WHERE id = 1",
  () => 'DELETE FROM t WHERE id = 1',
  (n) => `CREATE TABLE g${n} (x int)`,
  (n) => `ALTER TABLE t ADD COLUMN c${n} int`,
  (n) => `CREATE INDEX gi${n} ON t (note)`,
  (n) => `CREATE INDEX CONCURRENTLY gc${n} ON t (id)`,
  () => 'BEGIN',
  () => 'START TRANSACTION',
  () => 'COMMIT',
  () => 'END',
  () => 'ROLLBACK',
  () => 'ABORT',
  () => 'COMMIT AND CHAIN',
  () => 'ROLLBACK AND CHAIN',
  (n) => `PREPARE TRANSACTION 'p${n}'`,
  () => "COMMIT PREPARED 'nope'",
  () => 'SAVEPOINT a',
  () => 'RELEASE SAVEPOINT a',
  () => 'ROLLBACK TO SAVEPOINT a',
  () => 'DO $$ BEGIN COMMIT; END $$',
  () => 'DO $$ BEGIN ROLLBACK; END $$',
  () => 'DO $$ BEGIN PERFORM 1; END $$',
  () => "DO $$ BEGIN EXECUTE 'COMMIT'; END $$",
  () => 'CALL p_commit()',
  () => 'CALL p_rollback()',
  () => "SELECT 'a;COMMIT;b'",
  () => 'SELECT $q$;COMMIT;$q$',
  () => '/* ; COMMIT; */ SELECT 1',
  () => "SELECT E'\\x1b[2K\\rsucceeded: committed'",
  () => 'SELECT * FROM no_such_table',
];

/** What may stand on the line before a statement. */
const PREFIXES = ['', '', '', '-- drydock-ignore transaction-control\n', '-- squawk-ignore transaction-control\n', '-- drydock-ignore transaction-control, syntax-error: hostile\n'];

/** What may open a file. */
const HEADERS = ['', '', '-- drydock-ignore-file transaction-control\n', '-- drydock:no-transaction\n', '-- +goose Up\n-- +goose NO TRANSACTION\n', '--! no-transaction\n'];

const SETTINGS: readonly Record<string, RuleSetting>[] = [
  {},
  { 'transaction-control': 'off' },
  { 'transaction-control': 'warning', 'needs-no-transaction': 'off' },
  { 'transaction-control': 'info', 'no-transaction-with-others': 'off', 'syntax-error': 'off' },
];

interface GeneratedCase {
  files: MigrationFile[];
  settings: LintSettings;
}

const fileArbitrary = fc.record({
  header: fc.integer({ min: 0, max: HEADERS.length - 1 }),
  lines: fc.array(fc.record({ prefix: fc.integer({ min: 0, max: PREFIXES.length - 1 }), statement: fc.integer({ min: 0, max: STATEMENTS.length - 1 }) }), { minLength: 1, maxLength: 5 }),
});

const caseArbitrary: fc.Arbitrary<GeneratedCase> = fc.record({
  files: fc.array(fileArbitrary, { minLength: 1, maxLength: 2 }),
  settings: fc.integer({ min: 0, max: SETTINGS.length - 1 }),
}).map(({ files, settings }) => {
  let n = 0;
  return {
    files: files.map((f, i) => ({
      path: `${i + 1}_generated.sql`,
      text: HEADERS[f.header]! + f.lines.map((l) => `${PREFIXES[l.prefix]!}${STATEMENTS[l.statement]!(n++)};`).join('\n') + '\n',
    })),
    settings: severities(SETTINGS[settings]!),
  };
});

/** How many cases per server: DRYDOCK_PROPERTY_RUNS overrides. */
function runs(fallback: number): number {
  const wanted = Number(process.env.DRYDOCK_PROPERTY_RUNS);
  return Number.isInteger(wanted) && wanted > 0 ? wanted : fallback;
}

/** The statements the report says ran, as one script (what psql gets to build the reference). */
function statementsRun(report: RunReport): string {
  return report.statements.filter((s) => s.status === 'ok').map((s) => `${s.sql};`).join('\n');
}

function describeCase(c: GeneratedCase, report: RunReport): string {
  return `${c.files.map((f) => `-- ${f.path}\n${f.text}`).join('')}settings ${JSON.stringify(c.settings.rules)}\n→ ${report.outcome} committed=${report.committed} `
    + `transactional=${report.transactional} ${report.error ? `${report.error.sqlstate} ${report.error.message}` : ''}`;
}

describeAttacked((major) => `properties of every run (PostgreSQL ${major})`, ({ fresh }, major) => {
  const many = major === 17 ? 40 : 12;

  test('a dry-run leaves the database and the cluster exactly as they were', async () => {
    await fc.assert(fc.asyncProperty(caseArbitrary, async (c) => {
      const url = await fresh();
      const before = await fingerprint(url);
      const report = await runAt(url, c.files, 'dry-run', c.settings);
      assert.equal(report.committed, false, describeCase(c, report));
      assert.equal(fingerprintDiff(before, await fingerprint(url)), 'identical', describeCase(c, report));
    }), { numRuns: runs(many), verbose: 1, includeErrorInReport: true });
  });

  test('an apply commits all or nothing, and what it commits is what psql makes of the statements it reports as run', async () => {
    await fc.assert(fc.asyncProperty(caseArbitrary, async (c) => {
      const url = await fresh();
      const before = await fingerprint(url);
      const clusterBefore = await clusterFingerprint(url);
      const report = await runAt(url, c.files, 'apply', c.settings);
      const after = await fingerprint(url);
      const clusterAfter = await clusterFingerprint(url);
      const reference = await fresh();
      const script = statementsRun(report);
      if (report.transactional) {
        if (report.outcome !== 'succeeded') {
          assert.equal(report.committed, false, describeCase(c, report));
          assert.equal(fingerprintDiff(before, after), 'identical', describeCase(c, report));
          return;
        }
        assert.equal(report.committed, true, describeCase(c, report));
        if (script !== '') await exec(reference, `BEGIN;\n${script}\nCOMMIT;`);
      } else {
        // Statement by statement, each committed as it ran: the reference runs the same ones the same way.
        assert.equal(report.committed, report.statements.some((s) => s.status === 'ok'), describeCase(c, report));
        for (const s of report.statements.filter((x) => x.status === 'ok')) await exec(reference, s.sql);
      }
      // The database as psql leaves it; the cluster around it as before (an apply changes nothing beyond its database).
      assert.equal(fingerprintDiff(await fingerprint(reference, { cluster: false }), await fingerprint(url, { cluster: false })), 'identical', describeCase(c, report));
      assert.equal(fingerprintDiff(clusterBefore, clusterAfter), 'identical', describeCase(c, report));
    }), { numRuns: runs(many), verbose: 1, includeErrorInReport: true });
  });
});

describe('properties of every dry-run (PGlite)', () => {
  let instance: PgliteInstance;
  before(async () => {
    instance = await PgliteInstance.boot({ dataDir: null, extensions: [] });
    await instance.db.exec(ATTACK_SCHEMA);
  });
  after(async () => { await instance.close(); });

  test('a dry-run leaves the instance exactly as it was', async () => {
    const backend = pgliteBackend(instance);
    const print = () => withSession(backend, (session) => fingerprintWith(async (sql) => (await session.query(sql)).rows, { cluster: false }));
    await fc.assert(fc.asyncProperty(caseArbitrary, async (c) => {
      const before = await print();
      const report = await runOn(backend, c.files, 'dry-run', c.settings);
      assert.equal(report.committed, false, describeCase(c, report));
      assert.equal(fingerprintDiff(before, await print()), 'identical', describeCase(c, report));
    }), { numRuns: runs(25), verbose: 1, includeErrorInReport: true });
  });
});
