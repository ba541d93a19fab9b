import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expectNoFindings, expectRanges, spanOf } from './expect';

test('require-concurrent-index-deletion: DROP INDEX without CONCURRENTLY, one finding per statement', async () => {
  const sql = 'DROP INDEX idx_a;\nDROP INDEX IF EXISTS app.idx_b, idx_c;';
  const found = await expectRanges('require-concurrent-index-deletion', sql, [spanOf(sql, 'DROP INDEX idx_a'), spanOf(sql, 'DROP INDEX IF EXISTS app.idx_b, idx_c')]);
  assert.match(found[0]!.message, /ACCESS EXCLUSIVE on idx_a \(blocks reads and writes\)/);
  assert.ok(found[0]!.fix);
  assert.equal(found[1]!.fix, undefined, 'CONCURRENTLY drops one index per statement: no fix for two');
});

test('require-concurrent-index-deletion: not for CONCURRENTLY, other DROPs, or an index this file built on a table it created', async () => {
  await expectNoFindings('require-concurrent-index-deletion', '-- drydock:no-transaction\nDROP INDEX CONCURRENTLY IF EXISTS idx_a;');
  await expectNoFindings('require-concurrent-index-deletion', 'DROP TABLE IF EXISTS t;\nDROP VIEW v;');
  await expectNoFindings('require-concurrent-index-deletion', 'CREATE TABLE t (a bigint);\nCREATE INDEX idx_a ON t (a);\nDROP INDEX idx_a;');
});
