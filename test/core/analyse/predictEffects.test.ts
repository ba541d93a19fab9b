// The prediction table: for each kind of statement, the lock (PostgreSQL's mode name, per
// relation), and whether the table is rewritten or read in full — as the manual documents them.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { describeEffects } from '../../../src/core/analyse/describeEffects';
import { predictStatementEffects, type PredictedEffects } from '../../../src/core/analyse/predictEffects';
import { SchemaHistory } from '../../../src/core/analyse/schemaHistory';
import { loadParser } from '../../../src/core/parse/parseMigration';
import { parseSql } from '../../../src/core/parse/pgParser';
import type { Node } from '../../../src/core/parse/pgTypes';

before(() => loadParser());

function nodes(sql: string): Node[] {
  return (parseSql(sql).stmts ?? []).map((s) => s.stmt!);
}

function predict(sql: string, pgVersion = 16, schemaSql = ''): PredictedEffects {
  const schema = new SchemaHistory();
  nodes(schemaSql).forEach((n, i) => schema.record(n, i, 'schema.sql', false));
  return predictStatementEffects(nodes(sql)[0]!, { pgVersion, schema, order: 1000 });
}

const short = (e: PredictedEffects) => ({ locks: e.locks.map((l) => `${l.relation}:${l.mode}`), rewrites: e.rewrites, scans: e.scans, everyRow: e.everyRow });

const TABLE: [string, string[], string[], string[]][] = [
  // statement, locks, rewrites, scans
  ['CREATE INDEX i ON t (a)', ['t:ShareLock'], [], ['t']],
  ['CREATE INDEX CONCURRENTLY i ON t (a)', ['t:ShareUpdateExclusiveLock'], [], ['t']],
  ['DROP INDEX i', ['i:AccessExclusiveLock'], [], []],
  ['DROP INDEX CONCURRENTLY i', ['i:ShareUpdateExclusiveLock'], [], []],
  ['ALTER TABLE t ADD COLUMN c text', ['t:AccessExclusiveLock'], [], []],
  ["ALTER TABLE t ADD COLUMN c text DEFAULT 'x'", ['t:AccessExclusiveLock'], [], []],
  ['ALTER TABLE t ADD COLUMN c uuid DEFAULT gen_random_uuid()', ['t:AccessExclusiveLock'], ['t'], []],
  ['ALTER TABLE t ADD COLUMN c bigserial', ['t:AccessExclusiveLock'], ['t'], []],
  ['ALTER TABLE t ALTER COLUMN c TYPE bigint', ['t:AccessExclusiveLock'], ['t'], []],
  ['ALTER TABLE t ALTER COLUMN c SET NOT NULL', ['t:AccessExclusiveLock'], [], ['t']],
  ['ALTER TABLE t ADD CONSTRAINT k CHECK (a > 0)', ['t:AccessExclusiveLock'], [], ['t']],
  ['ALTER TABLE t ADD CONSTRAINT k CHECK (a > 0) NOT VALID', ['t:AccessExclusiveLock'], [], []],
  ['ALTER TABLE t ADD CONSTRAINT f FOREIGN KEY (a) REFERENCES u (id)', ['t:ShareRowExclusiveLock', 'u:ShareRowExclusiveLock'], [], ['t']],
  ['ALTER TABLE t VALIDATE CONSTRAINT k', ['t:ShareUpdateExclusiveLock'], [], ['t']],
  ['ALTER TABLE t ADD CONSTRAINT u UNIQUE (a)', ['t:AccessExclusiveLock'], [], ['t']],
  ['ALTER TABLE t ADD CONSTRAINT u UNIQUE USING INDEX u', ['t:AccessExclusiveLock'], [], []],
  ['ALTER TABLE t SET (fillfactor = 70)', ['t:ShareUpdateExclusiveLock'], [], []],
  ['ALTER TABLE t DISABLE TRIGGER ALL', ['t:ShareRowExclusiveLock'], [], []],
  ['ALTER TABLE t SET LOGGED', ['t:AccessExclusiveLock'], ['t'], []],
  ['ALTER TABLE p ATTACH PARTITION p1 FOR VALUES IN (1)', ['p:ShareUpdateExclusiveLock', 'p1:AccessExclusiveLock'], [], ['p1']],
  ['ALTER TABLE p DETACH PARTITION p1 CONCURRENTLY', ['p:ShareUpdateExclusiveLock', 'p1:ShareUpdateExclusiveLock'], [], []],
  ['CREATE TABLE n (a bigint REFERENCES u (id))', ['u:ShareRowExclusiveLock'], [], []],
  ['CREATE TRIGGER g BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION f()', ['t:ShareRowExclusiveLock'], [], []],
  ['ALTER TABLE t RENAME COLUMN a TO b', ['t:AccessExclusiveLock'], [], []],
  ['ALTER INDEX i RENAME TO j', ['i:ShareUpdateExclusiveLock'], [], []],
  ['TRUNCATE t', ['t:AccessExclusiveLock'], [], []],
  ['CREATE INDEX i ON ONLY p (a)', ['p:ShareLock'], [], []],
  ['UPDATE t SET a = 1', ['t:RowExclusiveLock'], [], ['t']],
  ['UPDATE t SET a = 1 WHERE id = 2', ['t:RowExclusiveLock'], [], []],
  ['LOCK TABLE t IN SHARE ROW EXCLUSIVE MODE', ['t:ShareRowExclusiveLock'], [], []],
  ['VACUUM FULL t', ['t:AccessExclusiveLock'], ['t'], []],
  ['REFRESH MATERIALIZED VIEW CONCURRENTLY m', ['m:ExclusiveLock'], ['m'], []],
  ['ALTER TABLE app.t ADD COLUMN c text', ['app.t:AccessExclusiveLock'], [], []],
  ['ALTER TABLE public.t ADD COLUMN c text', ['t:AccessExclusiveLock'], [], []],
  ["ALTER TYPE e ADD VALUE 'x'", [], [], []],
  ['SELECT 1', [], [], []],
];

