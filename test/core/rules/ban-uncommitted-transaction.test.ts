import { test } from 'node:test';
import { expectNoFindings, expectRanges } from './expect';

test('ban-uncommitted-transaction: a BEGIN never committed, at that BEGIN', async () => {
  await expectRanges('ban-uncommitted-transaction', 'SELECT 1;\nBEGIN;\nALTER TABLE t ADD COLUMN a text;', [[2, 1, 2, 6]]);
  await expectRanges('ban-uncommitted-transaction', 'BEGIN;\nSELECT 1;\nCOMMIT;\nSTART TRANSACTION;\nSELECT 2;', [[4, 1, 4, 18]]);
});

test('ban-uncommitted-transaction: not when COMMIT or ROLLBACK follows, nor without a BEGIN', async () => {
  await expectNoFindings('ban-uncommitted-transaction', 'BEGIN;\nSELECT 1;\nCOMMIT;');
  await expectNoFindings('ban-uncommitted-transaction', 'BEGIN;\nSELECT 1;\nROLLBACK;');
  await expectNoFindings('ban-uncommitted-transaction', 'SELECT 1;');
});
