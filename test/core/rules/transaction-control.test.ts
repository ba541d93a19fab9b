import { test } from 'node:test';
import { expectFindings, expectNoFindings } from './expect';

test('transaction-control: COMMIT, ROLLBACK, END, ABORT, START TRANSACTION and PREPARE TRANSACTION mid-file', async () => {
  for (const control of ['COMMIT', 'ROLLBACK', 'END', 'ABORT', 'START TRANSACTION', "PREPARE TRANSACTION 'x'", "COMMIT PREPARED 'x'"]) {
    await expectFindings('transaction-control', `CREATE TABLE a (x int);\n${control};\nCREATE TABLE b (x int);`, [2]);
  }
});

test('transaction-control: a wrapper around a file that asks to run outside a transaction contradicts itself', async () => {
  await expectFindings('transaction-control', '-- drydock:no-transaction\nBEGIN;\nCREATE INDEX CONCURRENTLY i ON t (x);\nCOMMIT;', [2]);
});

test('transaction-control: a BEGIN … COMMIT around the whole file and savepoints are fine', async () => {
  await expectNoFindings('transaction-control', 'BEGIN;\nCREATE TABLE t (x int);\nCOMMIT;\n');
  await expectNoFindings('transaction-control', 'SAVEPOINT a;\nSELECT 1;\nROLLBACK TO SAVEPOINT a;\nRELEASE SAVEPOINT a;');
});
