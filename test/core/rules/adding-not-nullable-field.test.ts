import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expectNoFindings, expectRanges, spanOf } from './expect';

test('adding-not-nullable-field: SET NOT NULL scans the existing table', async () => {
  const sql = 'ALTER TABLE orders ALTER COLUMN region SET NOT NULL;';
  const [found] = await expectRanges('adding-not-nullable-field', sql, [spanOf(sql, sql.slice(0, -1))]);
  assert.match(found!.message, /ACCESS EXCLUSIVE on orders \(blocks reads and writes\) and reads all of orders/);
  assert.match(found!.message, /CHECK \(region IS NOT NULL\) NOT VALID/);
});

test('adding-not-nullable-field: a NOT VALID check that is never validated proves nothing; nor does one on another column', async () => {
  const sql = 'ALTER TABLE orders ADD CONSTRAINT c1 CHECK (region IS NOT NULL) NOT VALID;\nALTER TABLE orders ADD CONSTRAINT c2 CHECK (code IS NOT NULL);\nALTER TABLE orders ALTER COLUMN region SET NOT NULL;';
  await expectRanges('adding-not-nullable-field', sql, [spanOf(sql, 'ALTER TABLE orders ALTER COLUMN region SET NOT NULL')]);
});

test('adding-not-nullable-field: not after a validated CHECK (col IS NOT NULL) (PostgreSQL 12+), for a column already NOT NULL, or on a new table', async () => {
  await expectNoFindings('adding-not-nullable-field', 'ALTER TABLE orders ADD CONSTRAINT c1 CHECK (region IS NOT NULL) NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT c1;\nALTER TABLE orders ALTER COLUMN region SET NOT NULL;');
  await expectNoFindings('adding-not-nullable-field', '-- file: 001.sql\nCREATE TABLE orders (region text);\nALTER TABLE orders ADD CONSTRAINT c1 CHECK (region IS NOT NULL);\n-- file: 002.sql\nALTER TABLE orders ALTER COLUMN region SET NOT NULL;');
  await expectNoFindings('adding-not-nullable-field', '-- file: 001.sql\nCREATE TABLE orders (region text NOT NULL);\n-- file: 002.sql\nALTER TABLE orders ALTER COLUMN region SET NOT NULL;');
  await expectNoFindings('adding-not-nullable-field', 'CREATE TABLE t (a bigint);\nALTER TABLE t ALTER COLUMN a SET NOT NULL;');
});

test('adding-not-nullable-field: before PostgreSQL 12 a validated check does not help', async () => {
  const sql = 'ALTER TABLE orders ADD CONSTRAINT c1 CHECK (region IS NOT NULL);\nALTER TABLE orders ALTER COLUMN region SET NOT NULL;';
  const [found] = await expectRanges('adding-not-nullable-field', sql, [spanOf(sql, 'ALTER TABLE orders ALTER COLUMN region SET NOT NULL')], { settings: { pgVersion: 11 } });
  assert.match(found!.message, /PostgreSQL 11 always scans/);
});

test('adding-not-nullable-field: a column dropped and replaced (or renamed into place) loses the old column\'s NOT NULL', async () => {
  const sql = '-- file: 001.sql\nCREATE TABLE e (start_time timestamptz NOT NULL);\n-- file: 002.sql\nALTER TABLE e ADD COLUMN tmp bigint;\nALTER TABLE e DROP COLUMN start_time;\nALTER TABLE e RENAME COLUMN tmp TO start_time;\nALTER TABLE e ALTER COLUMN start_time SET NOT NULL;\n';
  await expectRanges('adding-not-nullable-field', sql, [[4, 1, 4, 51]]);
  await expectNoFindings('adding-not-nullable-field', '-- file: 001.sql\nCREATE TABLE e (a bigint NOT NULL);\n-- file: 002.sql\nALTER TABLE e RENAME COLUMN a TO b;\nALTER TABLE e ALTER COLUMN b SET NOT NULL;\n');
});

test('adding-not-nullable-field: judged per column: a known NOT NULL column beside a scanning CHECK is not reported', async () => {
  await expectNoFindings('adding-not-nullable-field', '-- file: 001.sql\nCREATE TABLE e (a bigint NOT NULL);\n-- file: 002.sql\nALTER TABLE e ALTER COLUMN a SET NOT NULL, ADD CONSTRAINT c CHECK (a > 0);\n');
});
