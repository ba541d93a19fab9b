import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expectNoFindings, expectRanges, spanOf } from './expect';

test('adding-field-with-default: volatile defaults, serial and stored generated columns rewrite the table', async () => {
  const sql = "ALTER TABLE orders ADD COLUMN public_id uuid DEFAULT gen_random_uuid();\nALTER TABLE orders ADD COLUMN seq bigserial;\nALTER TABLE orders ADD COLUMN total_cents bigint GENERATED ALWAYS AS (total * 100) STORED;";
  const found = await expectRanges('adding-field-with-default', sql, [
    spanOf(sql, 'ALTER TABLE orders ADD COLUMN public_id uuid DEFAULT gen_random_uuid()'),
    spanOf(sql, 'ALTER TABLE orders ADD COLUMN seq bigserial'),
    spanOf(sql, 'ALTER TABLE orders ADD COLUMN total_cents bigint GENERATED ALWAYS AS (total * 100) STORED'),
  ]);
  assert.match(found[0]!.message, /gen_random_uuid\(\), which is volatile/);
  assert.match(found[0]!.message, /ACCESS EXCLUSIVE on orders \(blocks reads and writes\) and rewrites orders in full/);
});

test('adding-field-with-default: a constant default rewrites only before PostgreSQL 11', async () => {
  const sql = "ALTER TABLE orders ADD COLUMN status text NOT NULL DEFAULT 'new';";
  await expectNoFindings('adding-field-with-default', sql);
  const [old] = await expectRanges('adding-field-with-default', sql, [spanOf(sql, sql.slice(0, -1))], { settings: { pgVersion: 10 } });
  assert.match(old!.message, /before PostgreSQL 11 \(target: 10\)/);
});

test('adding-field-with-default: not for now(), casts, NULL, unknown functions, or new tables', async () => {
  await expectNoFindings('adding-field-with-default', "ALTER TABLE orders ADD COLUMN at timestamptz DEFAULT now();\nALTER TABLE orders ADD COLUMN j jsonb DEFAULT '{}'::jsonb;\nALTER TABLE orders ADD COLUMN n text DEFAULT NULL;\nALTER TABLE orders ADD COLUMN c text DEFAULT app.default_code();");
  await expectNoFindings('adding-field-with-default', 'CREATE TABLE t (a bigint);\nALTER TABLE t ADD COLUMN id uuid DEFAULT gen_random_uuid();', { settings: { pgVersion: 10 } });
});

test('adding-field-with-default: a function the files create is volatile unless declared IMMUTABLE or STABLE', async () => {
  const sql = "CREATE FUNCTION make_code() RETURNS text LANGUAGE sql AS $$ SELECT md5(random()::text) $$;\nCREATE FUNCTION fixed_code() RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT 'x' $$;\nALTER TABLE t ADD COLUMN a text DEFAULT make_code();\nALTER TABLE t ADD COLUMN b text DEFAULT fixed_code();";
  const [found] = await expectRanges('adding-field-with-default', sql, [spanOf(sql, 'ALTER TABLE t ADD COLUMN a text DEFAULT make_code()')]);
  assert.match(found!.message, /make_code\(\), which is volatile \(as the migrations declare it\)/);
});

test('adding-field-with-default: judged per subcommand, so a constant default beside a serial column is not reported', async () => {
  const sql = "ALTER TABLE t ADD COLUMN enabled boolean NOT NULL DEFAULT false,\n  ADD COLUMN id bigserial;";
  const [found] = await expectRanges('adding-field-with-default', sql, [spanOf(sql, sql.slice(0, -1))]);
  assert.match(found!.message, /serial or identity/);
});
