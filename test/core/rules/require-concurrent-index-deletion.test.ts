import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expectFindings, expectNoFindings, expectRanges, spanOf } from './expect';

test('require-concurrent-index-deletion: DROP INDEX without CONCURRENTLY, one finding per statement', async () => {
  const sql = 'DROP INDEX idx_a;\nDROP INDEX IF EXISTS app.idx_b, idx_c;';
  const found = await expectRanges('require-concurrent-index-deletion', sql, [spanOf(sql, 'DROP INDEX idx_a'), spanOf(sql, 'DROP INDEX IF EXISTS app.idx_b, idx_c')]);
  assert.match(found[0]!.message, /This takes ACCESS EXCLUSIVE on index idx_a and on its table \(blocks reads and writes\): every read and write of the table of index idx_a waits/);
  assert.match(found[1]!.message, /index app\.idx_b and on its table .* and ACCESS EXCLUSIVE on index idx_c and on its table/);
  assert.ok(found[0]!.fix);
  assert.equal(found[1]!.fix, undefined, 'CONCURRENTLY drops one index per statement: no fix for two');
});

test('require-concurrent-index-deletion: not for CONCURRENTLY, other DROPs, or an index this file built on a table it created', async () => {
  await expectNoFindings('require-concurrent-index-deletion', '-- drydock:no-transaction\nDROP INDEX CONCURRENTLY IF EXISTS idx_a;');
  await expectNoFindings('require-concurrent-index-deletion', 'DROP TABLE IF EXISTS t;\nDROP VIEW v;');
  await expectNoFindings('require-concurrent-index-deletion', 'CREATE TABLE t (a bigint);\nCREATE INDEX idx_a ON t (a);\nDROP INDEX idx_a;');
});

test('require-concurrent-index-deletion: names the table the files built the index on, never the index as the table', async () => {
  const sql = '-- file: 001.sql\nCREATE TABLE orders (id bigint, a int);\nCREATE INDEX orders_a ON orders (a);\n-- file: 002.sql\nDROP INDEX orders_a;\n';
  const [found] = await expectRanges('require-concurrent-index-deletion', sql, [[1, 1, 1, 20]]);
  assert.match(found!.message, /This takes ACCESS EXCLUSIVE on orders \(blocks reads and writes\): every read and write of orders waits until the transaction ends/);
  assert.doesNotMatch(found!.message, /on orders_a/);
  // Schema-qualified: the index of app.orders, not the one of public.orders.
  const qualified = '-- file: 001.sql\nCREATE TABLE orders (id bigint);\nCREATE INDEX orders_id ON orders (id);\nCREATE INDEX orders_id ON app.orders (id);\n-- file: 002.sql\nDROP INDEX app.orders_id;\n';
  const [inApp] = await expectRanges('require-concurrent-index-deletion', qualified, [[1, 1, 1, 25]]);
  assert.match(inApp!.message, /ACCESS EXCLUSIVE on app\.orders \(/);
  // The table renamed since the index was built: its name as of the drop.
  const renamed = '-- file: 001.sql\nCREATE TABLE orders (a int);\nCREATE INDEX orders_a ON orders (a);\n-- file: 002.sql\nALTER TABLE orders RENAME TO purchases;\n-- file: 003.sql\nDROP INDEX orders_a;\n';
  const [afterRename] = await expectRanges('require-concurrent-index-deletion', renamed, [[1, 1, 1, 20]]);
  assert.match(afterRename!.message, /every read and write of purchases waits/);
});

test('require-concurrent-index-deletion: not for an index built on a table the run created (in the same file, or an earlier file of the same run), nor for one built again on a table created anew', async () => {
  await expectNoFindings('require-concurrent-index-deletion', '-- file: 001.sql\nCREATE TABLE t (a bigint);\nCREATE INDEX idx_a ON t (a);\nDROP INDEX idx_a;\n-- file: 002.sql\nSELECT 1;\n');
  // In a run the files are one transaction: a table an earlier file created is new to a later one.
  await expectNoFindings('require-concurrent-index-deletion', '-- file: 001.sql\nCREATE TABLE t (a bigint);\nCREATE INDEX idx_a ON t (a);\n-- file: 002.sql\nDROP INDEX idx_a;\n', { mode: 'dry-run' });
  await expectFindings('require-concurrent-index-deletion', '-- file: 001.sql\nCREATE TABLE t (a bigint);\nCREATE INDEX idx_a ON t (a);\n-- file: 002.sql\nDROP INDEX idx_a;\n', [1]);
  // A table dropped and created again under its name: the index built on the new one.
  await expectNoFindings('require-concurrent-index-deletion', 'CREATE TABLE t (a bigint);\nCREATE INDEX idx_a ON t (a);\nDROP INDEX idx_a;\nCREATE INDEX idx_a ON t (a);\nDROP INDEX idx_a;');
});
