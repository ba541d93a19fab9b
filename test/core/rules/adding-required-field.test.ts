import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expectNoFindings, expectRanges, findingsOf, spanOf } from './expect';

test('adding-required-field: ADD COLUMN … NOT NULL (or PRIMARY KEY) without a default on an existing table', async () => {
  const sql = 'ALTER TABLE t ADD COLUMN b bigint NOT NULL;\nALTER TABLE t ADD COLUMN c text PRIMARY KEY;';
  await expectRanges('adding-required-field', sql, [spanOf(sql, 'ALTER TABLE t ADD COLUMN b bigint NOT NULL'), spanOf(sql, 'ALTER TABLE t ADD COLUMN c text PRIMARY KEY')]);
});

test('adding-required-field: not with a default, a serial or identity, nullable, or on a new table', async () => {
  await expectNoFindings('adding-required-field', "ALTER TABLE t ADD COLUMN b bigint NOT NULL DEFAULT 0;\nALTER TABLE t ADD COLUMN c bigserial NOT NULL;\nALTER TABLE t ADD COLUMN d bigint GENERATED ALWAYS AS IDENTITY;\nALTER TABLE t ADD COLUMN e text;");
  await expectNoFindings('adding-required-field', 'CREATE TABLE t (a bigint);\nALTER TABLE t ADD COLUMN b bigint NOT NULL;');
});

/** The fix's title on the statement's adding-required-field finding, or null when it has none. */
async function fixTitle(sql: string): Promise<string | null> {
  const finding = (await findingsOf(sql)).find((f) => f.ruleId === 'adding-required-field');
  assert.ok(finding, sql);
  return finding.fix?.title ?? null;
}

test('adding-required-field: a DEFAULT fix with the type\'s neutral value', async () => {
  assert.equal(await fixTitle('ALTER TABLE t ADD COLUMN b int NOT NULL;'), 'Add DEFAULT 0 (the existing rows get 0)');
  assert.equal(await fixTitle('ALTER TABLE t ADD COLUMN b text NOT NULL;'), "Add DEFAULT '' (the existing rows get '')");
  assert.equal(await fixTitle('ALTER TABLE t ADD COLUMN b boolean NOT NULL;'), 'Add DEFAULT false (the existing rows get false)');
});

test('adding-required-field: no DEFAULT fix where one value would be wrong or invented', async () => {
  // A key or UNIQUE column would get the same value in every row; a CHECK might reject it.
  assert.equal(await fixTitle('ALTER TABLE t ADD COLUMN b int PRIMARY KEY;'), null);
  assert.equal(await fixTitle('ALTER TABLE t ADD COLUMN b int NOT NULL UNIQUE;'), null);
  assert.equal(await fixTitle('ALTER TABLE t ADD COLUMN b int NOT NULL CHECK (b > 0);'), null);
  // No neutral value: dates, uuids, arrays, user types.
  assert.equal(await fixTitle('ALTER TABLE t ADD COLUMN b uuid NOT NULL;'), null);
  assert.equal(await fixTitle('ALTER TABLE t ADD COLUMN b date NOT NULL;'), null);
  assert.equal(await fixTitle('ALTER TABLE t ADD COLUMN b int[] NOT NULL;'), null);
  assert.equal(await fixTitle('ALTER TABLE t ADD COLUMN b mood NOT NULL;'), null);
  // The end of the statement is not the column's when it does more.
  assert.equal(await fixTitle('ALTER TABLE t ADD COLUMN b int NOT NULL, ADD COLUMN c text;'), null);
  assert.equal(await fixTitle('DO $$ BEGIN ALTER TABLE t ADD COLUMN b int NOT NULL; END $$;'), null);
});
