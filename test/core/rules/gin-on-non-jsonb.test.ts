import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expectFindings, expectNoFindings, expectRanges, spanOf } from './expect';

test('gin-on-non-jsonb: GIN on a text or json column the files declare, and jsonb opclasses on a non-jsonb column', async () => {
  const sql = '-- file: 001.sql\nCREATE TABLE sessions (context text, doc json, tags text);\n-- file: 002.sql\nCREATE INDEX idx_a ON sessions USING gin (context);\nCREATE INDEX idx_b ON sessions USING gin (doc);\nCREATE INDEX idx_c ON sessions USING gin (tags jsonb_path_ops);\n';
  const found = await expectRanges('gin-on-non-jsonb', sql, [[1, 1, 1, 51], [2, 1, 2, 47], [3, 1, 3, 63]]);
  assert.match(found[0]!.message, /^Name an operator class for text, or make the column jsonb first: .*sessions\.context is text in the migrations/);
  assert.match(found[0]!.message, /42704/);
  assert.match(found[2]!.message, /jsonb_path_ops only fits jsonb/);
});

test('gin-on-non-jsonb: a column changed to jsonb before the index counts as jsonb; the type as of the index is used', async () => {
  const sql = 'CREATE TABLE s (c text);\nCREATE INDEX idx_a ON s USING gin (c);\nALTER TABLE s ALTER COLUMN c TYPE jsonb USING c::jsonb;\nCREATE INDEX idx_b ON s USING gin (c);';
  await expectRanges('gin-on-non-jsonb', sql, [spanOf(sql, 'CREATE INDEX idx_a ON s USING gin (c)')]);
});

test('gin-on-non-jsonb: not for jsonb, arrays, tsvector, an opclass that fits the type, or a column of unknown type', async () => {
  await expectNoFindings('gin-on-non-jsonb', 'CREATE TABLE s (j jsonb, a text[], v tsvector, t text);\nCREATE INDEX i1 ON s USING gin (j jsonb_path_ops);\nCREATE INDEX i2 ON s USING gin (a);\nCREATE INDEX i3 ON s USING gin (v);\nCREATE INDEX i4 ON s USING gin (t gin_trgm_ops);\nCREATE INDEX i5 ON s USING btree (t);');
  await expectNoFindings('gin-on-non-jsonb', 'CREATE INDEX i ON profiles USING gin (learning_goals);');
});

test('gin-on-non-jsonb: not once the files create btree_gin (a default GIN operator class for text, integers, uuid, timestamps …)', async () => {
  await expectNoFindings('gin-on-non-jsonb', '-- file: 001.sql\nCREATE EXTENSION IF NOT EXISTS btree_gin;\n-- file: 002.sql\nCREATE TABLE s (t text, n bigint, u uuid, at timestamptz, v varchar(20));\nCREATE INDEX i ON s USING gin (t, n, u, at, v);\n');
  await expectNoFindings('gin-on-non-jsonb', 'CREATE EXTENSION btree_gin;\nCREATE TABLE s (tenant int, tags text[]);\nCREATE INDEX i ON s USING gin (tenant, tags);');
});

test('gin-on-non-jsonb: btree_gin created only after the index, or a type btree_gin does not serve (json), is still reported', async () => {
  const after = 'CREATE TABLE s (t text);\nCREATE INDEX i ON s USING gin (t);\nCREATE EXTENSION btree_gin;';
  const [found] = await expectRanges('gin-on-non-jsonb', after, [spanOf(after, 'CREATE INDEX i ON s USING gin (t)')]);
  assert.match(found!.message, /text has no default operator class for GIN \(the files do not create btree_gin before it\)/);
  await expectFindings('gin-on-non-jsonb', 'CREATE EXTENSION btree_gin;\nCREATE TABLE s (doc json);\nCREATE INDEX i ON s USING gin (doc);', [3]);
  await expectFindings('gin-on-non-jsonb', 'CREATE EXTENSION btree_gin;\nCREATE TABLE s (t text);\nCREATE INDEX i ON s USING gin (t jsonb_path_ops);', [3]);
});

test('gin-on-non-jsonb: not for a type the files make (a domain over jsonb, an enum) or an extension\'s, which Drydock cannot judge', async () => {
  await expectNoFindings('gin-on-non-jsonb', 'CREATE DOMAIN payload AS jsonb;\nCREATE TABLE s (p payload);\nCREATE INDEX i1 ON s USING gin (p);\nCREATE INDEX i2 ON s USING gin (p jsonb_path_ops);');
  await expectNoFindings('gin-on-non-jsonb', 'CREATE EXTENSION btree_gin;\nCREATE TYPE "Mood" AS ENUM (\'ok\');\nCREATE TABLE s (m "Mood");\nCREATE INDEX i ON s USING gin (m);');
});

test('gin-on-non-jsonb: a quoted type name keeps its case in the message', async () => {
  const sql = 'CREATE TABLE s (p "Payload"[]);\nCREATE INDEX i ON s USING gin (p jsonb_ops);';
  const [found] = await expectFindings('gin-on-non-jsonb', sql, [2]);
  assert.match(found!.message, /s\.p is "Payload"\[\] in the migrations/);
});
