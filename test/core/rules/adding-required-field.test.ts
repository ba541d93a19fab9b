import { test } from 'node:test';
import { expectNoFindings, expectRanges, spanOf } from './expect';

test('adding-required-field: ADD COLUMN … NOT NULL (or PRIMARY KEY) without a default on an existing table', async () => {
  const sql = 'ALTER TABLE t ADD COLUMN b bigint NOT NULL;\nALTER TABLE t ADD COLUMN c text PRIMARY KEY;';
  await expectRanges('adding-required-field', sql, [spanOf(sql, 'ALTER TABLE t ADD COLUMN b bigint NOT NULL'), spanOf(sql, 'ALTER TABLE t ADD COLUMN c text PRIMARY KEY')]);
});

test('adding-required-field: not with a default, a serial or identity, nullable, or on a new table', async () => {
  await expectNoFindings('adding-required-field', "ALTER TABLE t ADD COLUMN b bigint NOT NULL DEFAULT 0;\nALTER TABLE t ADD COLUMN c bigserial NOT NULL;\nALTER TABLE t ADD COLUMN d bigint GENERATED ALWAYS AS IDENTITY;\nALTER TABLE t ADD COLUMN e text;");
  await expectNoFindings('adding-required-field', 'CREATE TABLE t (a bigint);\nALTER TABLE t ADD COLUMN b bigint NOT NULL;');
});