test('predictStatementEffects: the lock, rewrite and scan of each kind of statement', () => {
  for (const [sql, locks, rewrites, scans] of TABLE) {
    const got = short(predict(sql));
    assert.deepEqual({ locks: got.locks, rewrites: got.rewrites, scans: got.scans }, { locks, rewrites, scans }, sql);
  }
  assert.deepEqual(short(predict('DELETE FROM t')).everyRow, ['t']);
});

test('predictStatementEffects: the version and the schema refine it', () => {
  assert.deepEqual(predict("ALTER TABLE t ADD COLUMN c text DEFAULT 'x'", 10).rewrites, ['t'], 'before 11 a constant default rewrites');
  assert.deepEqual(predict('ALTER TABLE t ALTER COLUMN c TYPE text', 16, 'CREATE TABLE t (c varchar(10))').rewrites, [], 'varchar → text is binary-coercible');
  assert.deepEqual(predict('ALTER TABLE t ALTER COLUMN c TYPE text', 16).rewrites, ['t'], 'unknown old type: assume a rewrite');
  assert.deepEqual(predict('ALTER TABLE t ALTER COLUMN c SET NOT NULL', 16, 'CREATE TABLE t (c text); ALTER TABLE t ADD CONSTRAINT k CHECK (c IS NOT NULL)').scans, []);
  assert.deepEqual(predict('ALTER TABLE t ALTER COLUMN c SET NOT NULL', 11, 'CREATE TABLE t (c text); ALTER TABLE t ADD CONSTRAINT k CHECK (c IS NOT NULL)').scans, ['t'], 'before 12 the check does not help');
});

test('describeEffects: the lock by PostgreSQL\'s name and table, what it blocks, rewrites and scans', () => {
  assert.equal(describeEffects(predict('ALTER TABLE orders ADD COLUMN c uuid DEFAULT gen_random_uuid()')), 'Takes ACCESS EXCLUSIVE on orders (blocks reads and writes) and rewrites orders in full.');
  assert.equal(describeEffects(predict('CREATE INDEX i ON orders (a)')), 'Takes SHARE on orders (blocks writes) and reads all of orders while it holds the lock.');
  assert.equal(describeEffects(predict('SELECT 1')), '');
});

