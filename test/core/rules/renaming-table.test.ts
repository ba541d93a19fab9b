import { test } from 'node:test';
import { expectNoFindings, expectRanges, spanOf } from './expect';

test('renaming-table: ALTER TABLE … RENAME TO on an existing table', async () => {
  const sql = 'ALTER TABLE orders RENAME TO purchases;';
  await expectRanges('renaming-table', sql, [spanOf(sql, sql.slice(0, -1))]);
});

test('renaming-table: not on a table created in the file, nor for column renames', async () => {
  await expectNoFindings('renaming-table', 'CREATE TABLE d (title text);\nALTER TABLE d RENAME TO s;\nALTER TABLE orders RENAME COLUMN a TO b;');
});
