// What a dry-run measures per statement, on every PostgreSQL major the project installs (13 … 18):
// the locks it newly takes (pg_locks), what they block, how long each is held (to the end of the
// run), the relations it rewrites (relfilenode) and the tables it scans (pg_stat_get_xact_numscans).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pgBackend } from '../../src/core/db/pg/pgBackend';
import type { RunReport, StatementReport } from '../../src/core/model/report';
import { runMigrations } from '../../src/core/run/runner';
import { describeEachServer, sql } from '../support/database';
import { everyMajorUnderTest } from '../support/throwawayPostgres';

const SETUP = `CREATE TABLE orders (id int PRIMARY KEY, amount int, note varchar(50), customer int);
INSERT INTO orders SELECT g, g % 100, 'n' || g, g % 10 FROM generate_series(1, 2000) g;
CREATE TABLE customers (id int PRIMARY KEY);
INSERT INTO customers SELECT g FROM generate_series(0, 9) g;
ANALYZE orders; ANALYZE customers;`;

async function dryRun(url: string, text: string): Promise<RunReport> {
  const report = await runMigrations([{ path: 'm.sql', text }], { mode: 'dry-run', backend: pgBackend({ connectionString: url }) });
  assert.equal(report.outcome, 'succeeded', JSON.stringify(report.error));
  return report;
}

const locksOf = (s: StatementReport) => s.locks.filter((l) => !l.createdInRun).map((l) => `${l.mode} ${l.relation}`);