test('predictStatementEffects: the type changes PostgreSQL makes in place (measured alike on 13 to 18), and the ones that rewrite', () => {
  const schema = 'CREATE TABLE t (ts3 timestamp(3), ts6 timestamp(6), ts timestamp, tz3 timestamptz(3), t3 time(3), tt3 timetz(3), i3 interval(3), iday interval day, n10 numeric(10), n102 numeric(10, 2), v10 varchar(10), b5 varbit(5), va10 varchar(10)[], tsa timestamp(3)[], c cidr, ch char(10))';
  const inPlace = [
    'ts3 TYPE timestamp', 'ts3 TYPE timestamp(6)', 'ts3 TYPE timestamp(4)', 'ts TYPE timestamp(6)', 'tz3 TYPE timestamptz', 'tz3 TYPE timestamptz(6)',
    't3 TYPE time', 't3 TYPE time(6)', 'tt3 TYPE timetz', 'i3 TYPE interval', 'i3 TYPE interval(6)', 'iday TYPE interval',
    'n10 TYPE numeric(12, 0)', 'n10 TYPE numeric(12)', 'n102 TYPE numeric(12, 2)', 'n102 TYPE numeric', 'v10 TYPE varchar(20)', 'v10 TYPE varchar', 'v10 TYPE text',
    'b5 TYPE varbit(9)', 'b5 TYPE varbit', 'c TYPE inet', 'va10 TYPE varchar(10)[]',
  ];
  for (const change of inPlace) assert.deepEqual(predict(`ALTER TABLE t ALTER COLUMN ${change}`, 16, schema).rewrites, [], change);
  const rewrites = [
    'ts6 TYPE timestamp(3)', 'ts TYPE timestamp(3)', 'ts TYPE timestamptz', 'tz3 TYPE timestamp', 't3 TYPE time(2)', 'i3 TYPE interval(2)', 'iday TYPE interval hour',
    'n102 TYPE numeric(12, 3)', 'n102 TYPE numeric(8, 2)', 'v10 TYPE varchar(5)', 'b5 TYPE varbit(3)', 'va10 TYPE varchar(20)[]', 'va10 TYPE text[]',
    'tsa TYPE timestamp[]', 'ch TYPE char(20)', 'ch TYPE text', 'c TYPE text',
  ];
  for (const change of rewrites) assert.deepEqual(predict(`ALTER TABLE t ALTER COLUMN ${change}`, 16, schema).rewrites, ['t'], change);
});

test('predictStatementEffects: DROP INDEX locks the table the files built the index on; otherwise the index, marked as standing for its table', () => {
  const schema = 'CREATE TABLE orders (a int); CREATE INDEX orders_a ON orders (a); CREATE INDEX orders_a2 ON app.orders (a)';
  assert.deepEqual(short(predict('DROP INDEX orders_a', 16, schema)).locks, ['orders:AccessExclusiveLock']);
  assert.deepEqual(short(predict('DROP INDEX CONCURRENTLY orders_a', 16, schema)).locks, ['orders:ShareUpdateExclusiveLock']);
  assert.deepEqual(short(predict('DROP INDEX app.orders_a2', 16, schema)).locks, ['app.orders:AccessExclusiveLock']);
  const unknown = predict('DROP INDEX other_a', 16, schema);
  assert.deepEqual(unknown.locks, [{ relation: 'other_a', mode: 'AccessExclusiveLock', onTableOfIndex: true }]);
  assert.equal(describeEffects(unknown), 'Takes ACCESS EXCLUSIVE on index other_a and on its table (blocks reads and writes).');
  // The table dropped since: its indexes went with it.
  assert.deepEqual(short(predict('DROP INDEX orders_a', 16, `${schema}; DROP TABLE orders`)).locks, ['orders_a:AccessExclusiveLock']);
});
