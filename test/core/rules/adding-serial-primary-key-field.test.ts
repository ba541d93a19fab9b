import { test } from 'node:test';
import { expectNoFindings, expectRanges, spanOf } from './expect';

test('adding-serial-primary-key-field: ADD COLUMN … PRIMARY KEY and ADD PRIMARY KEY on an existing table', async () => {
  const sql = 'ALTER TABLE events ADD COLUMN id bigserial PRIMARY KEY;\nALTER TABLE logs ADD PRIMARY KEY (id);';
  await expectRanges('adding-serial-primary-key-field', sql, [spanOf(sql, 'ALTER TABLE events ADD COLUMN id bigserial PRIMARY KEY'), spanOf(sql, 'ALTER TABLE logs ADD PRIMARY KEY (id)')]);
});

test('adding-serial-primary-key-field: not for PRIMARY KEY USING INDEX, a new table, or CREATE TABLE', async () => {
  await expectNoFindings('adding-serial-primary-key-field', 'ALTER TABLE events ADD CONSTRAINT events_pkey PRIMARY KEY USING INDEX events_id_key;');
  await expectNoFindings('adding-serial-primary-key-field', 'CREATE TABLE e (a bigint);\nALTER TABLE e ADD PRIMARY KEY (a);\nCREATE TABLE f (id bigserial PRIMARY KEY);');
});
