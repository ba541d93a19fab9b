import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyEdits } from '../../../src/core/rules/fixes/edits';
import { expectNoFindings, expectRanges, spanOf } from './expect';

test('ban-char-field: the column type in CREATE TABLE, ADD COLUMN and ALTER COLUMN TYPE, at the type, with a fix to text', async () => {
  const sql = 'CREATE TABLE c (id bigint, code char(2));\nALTER TABLE d ADD COLUMN code char(2);\nALTER TABLE e ALTER COLUMN x TYPE char(2);';
  const found = await expectRanges('ban-char-field', sql, [spanOf(sql, 'char(2)', 0), spanOf(sql, 'char(2)', 1), spanOf(sql, 'char(2)', 2)]);
  assert.equal(applyEdits(sql, found[0]!.fix!.edits).split('\n')[0], 'CREATE TABLE c (id bigint, code text);');
});

test('ban-char-field: not for the types it recommends or unrelated ones', async () => {
  await expectNoFindings('ban-char-field', 'CREATE TABLE c (code text, flag "char");');
});
