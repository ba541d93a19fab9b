import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyEdits } from '../../../src/core/rules/fixes/edits';
import { expectNoFindings, expectRanges, spanOf } from './expect';

test('prefer-text-field: the column type in CREATE TABLE, ADD COLUMN and ALTER COLUMN TYPE, at the type, with a fix to text', async () => {
  const sql = 'CREATE TABLE c (id bigint, email varchar(255));\nALTER TABLE d ADD COLUMN email varchar(255);\nALTER TABLE e ALTER COLUMN x TYPE varchar(255);';
  const found = await expectRanges('prefer-text-field', sql, [spanOf(sql, 'varchar(255)', 0), spanOf(sql, 'varchar(255)', 1), spanOf(sql, 'varchar(255)', 2)]);
  assert.equal(applyEdits(sql, found[0]!.fix!.edits).split('\n')[0], 'CREATE TABLE c (id bigint, email text);');
});

test('prefer-text-field: not for the types it recommends or unrelated ones', async () => {
  await expectNoFindings('prefer-text-field', 'CREATE TABLE c (email text, note varchar, other character varying);');
});
