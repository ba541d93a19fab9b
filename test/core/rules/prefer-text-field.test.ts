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

test('prefer-text-field: must not report Alembic\'s own alembic_version table (its offline SQL creates it; its types are the tool\'s), while the same type elsewhere is reported', async () => {
  await expectNoFindings('prefer-text-field', 'CREATE TABLE alembic_version (\n    version_num VARCHAR(32) NOT NULL,\n    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)\n);');
  await expectNoFindings('prefer-text-field', 'CREATE TABLE public.alembic_version (version_num VARCHAR(32) NOT NULL);');
  const sql = 'CREATE TABLE alembic_versions (version_num VARCHAR(32) NOT NULL);';
  await expectRanges('prefer-text-field', sql, [spanOf(sql, 'VARCHAR(32)', 0)]);
});
