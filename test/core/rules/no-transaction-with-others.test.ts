import { test } from 'node:test';
import { expectFindings, expectNoFindings } from './expect';

const TWO_FILES = '-- file: 001.sql\nALTER TABLE t ADD COLUMN x int;\n-- file: 002.sql\n-- drydock:no-transaction\nCREATE INDEX CONCURRENTLY i ON t (x);\n';

test('no-transaction-with-others: applying a no-transaction file with other files', async () => {
  await expectFindings('no-transaction-with-others', TWO_FILES, [2], { mode: 'apply' });
});

test('no-transaction-with-others: not when the file is applied alone, nor in a dry-run or a check', async () => {
  await expectNoFindings('no-transaction-with-others', '-- drydock:no-transaction\nCREATE INDEX CONCURRENTLY i ON t (x);', { mode: 'apply' });
  await expectNoFindings('no-transaction-with-others', TWO_FILES, { mode: 'dry-run' });
  await expectNoFindings('no-transaction-with-others', TWO_FILES);
});
