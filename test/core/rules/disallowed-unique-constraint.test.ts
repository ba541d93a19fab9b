import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expectNoFindings, expectRanges, spanOf } from './expect';

test('disallowed-unique-constraint: ADD CONSTRAINT … UNIQUE on an existing table, with the index-then-attach fix', async () => {
  const sql = 'ALTER TABLE users ADD CONSTRAINT uq_users_email UNIQUE (email);';
  const [found] = await expectRanges('disallowed-unique-constraint', sql, [spanOf(sql, sql.slice(0, -1))]);
  assert.match(found!.message, /ACCESS EXCLUSIVE on users \(blocks reads and writes\)/);
  assert.match(found!.message, /CREATE UNIQUE INDEX CONCURRENTLY uq_users_email/);
  assert.equal(found!.fix?.newFiles?.[0]?.text, '-- drydock:no-transaction\nCREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS uq_users_email ON users (email);\n');
});

test('disallowed-unique-constraint: ADD COLUMN … UNIQUE builds the index under the same lock', async () => {
  const sql = 'ALTER TABLE users ADD COLUMN matrix_id text UNIQUE;';
  const [found] = await expectRanges('disallowed-unique-constraint', sql, [spanOf(sql, sql.slice(0, -1))]);
  assert.match(found!.message, /ADD COLUMN matrix_id … UNIQUE\. Takes ACCESS EXCLUSIVE on users \(blocks reads and writes\) and reads all of users/);
});

test('disallowed-unique-constraint: not for USING INDEX, a new table, or a unique index', async () => {
  await expectNoFindings('disallowed-unique-constraint', 'ALTER TABLE users ADD CONSTRAINT uq_users_email UNIQUE USING INDEX uq_users_email;');
  await expectNoFindings('disallowed-unique-constraint', 'CREATE TABLE users (email text);\nALTER TABLE users ADD CONSTRAINT uq_users_email UNIQUE (email);\nALTER TABLE users ADD COLUMN code text UNIQUE;');
  await expectNoFindings('disallowed-unique-constraint', '-- drydock:no-transaction\nCREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS uq_users_email ON users (email);');
});
