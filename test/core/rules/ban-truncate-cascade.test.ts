import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expectNoFindings, expectRanges, spanOf } from './expect';

test('ban-truncate-cascade: TRUNCATE … CASCADE', async () => {
  const sql = 'TRUNCATE orders, customers CASCADE;';
  const [found] = await expectRanges('ban-truncate-cascade', sql, [spanOf(sql, sql.slice(0, -1))]);
  assert.match(found!.message, /ACCESS EXCLUSIVE/);
});

test('ban-truncate-cascade: not for TRUNCATE without CASCADE (RESTRICT is the default)', async () => {
  await expectNoFindings('ban-truncate-cascade', 'TRUNCATE order_lines, orders;\nTRUNCATE sessions RESTRICT;');
});
