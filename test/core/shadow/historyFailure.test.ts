// One failing earlier migration never hides the next: on PGlite and on a scratch database of a
// real server, the failure is reported as the history's (its file, line and error, never the
// target's), the target still dry-runs on the state before the failing migration and the report
// says so; the dry-run still commits nothing and leaves the shadow's state as it was.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { withSession } from '../../../src/core/db/withSession';
import { formatReport } from '../../../src/core/output/text';
import { PgliteShadow } from '../../../src/core/shadow/pgliteShadow';
import { ScratchDatabaseShadow, SCRATCH_PREFIX } from '../../../src/core/shadow/scratchDatabase';
import type { ShadowHost } from '../../../src/core/shadow/shadowHost';
import { onPreparedShadow, runShadowDryRun, type ShadowTarget } from '../../../src/core/shadow/shadowRun';
import { catalogSnapshot, sql } from '../../support/database';
import { fingerprintWith } from '../../support/fingerprint';
import { startPostgres, type ThrowawayPostgres } from '../../support/throwawayPostgres';
import { relativeTo, target, writeFolder } from './folders';

/** 003 fails 23514 on the rows 001 wrote; 004 is not applied either; the target is 005. */
const CHECK_FAILS = {
  'migrations/001_orders.sql': 'CREATE TABLE orders (id int PRIMARY KEY, qty int);\nINSERT INTO orders VALUES (1, 1), (2, -1), (3, -5);\n',
  'migrations/002_notes.sql': 'ALTER TABLE orders ADD COLUMN note text;\n',
  'migrations/003_positive.sql': '-- quantities are positive\nALTER TABLE orders\n  ADD CONSTRAINT qty_positive CHECK (qty > 0);\n',
  'migrations/004_flag.sql': 'ALTER TABLE orders ADD COLUMN flagged boolean;\n',
  'migrations/005_target.sql': 'CREATE INDEX orders_note ON orders (note);\nUPDATE orders SET note = \'checked\';\n',
};

/** 002 runs outside a transaction: its first statement commits, its second fails (the state before it has no table b). */
const PART_COMMITTED = {
  'migrations/001_a.sql': 'CREATE TABLE a (id int);\n',
  'migrations/002_half.sql': '-- drydock:no-transaction\nCREATE TABLE b (id int);\nALTER TABLE missing ADD COLUMN x int;\n',
  'migrations/003_target.sql': 'CREATE TABLE b (id int, name text);\n',
};

/** The shadow's state at the point the target's dry-run starts from, as a fingerprint. */
async function stateBefore(host: ShadowHost, t: ShadowTarget): Promise<string> {
  return onPreparedShadow([t], { host }, (backend) => withSession(backend, (s) => fingerprintWith(async (q) => (await s.query(q)).rows, { cluster: false })));
}

