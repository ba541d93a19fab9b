import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyEdits } from '../../../src/core/rules/fixes/edits';
import { expectNoFindings, expectRanges, spanOf } from './expect';

test('prefer-timestamp-tz: the column type in CREATE TABLE, ADD COLUMN and ALTER COLUMN TYPE, at the type, with a fix to timestamptz', async () => {
  const sql = 'CREATE TABLE c (id bigint, at timestamp);\nALTER TABLE d ADD COLUMN at timestamp;\nALTER TABLE e ALTER COLUMN x TYPE timestamp;';
  const found = await expectRanges('prefer-timestamp-tz', sql, [spanOf(sql, 'timestamp', 0), spanOf(sql, 'timestamp', 1), spanOf(sql, 'timestamp', 2)]);
  assert.equal(applyEdits(sql, found[0]!.fix!.edits).split('\n')[0], 'CREATE TABLE c (id bigint, at timestamptz);');
});

test('prefer-timestamp-tz: not for the types it recommends or unrelated ones', async () => {
  await expectNoFindings('prefer-timestamp-tz', 'CREATE TABLE c (at timestamptz, d date, t time);');
});

test('prefer-timestamp-tz: timestamp(3) without time zone keeps its precision in the fix', async () => {
  const sql = 'CREATE TABLE c (at timestamp(3) without time zone NOT NULL);';
  const [found] = await expectRanges('prefer-timestamp-tz', sql, [spanOf(sql, 'timestamp(3) without time zone')]);
  assert.equal(found!.fix?.edits[0]?.newText, 'timestamptz(3)');
});
