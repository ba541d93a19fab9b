import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expectFindings, expectNoFindings, expectRanges, spanOf } from './expect';

test('prefer-robust-stmts: in a no-transaction migration, statements that fail when re-run', async () => {
  const sql = '-- drydock:no-transaction\nCREATE INDEX CONCURRENTLY idx_a ON t (a);\nCREATE TABLE n (a bigint);\nDROP INDEX CONCURRENTLY idx_b;\nALTER TABLE t ADD COLUMN c text;\nALTER TABLE t ADD CONSTRAINT chk CHECK (c <> \'\') NOT VALID;';
  const found = await expectRanges('prefer-robust-stmts', sql, [
    spanOf(sql, 'CREATE INDEX CONCURRENTLY idx_a ON t (a)'), spanOf(sql, 'CREATE TABLE n (a bigint)'), spanOf(sql, 'DROP INDEX CONCURRENTLY idx_b'),
    spanOf(sql, 'ALTER TABLE t ADD COLUMN c text'), spanOf(sql, "ALTER TABLE t ADD CONSTRAINT chk CHECK (c <> '') NOT VALID"),
  ]);
  assert.deepEqual(found.map((f) => f.fix?.edits[0]?.newText ?? null), [' IF NOT EXISTS', ' IF NOT EXISTS', ' IF EXISTS', ' IF NOT EXISTS', null]);
  await expectFindings('prefer-robust-stmts', 'CREATE TABLE n (a bigint);', [1], { settings: { assumeInTransaction: false } });
});

test('prefer-robust-stmts: not in a file that runs in one transaction, nor for robust statements', async () => {
  await expectNoFindings('prefer-robust-stmts', 'CREATE TABLE n (a bigint);\nCREATE INDEX idx_a ON t (a);');
  await expectNoFindings('prefer-robust-stmts', '-- drydock:no-transaction\nCREATE INDEX CONCURRENTLY IF NOT EXISTS idx_a ON t (a);\nDROP INDEX CONCURRENTLY IF EXISTS idx_b;\nALTER TABLE t ADD COLUMN IF NOT EXISTS c text;\nALTER TABLE t DROP CONSTRAINT IF EXISTS chk;\nALTER TABLE t ADD CONSTRAINT chk CHECK (c <> \'\') NOT VALID;');
});
