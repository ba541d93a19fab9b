import { test } from 'node:test';
import { expectNoFindings, expectRanges, spanOf } from './expect';

test('ban-drop-column: DROP COLUMN on an existing table, each subcommand', async () => {
  const sql = 'ALTER TABLE orders DROP COLUMN legacy_code, DROP COLUMN IF EXISTS other;';
  await expectRanges('ban-drop-column', sql, [spanOf(sql, sql.slice(0, -1)), spanOf(sql, sql.slice(0, -1))]);
});

test('ban-drop-column: not on a table created in the file, nor for DROP CONSTRAINT', async () => {
  await expectNoFindings('ban-drop-column', 'CREATE TABLE d (a text, b text);\nALTER TABLE d DROP COLUMN b;\nALTER TABLE orders DROP CONSTRAINT c;');
});
