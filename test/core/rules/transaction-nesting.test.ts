import { test } from 'node:test';
import { expectFindings, expectNoFindings, expectRanges, spanOf } from './expect';

test('transaction-nesting: a second BEGIN while the file\'s transaction is open, and the file\'s BEGIN when the tool wraps it', async () => {
  const sql = 'BEGIN;\nSELECT 1;\nBEGIN;\nSELECT 2;\nCOMMIT;';
  await expectRanges('transaction-nesting', sql, [spanOf(sql, 'BEGIN', 1)]);
  await expectFindings('transaction-nesting', 'BEGIN;\nSELECT 1;\nCOMMIT;', [1], { settings: { assumeInTransaction: true } });
});

test('transaction-nesting: not for one BEGIN … COMMIT, consecutive transactions, or a no-transaction file', async () => {
  await expectNoFindings('transaction-nesting', 'BEGIN;\nSELECT 1;\nCOMMIT;');
  await expectNoFindings('transaction-nesting', 'BEGIN;\nSELECT 1;\nCOMMIT;\nBEGIN;\nSELECT 2;\nCOMMIT;');
  await expectNoFindings('transaction-nesting', '-- drydock:no-transaction\nBEGIN;\nSELECT 1;\nCOMMIT;', { settings: { assumeInTransaction: true } });
});
