import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expectNoFindings, expectRanges, spanOf } from './expect';

test('ban-drop-table: DROP TABLE of existing tables, naming only those', async () => {
  const sql = 'CREATE TABLE scratch (a bigint);\nDROP TABLE orders, scratch;';
  const [found] = await expectRanges('ban-drop-table', sql, [spanOf(sql, 'DROP TABLE orders, scratch')]);
  assert.match(found!.message, /^Drop it in a release after no deployed code uses it: DROP TABLE orders\./);
});

test('ban-drop-table: not for a table created in the file, nor DROP VIEW / INDEX', async () => {
  await expectNoFindings('ban-drop-table', 'CREATE TABLE scratch (a bigint);\nDROP TABLE scratch;\nDROP VIEW v;\nDROP INDEX CONCURRENTLY idx;');
});
