import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expectNoFindings, expectRanges, spanOf } from './expect';

test('require-concurrent-reindex: REINDEX INDEX and REINDEX TABLE without CONCURRENTLY', async () => {
  const sql = 'REINDEX INDEX idx_a;\nREINDEX TABLE orders;';
  const found = await expectRanges('require-concurrent-reindex', sql, [spanOf(sql, 'REINDEX INDEX idx_a'), spanOf(sql, 'REINDEX TABLE orders')]);
  assert.match(found[1]!.message, /SHARE on orders \(blocks writes\) and ACCESS EXCLUSIVE on indexes of orders/);
  const old = await expectRanges('require-concurrent-reindex', 'REINDEX TABLE orders;', [[1, 1, 1, 21]], { settings: { pgVersion: 11 } });
  assert.match(old[0]!.message, /PostgreSQL 11 has no REINDEX CONCURRENTLY/);
  assert.equal(old[0]!.fix, undefined);
});

test('require-concurrent-reindex: not for CONCURRENTLY, a table created in the file, or REINDEX SCHEMA (needs-no-transaction judges that)', async () => {
  await expectNoFindings('require-concurrent-reindex', '-- drydock:no-transaction\nREINDEX (CONCURRENTLY) INDEX idx_a;\nREINDEX TABLE CONCURRENTLY orders;');
  await expectNoFindings('require-concurrent-reindex', 'CREATE TABLE t (a bigint);\nREINDEX TABLE t;');
  await expectNoFindings('require-concurrent-reindex', 'REINDEX SCHEMA app;');
});
