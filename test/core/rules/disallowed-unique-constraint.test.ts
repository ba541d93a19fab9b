import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyEdits } from '../../../src/core/rules/fixes/edits';
import { expectNoFindings, expectRanges, findingsOf, spanOf } from './expect';

test('disallowed-unique-constraint: ADD CONSTRAINT … UNIQUE on an existing table, with the index-then-attach fix', async () => {
  const sql = '-- file: 004_uq.sql\nALTER TABLE users ADD CONSTRAINT uq_users_email UNIQUE (email);';
  const statement = 'ALTER TABLE users ADD CONSTRAINT uq_users_email UNIQUE (email)';
  const [found] = await expectRanges('disallowed-unique-constraint', sql, [spanOf(sql.slice(sql.indexOf('\n') + 1), statement)]);
  assert.match(found!.message, /ACCESS EXCLUSIVE on users \(blocks reads and writes\)/);
  assert.match(found!.message, /CREATE UNIQUE INDEX CONCURRENTLY uq_users_email/);
  // Alone in its file: the file becomes the build, outside a transaction; the attach is the next migration (never a "004_0_…" that repeats 004).
  const fix = found!.fix!;
  assert.equal(applyEdits(sql.slice(sql.indexOf('\n') + 1), fix.edits), '-- drydock:no-transaction\nCREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS uq_users_email ON users (email);');
  assert.deepEqual(fix.newFiles, [{ file: '004_uq_attach.sql', text: 'ALTER TABLE users ADD CONSTRAINT uq_users_email UNIQUE USING INDEX uq_users_email;\n', following: 'attach' }]);
});

test('disallowed-unique-constraint: as the file\'s last statement, the build and the attach become the next two migrations, in goose\'s layout', async () => {
  const text = '-- +goose Up\nALTER TABLE users ADD COLUMN note text;\nALTER TABLE users ADD CONSTRAINT uq_users_email UNIQUE (email);\n';
  const [found] = (await findingsOf(`-- file: 00004_uq.sql\n${text}`)).filter((f) => f.ruleId === 'disallowed-unique-constraint');
  const fix = found!.fix!;
  assert.equal(applyEdits(text, fix.edits), '-- +goose Up\nALTER TABLE users ADD COLUMN note text;\n');
  assert.deepEqual(fix.newFiles!.map((f) => [f.following, f.text]), [
    ['index', '-- +goose NO TRANSACTION\n-- +goose Up\nCREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS uq_users_email ON users (email);\n'],
    ['attach', '-- +goose Up\nALTER TABLE users ADD CONSTRAINT uq_users_email UNIQUE USING INDEX uq_users_email;\n'],
  ]);
});

test('disallowed-unique-constraint: no index-then-attach fix before other statements of the file (they could need the constraint), nor for a file whose name has no version', async () => {
  const before = '-- file: 004_uq.sql\nALTER TABLE users ADD CONSTRAINT uq_users_email UNIQUE (email);\nALTER TABLE orders ADD COLUMN user_email text REFERENCES users (email);\n';
  assert.equal((await findingsOf(before)).find((f) => f.ruleId === 'disallowed-unique-constraint')?.fix, undefined);
  const diesel = '-- file: 2024-01-01-000000_uq/up.sql\nALTER TABLE users ADD CONSTRAINT uq_users_email UNIQUE (email);\n';
  assert.equal((await findingsOf(diesel)).find((f) => f.ruleId === 'disallowed-unique-constraint')?.fix, undefined);
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
