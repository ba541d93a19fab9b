import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expectFindings, expectNoFindings, expectRanges, spanOf } from './expect';

test('ban-concurrent-index-creation-in-transaction: CONCURRENTLY inside the file\'s BEGIN … COMMIT, or with assumeInTransaction', async () => {
  const sql = 'BEGIN;\nCREATE INDEX CONCURRENTLY idx_a ON t (a);\nCOMMIT;';
  const [found] = await expectRanges('ban-concurrent-index-creation-in-transaction', sql, [spanOf(sql, 'CREATE INDEX CONCURRENTLY idx_a ON t (a)')]);
  assert.match(found!.message, /SQLSTATE 25001/);
  await expectFindings('ban-concurrent-index-creation-in-transaction', 'CREATE INDEX CONCURRENTLY idx_a ON t (a);', [1], { settings: { assumeInTransaction: true } });
});

test('ban-concurrent-index-creation-in-transaction: not without an explicit transaction (Squawk\'s default), with a directive, or for plain CREATE INDEX', async () => {
  await expectNoFindings('ban-concurrent-index-creation-in-transaction', 'CREATE INDEX CONCURRENTLY idx_a ON t (a);');
  await expectNoFindings('ban-concurrent-index-creation-in-transaction', '-- drydock:no-transaction\nCREATE INDEX CONCURRENTLY idx_a ON t (a);', { settings: { assumeInTransaction: true } });
  await expectNoFindings('ban-concurrent-index-creation-in-transaction', 'BEGIN;\nCREATE INDEX idx_a ON t (a);\nCOMMIT;\nCREATE INDEX CONCURRENTLY idx_b ON t (b);');
});
