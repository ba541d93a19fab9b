import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expectNoFindings, expectRanges, spanOf } from './expect';

test('renaming-column: RENAME COLUMN on an existing table, as a warning', async () => {
  const sql = 'ALTER TABLE orders RENAME COLUMN total TO amount;';
  const [found] = await expectRanges('renaming-column', sql, [spanOf(sql, sql.slice(0, -1))]);
  assert.equal(found!.severity, 'warning');
  assert.match(found!.message, /total TO amount on orders/);
});

test('renaming-column: not on a table created in the file, nor for other renames', async () => {
  await expectNoFindings('renaming-column', 'CREATE TABLE d (title text);\nALTER TABLE d RENAME COLUMN title TO heading;');
  await expectNoFindings('renaming-column', 'ALTER TABLE orders RENAME CONSTRAINT c1 TO c2;\nALTER INDEX idx_a RENAME TO idx_b;');
});
