import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyEdits } from '../../../src/core/rules/fixes/edits';
import { expectNoFindings, expectRanges, spanOf } from './expect';

test('prefer-bigint-over-int: the column type in CREATE TABLE, ADD COLUMN and ALTER COLUMN TYPE, at the type, with a fix to bigint', async () => {
  const sql = 'CREATE TABLE c (id bigint, n integer);\nALTER TABLE d ADD COLUMN n integer;\nALTER TABLE e ALTER COLUMN x TYPE integer;';
  const found = await expectRanges('prefer-bigint-over-int', sql, [spanOf(sql, 'integer', 0), spanOf(sql, 'integer', 1), spanOf(sql, 'integer', 2)]);
  assert.equal(applyEdits(sql, found[0]!.fix!.edits).split('\n')[0], 'CREATE TABLE c (id bigint, n bigint);');
});

test('prefer-bigint-over-int: not for the types it recommends or unrelated ones', async () => {
  await expectNoFindings('prefer-bigint-over-int', 'CREATE TABLE c (n bigint, m int8, s smallint);');
});

test('prefer-bigint-over-int: serial and integer arrays, spelt any way', async () => {
  const sql = 'CREATE TABLE c (id serial, a int4[], b INT);';
  const found = await expectRanges('prefer-bigint-over-int', sql, [spanOf(sql, 'serial'), spanOf(sql, 'int4[]'), spanOf(sql, 'INT')]);
  assert.deepEqual(found.map((f) => f.fix?.edits[0]?.newText), ['bigserial', 'bigint[]', 'bigint']);
});
