// What a dry-run measures per statement, on every PostgreSQL major the project installs (13 … 18):
// the locks it newly takes (pg_locks), what they block, how long each is held (to the end of the
// run), the relations it rewrites (relfilenode) and the tables it scans (pg_stat_get_xact_numscans).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pgBackend } from '../../src/core/db/pg/pgBackend';
import type { RunReport, StatementReport } from '../../src/core/model/report';
import { DEFAULT_LINT_SETTINGS } from '../../src/core/model/lintSettings';
import { loadParser, parseMigrationSync } from '../../src/core/parse/parseMigration';
import { checkFiles } from '../../src/core/rules/checkMigration';
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

/** What Drydock predicts for each statement of `text`, the files having created the schema in `schema` earlier. */
async function predicted(schema: string, text: string, pgVersion: number) {
  await loadParser();
  const [checked] = checkFiles([parseMigrationSync('m.sql', text)], { context: [parseMigrationSync('schema.sql', schema)], settings: { ...DEFAULT_LINT_SETTINGS, pgVersion } });
  return checked!.analysis.statements.map((s) => s.effects);
}

// ALTER COLUMN … TYPE from → to, each on a column of its own: the changes PostgreSQL makes in place
// (a raised limit or precision, a binary-coercible type) and their neighbours that rewrite.
const TYPE_CHANGES: readonly [string, string][] = [
  ['varchar(10)', 'varchar(20)'], ['varchar(20)', 'varchar(10)'], ['varchar(10)', 'varchar'], ['varchar(10)', 'text'], ['text', 'varchar'],
  ['text', 'varchar(10)'], ['char(10)', 'char(20)'], ['char(10)', 'text'],
  ['numeric(10, 2)', 'numeric(12, 2)'], ['numeric(10, 2)', 'numeric(12, 3)'], ['numeric(10, 2)', 'numeric'], ['numeric(10)', 'numeric(12, 0)'], ['numeric', 'numeric(10, 2)'],
  ['timestamp(3)', 'timestamp'], ['timestamp(3)', 'timestamp(6)'], ['timestamp(6)', 'timestamp(3)'], ['timestamp', 'timestamp(6)'], ['timestamp', 'timestamp(3)'],
  ['timestamptz(3)', 'timestamptz'], ['timestamptz(3)', 'timestamptz(4)'], ['timestamptz(6)', 'timestamptz(3)'],
  ['time(3)', 'time'], ['time(6)', 'time(2)'], ['timetz(3)', 'timetz(6)'], ['interval(3)', 'interval'], ['interval(3)', 'interval(6)'],
  ['interval(6)', 'interval(3)'], ['interval day', 'interval'], ['interval', 'interval day'],
  ['varbit(10)', 'varbit(20)'], ['varbit(20)', 'varbit(10)'], ['cidr', 'inet'], ['inet', 'cidr'], ['integer', 'bigint'], ['json', 'jsonb'],
  ['varchar(10)[]', 'varchar(20)[]'], ['timestamp', 'timestamptz'], ['timestamptz', 'timestamp'],
];

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

  test('a type change rewrites the table exactly when Drydock predicts it (raised precisions and limits do not)', async () => {
    const database = await server().createDatabase();
    const url = server().url(database);
    const schema = `CREATE TABLE typed (${TYPE_CHANGES.map(([from], i) => `c${i} ${from}`).join(', ')});`;
    await sql(url, `${schema}\nINSERT INTO typed (c0) VALUES (NULL);`);
    // timestamp ↔ timestamptz is in place only when the session's TimeZone is UTC: not here.
    await sql(url, `ALTER DATABASE "${database}" SET timezone = 'Europe/Berlin'`);
    const text = TYPE_CHANGES.map(([, to], i) => `ALTER TABLE typed ALTER COLUMN c${i} TYPE ${to};`).join('\n');
    const measured = (await dryRun(url, text)).statements.map((s) => s.rewrites.some((r) => r.relation === 'typed' && r.kind === 'table'));
    const predictions = (await predicted(schema, text, server().major)).map((e) => e.rewrites.includes('typed'));
    const named = (flags: boolean[]) => flags.map((rewrites, i) => `${TYPE_CHANGES[i]!.join(' → ')}: ${rewrites ? 'rewrites' : 'in place'}`);
    assert.deepEqual(named(predictions), named(measured));
    assert.ok(measured.includes(true) && measured.includes(false));
  });

  test('TRUNCATE takes ACCESS EXCLUSIVE and neither rewrites nor reads the table (its indexes are rebuilt empty); Drydock predicts the same', async () => {
    const url = await fresh();
    await sql(url, 'CREATE INDEX idx_orders_amount ON orders (amount)');
    const [s] = (await dryRun(url, 'TRUNCATE orders;')).statements;
    assert.deepEqual(locksOf(s!), ['AccessExclusiveLock orders']);
    assert.deepEqual(s!.rewrites, []);
    assert.deepEqual(s!.scans, []);
    const [effects] = await predicted('', 'TRUNCATE orders;', server().major);
    assert.deepEqual([effects!.rewrites, effects!.scans], [[], []]);
  });

  test('DROP INDEX takes ACCESS EXCLUSIVE on the index\'s table, which Drydock names when the files built the index', async () => {
    const url = await fresh();
    const schema = 'CREATE INDEX idx_orders_amount ON orders (amount);';
    await sql(url, schema);
    const [s] = (await dryRun(url, 'DROP INDEX idx_orders_amount;')).statements;
    assert.deepEqual(locksOf(s!), ['AccessExclusiveLock orders']);
    const [effects] = await predicted(schema, 'DROP INDEX idx_orders_amount;', server().major);
    assert.deepEqual(effects!.locks, [{ relation: 'orders', mode: 'AccessExclusiveLock' }]);
  });

  test('CREATE INDEX ON ONLY a partitioned table takes SHARE on it and reads nothing; Drydock predicts no scan', async () => {
    const url = await fresh();
    const schema = 'CREATE TABLE events (id int, kind int) PARTITION BY LIST (kind);\nCREATE TABLE events_1 PARTITION OF events FOR VALUES IN (1);';
    await sql(url, `${schema}\nINSERT INTO events SELECT g, 1 FROM generate_series(1, 1000) g;\nANALYZE events;`);
    const text = 'CREATE INDEX idx_events_id ON ONLY events (id);\nCREATE INDEX idx_events_1_id ON events_1 (id);\nALTER INDEX idx_events_id ATTACH PARTITION idx_events_1_id;';
    const [only, partition] = (await dryRun(url, text)).statements;
    assert.deepEqual(locksOf(only!), ['ShareLock events']);
    assert.deepEqual(only!.scans, []);
    assert.deepEqual(partition!.scans.map((x) => x.relation), ['events_1']);
    const [effects] = await predicted(schema, text, server().major);
    assert.deepEqual([effects!.locks, effects!.scans], [[{ relation: 'events', mode: 'ShareLock' }], []]);
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
