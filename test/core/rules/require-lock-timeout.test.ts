import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expectNoFindings, expectRanges, spanOf } from './expect';

test('require-lock-timeout: the first statement that needs a blocking lock without a lock_timeout set before it, once per file', async () => {
  const sql = 'SELECT 1;\nALTER TABLE orders ADD COLUMN note text;\nCREATE INDEX idx_a ON orders (a);';
  const [found] = await expectRanges('require-lock-timeout', sql, [spanOf(sql, 'ALTER TABLE orders ADD COLUMN note text')]);
  assert.match(found!.message, /ACCESS EXCLUSIVE on orders \(blocks reads and writes\)/);
  assert.equal(found!.fix?.edits[0]?.newText, "SET lock_timeout = '5s';\n");
  const late = "ALTER TABLE orders ADD COLUMN note text;\nSET lock_timeout = '2s';";
  await expectRanges('require-lock-timeout', late, [spanOf(late, 'ALTER TABLE orders ADD COLUMN note text')]);
});

test('require-lock-timeout: not after SET [LOCAL] lock_timeout, for lone weak locks, or new tables; lock_timeout 0 does not count', async () => {
  await expectNoFindings('require-lock-timeout', "SET lock_timeout = '5s';\nALTER TABLE orders ADD COLUMN note text;");
  await expectNoFindings('require-lock-timeout', "BEGIN;\nSET LOCAL lock_timeout TO 3000;\nALTER TABLE orders ADD COLUMN note text;\nCOMMIT;");
  await expectNoFindings('require-lock-timeout', '-- drydock:no-transaction\nCREATE INDEX CONCURRENTLY IF NOT EXISTS idx_a ON orders (a);\nINSERT INTO t VALUES (1);');
  await expectNoFindings('require-lock-timeout', 'CREATE TABLE t (a bigint);\nCREATE INDEX idx_a ON t (a);');
  const zero = "SET lock_timeout = 0;\nALTER TABLE orders ADD COLUMN note text;";
  await expectRanges('require-lock-timeout', zero, [spanOf(zero, 'ALTER TABLE orders ADD COLUMN note text')]);
});

test('require-lock-timeout: DROP INDEX queues the queries of the index\'s table, not of the index', async () => {
  const sql = 'DROP INDEX idx_orders_a;';
  const [found] = await expectRanges('require-lock-timeout', sql, [spanOf(sql, 'DROP INDEX idx_orders_a')]);
  assert.match(found!.message, /needs ACCESS EXCLUSIVE on index idx_orders_a and on its table \(blocks reads and writes\)/);
  assert.match(found!.message, /every later query on the table of index idx_orders_a queues behind it/);
});