describeEachServer('measured locks, rewrites and scans', (server) => {
  const fresh = async () => {
    const url = server().url(await server().createDatabase());
    await sql(url, SETUP);
    return url;
  };

  test('CREATE INDEX: SHARE on the table, which blocks writes; the table is scanned, not rewritten', async () => {
    const [s] = (await dryRun(await fresh(), 'CREATE INDEX idx_orders_amount ON orders (amount);')).statements;
    assert.deepEqual(locksOf(s!), ['ShareLock orders']);
    assert.equal(s!.locks.find((l) => l.relation === 'orders')!.blocks, 'writes');
    assert.deepEqual(s!.rewrites, []);
    assert.deepEqual(s!.scans.map((x) => [x.relation, x.reason]), [['orders', 'index build']]);
  });

  test('ADD COLUMN with a volatile default rewrites under ACCESS EXCLUSIVE; a constant default does not rewrite', async () => {
    const url = await fresh();
    const [volatile] = (await dryRun(url, 'ALTER TABLE orders ADD COLUMN token uuid DEFAULT gen_random_uuid();')).statements;
    assert.deepEqual(locksOf(volatile!), ['AccessExclusiveLock orders']);
    assert.equal(volatile!.locks[0]!.blocks, 'reads and writes');
    assert.ok(volatile!.rewrites.some((r) => r.relation === 'orders' && r.kind === 'table'), JSON.stringify(volatile!.rewrites));
    const [constant] = (await dryRun(url, "ALTER TABLE orders ADD COLUMN status text NOT NULL DEFAULT 'new';")).statements;
    assert.deepEqual(locksOf(constant!), ['AccessExclusiveLock orders']);
    assert.deepEqual(constant!.rewrites, []);
  });

  test('CHECK: added plainly it scans the table, NOT VALID it does not; a later VALIDATE takes SHARE UPDATE EXCLUSIVE and scans', async () => {
    const url = await fresh();
    const [plain] = (await dryRun(url, 'ALTER TABLE orders ADD CONSTRAINT chk_orders_amount CHECK (amount >= 0);')).statements;
    assert.deepEqual(plain!.scans.map((x) => x.reason), ['validates CHECK chk_orders_amount']);
    const [notValid] = (await dryRun(url, 'ALTER TABLE orders ADD CONSTRAINT chk_orders_amount CHECK (amount >= 0) NOT VALID;')).statements;
    assert.deepEqual(locksOf(notValid!), ['AccessExclusiveLock orders']);
    assert.deepEqual(notValid!.scans, []);
    // The next migration: the NOT VALID constraint is in place, committed.
    await sql(url, 'ALTER TABLE orders ADD CONSTRAINT chk_orders_amount CHECK (amount >= 0) NOT VALID');
    const [validate] = (await dryRun(url, 'ALTER TABLE orders VALIDATE CONSTRAINT chk_orders_amount;')).statements;
    assert.deepEqual(locksOf(validate!), ['ShareUpdateExclusiveLock orders']);
    assert.equal(validate!.locks[0]!.blocks, 'DDL and VACUUM');
    assert.deepEqual(validate!.scans.map((x) => x.reason), ['VALIDATE CONSTRAINT chk_orders_amount']);
  });

  test('within one run a weaker lock on a table already locked more strongly is not repeated', async () => {
    const [notValid, validate] = (await dryRun(await fresh(), 'ALTER TABLE orders ADD CONSTRAINT chk_orders_amount CHECK (amount >= 0) NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT chk_orders_amount;')).statements;
    assert.deepEqual(locksOf(notValid!), ['AccessExclusiveLock orders']);
    assert.deepEqual(locksOf(validate!), []);
    assert.deepEqual(validate!.scans.map((x) => x.reason), ['VALIDATE CONSTRAINT chk_orders_amount']);
  });

  test('a type change to bigint rewrites the table and its indexes; varchar(50) to varchar(100) rewrites nothing', async () => {
    const url = await fresh();
    const [bigint] = (await dryRun(url, 'ALTER TABLE orders ALTER COLUMN id TYPE bigint;')).statements;
    assert.ok(bigint!.rewrites.some((r) => r.relation === 'orders' && r.kind === 'table'));
    assert.ok(bigint!.rewrites.some((r) => r.relation === 'orders_pkey' && r.kind === 'index'), JSON.stringify(bigint!.rewrites));
    const [wider] = (await dryRun(url, 'ALTER TABLE orders ALTER COLUMN note TYPE varchar(100);')).statements;
    assert.deepEqual(locksOf(wider!), ['AccessExclusiveLock orders']);
    assert.deepEqual(wider!.rewrites, []);
  });

  test('a lock is held until the run ends: its time grows with every later statement, which are counted', async () => {
    const report = await dryRun(await fresh(), 'ALTER TABLE orders ADD COLUMN flag boolean;\nSELECT pg_sleep(0.2);\nSELECT pg_sleep(0.2);\nCREATE INDEX idx_orders_customer ON orders (customer);');
    const [first, , , last] = report.statements;
    const exclusive = first!.locks.find((l) => l.relation === 'orders')!;
    assert.equal(exclusive.mode, 'AccessExclusiveLock');
    assert.equal(exclusive.heldWhile, 3);
    assert.ok(exclusive.heldMs >= 400, `held ${exclusive.heldMs} ms`);
    assert.deepEqual(locksOf(last!), [], 'the index build needs no lock the run does not hold already');
  });

  test('after many tables created in the run, a lock on an existing table is still reported and one on a sequence the run created is not', async () => {
    const creates = Array.from({ length: 40 }, (_, i) => `CREATE TABLE filler_${i} (id int PRIMARY KEY);`).join('\n');
    const report = await dryRun(await fresh(), `CREATE TABLE counted (id serial);\n${creates}\nALTER SEQUENCE counted_id_seq RESTART WITH 100;\nALTER TABLE orders ADD COLUMN remark text;`);
    const alterSequence = report.statements.find((s) => s.sql.startsWith('ALTER SEQUENCE'))!;
    const sequenceLocks = alterSequence.locks.filter((l) => l.relation === 'counted_id_seq');
    assert.ok(sequenceLocks.every((l) => l.createdInRun), JSON.stringify(alterSequence.locks));
    assert.deepEqual(locksOf(alterSequence), []);
    const alterOrders = report.statements.at(-1)!;
    assert.deepEqual(locksOf(alterOrders), ['AccessExclusiveLock orders']);
  });

  test('a table created earlier in the run: its locks are marked new (nobody waits), its rewrites and scans not reported', async () => {
    const [create, alter] = (await dryRun(await fresh(), 'CREATE TABLE fresh (id int);\nALTER TABLE fresh ADD COLUMN t uuid DEFAULT gen_random_uuid();')).statements;
    assert.ok(create!.locks.every((l) => l.createdInRun));
    assert.deepEqual(locksOf(alter!), []);
    assert.deepEqual(alter!.rewrites, []);
  });

  test('a simulated CREATE INDEX CONCURRENTLY reports the lock the real one takes', async () => {
    const [s] = (await dryRun(await fresh(), 'CREATE INDEX CONCURRENTLY idx_orders_note ON orders (note);')).statements;
    assert.equal(s!.status, 'simulated');
    assert.deepEqual(locksOf(s!), ['ShareUpdateExclusiveLock orders']);
    assert.equal(s!.locks.find((l) => l.relation === 'orders')!.simulated, true);
  });

  test('a foreign key added plainly scans the referencing table under SHARE ROW EXCLUSIVE on both', async () => {
    const [s] = (await dryRun(await fresh(), 'ALTER TABLE orders ADD CONSTRAINT fk_orders_customer FOREIGN KEY (customer) REFERENCES customers (id);')).statements;
    assert.deepEqual(locksOf(s!).sort(), ['ShareRowExclusiveLock customers', 'ShareRowExclusiveLock orders']);
    assert.ok(s!.scans.some((x) => x.relation === 'orders' && x.reason === 'validates FOREIGN KEY fk_orders_customer'), JSON.stringify(s!.scans));
  });
}, everyMajorUnderTest());