/** The checks both shadows must pass. */
function historyFailureCases(host: () => ShadowHost): void {
  test('003 fails 23514: the failure is the history\'s (003, its line, its error), 005 still dry-runs on the state before 003, and the report says so', async () => {
    const root = writeFolder(CHECK_FAILS);
    const t = target(root, 'migrations/005_target.sql');
    const before = await stateBefore(host(), t);
    const report = await runShadowDryRun([t], { host: host(), displayPath: relativeTo(root) });
    assert.equal(report.outcome, 'succeeded', JSON.stringify(report.error));
    assert.equal(report.error, undefined, 'the earlier failure is not the target\'s error');
    assert.equal(report.committed, false);
    const h = report.historyFailure;
    assert.ok(h, 'the report holds the history\'s failure');
    assert.equal(h.file, 'migrations/003_positive.sql');
    assert.equal(h.error.sqlstate, '23514');
    assert.equal(h.error.position?.line, 2);
    assert.match(h.error.message, /^earlier migration migrations\/003_positive\.sql:2 failed: /);
    assert.deepEqual([h.applied, h.notApplied, h.filesRan], [2, ['migrations/004_flag.sql'], true]);
    assert.equal(report.shadow?.history, 2, 'the shadow says how many earlier migrations the target ran after');
    assert.deepEqual(report.statements.map((s) => [s.status, s.rows]), [['ok', null], ['ok', 3]], 'the target ran on the rows 001 wrote, with 002\'s column');
    const text = formatReport(report, false).split('\n');
    const historyAt = text.findIndex((l) => l.startsWith('history: earlier migration migrations/003_positive.sql failed'));
    assert.ok(historyAt > 0 && historyAt < text.indexOf('Statements:'), `the history's failure comes before the target's statements:\n${text.join('\n')}`);
    assert.ok(text.some((l) => l.includes('dry-run anyway, on the state before migrations/003_positive.sql (2 earlier migrations applied; not applied: migrations/003_positive.sql, migrations/004_flag.sql)')));
    assert.match(text.at(-1) ?? '', /^succeeded: rolled back, \d+ ms; the history failed at migrations\/003_positive\.sql/);
    assert.equal(await stateBefore(host(), t), before, 'the dry-run changed the state it started from');
  });

  test('a target that needs the failing migration fails with its own error, beside the history\'s', async () => {
    const root = writeFolder({ ...CHECK_FAILS, 'migrations/005_target.sql': 'ALTER TABLE orders VALIDATE CONSTRAINT qty_positive;\n' });
    const report = await runShadowDryRun([target(root, 'migrations/005_target.sql')], { host: host(), displayPath: relativeTo(root) });
    assert.equal(report.outcome, 'failed');
    assert.equal(report.error?.sqlstate, '42704', 'the target\'s own error: the constraint 003 would add is not there');
    assert.equal(report.error?.file, 'migrations/005_target.sql');
    assert.equal(report.historyFailure?.error.sqlstate, '23514');
  });

  test('a failing migration that committed part of itself: the target runs on the state before it, without that part', async () => {
    const root = writeFolder(PART_COMMITTED);
    const report = await runShadowDryRun([target(root, 'migrations/003_target.sql')], { host: host(), displayPath: relativeTo(root) });
    assert.equal(report.outcome, 'succeeded', `table b of 002's committed half is not there: ${JSON.stringify(report.error)}`);
    assert.equal(report.historyFailure?.file, 'migrations/002_half.sql');
    assert.equal(report.historyFailure?.error.sqlstate, '42P01');
    assert.deepEqual([report.historyFailure?.applied, report.historyFailure?.notApplied], [1, []]);
  });

  test('a history that replays is no history failure (must not report one)', async () => {
    const root = writeFolder({ ...CHECK_FAILS, 'migrations/001_orders.sql': 'CREATE TABLE orders (id int PRIMARY KEY, qty int);\nINSERT INTO orders VALUES (1, 1);\n' });
    const report = await runShadowDryRun([target(root, 'migrations/005_target.sql')], { host: host(), displayPath: relativeTo(root) });
    assert.equal(report.outcome, 'succeeded');
    assert.equal(report.historyFailure, undefined);
    assert.equal(report.shadow?.history, 4);
    assert.doesNotMatch(formatReport(report, false), /history:/);
  });
}

describe('history failure on the PGlite shadow', () => {
  const shadow = new PgliteShadow({ cacheDir: null });
  after(() => shadow.close());
  historyFailureCases(() => shadow);
});

describe('history failure on a scratch database of a real PostgreSQL', () => {
  let server: ThrowawayPostgres;
  let devUrl = '';
  let devBefore = '';
  before(async () => {
    server = await startPostgres();
    const dev = await server.createDatabase();
    devUrl = server.url(dev);
    await sql(devUrl, 'CREATE TABLE orders (id int PRIMARY KEY)');
    devBefore = await catalogSnapshot(devUrl);
  });
  after(async () => {
    // The development database is never touched, and every scratch database is dropped.
    assert.equal(await catalogSnapshot(devUrl), devBefore);
    const left = await sql<{ datname: string }>(server.url(), 'SELECT datname FROM pg_database WHERE starts_with(datname, $1)', [SCRATCH_PREFIX]);
    assert.deepEqual(left, []);
    await server.stop();
  });
  historyFailureCases(() => new ScratchDatabaseShadow({ server: { connectionString: server.url('postgres') } }));
});
