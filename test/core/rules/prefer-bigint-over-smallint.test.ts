import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyEdits } from '../../../src/core/rules/fixes/edits';
import { expectNoFindings, expectRanges, spanOf } from './expect';

test('prefer-bigint-over-smallint: the column type in CREATE TABLE, ADD COLUMN and ALTER COLUMN TYPE, at the type, with a fix to bigint', async () => {
  const sql = 'CREATE TABLE c (id bigint, n smallint);\nALTER TABLE d ADD COLUMN n smallint;\nALTER TABLE e ALTER COLUMN x TYPE smallint;';
  const found = await expectRanges('prefer-bigint-over-smallint', sql, [spanOf(sql, 'smallint', 0), spanOf(sql, 'smallint', 1), spanOf(sql, 'smallint', 2)]);
  assert.equal(applyEdits(sql, found[0]!.fix!.edits).split('\n')[0], 'CREATE TABLE c (id bigint, n bigint);');
});

test('prefer-bigint-over-smallint: not for the types it recommends or unrelated ones', async () => {
  await expectNoFindings('prefer-bigint-over-smallint', 'CREATE TABLE c (n bigint, m integer);');
});
