import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expectFindings, expectNoFindings, findingsOf } from './expect';

test('transaction-control: COMMIT, ROLLBACK, END, ABORT, START TRANSACTION and PREPARE TRANSACTION mid-file', async () => {
  for (const control of ['COMMIT', 'ROLLBACK', 'END', 'ABORT', 'START TRANSACTION', "PREPARE TRANSACTION 'x'", "COMMIT PREPARED 'x'"]) {
    await expectFindings('transaction-control', `CREATE TABLE a (x int);\n${control};\nCREATE TABLE b (x int);`, [2]);
  }
});

test('transaction-control: a wrapper around a file that asks to run outside a transaction contradicts itself', async () => {
  await expectFindings('transaction-control', '-- drydock:no-transaction\nBEGIN;\nCREATE INDEX CONCURRENTLY i ON t (x);\nCOMMIT;', [2]);
  await expectFindings('transaction-control', '-- drydock:no-transaction\nSELECT 1;\nBEGIN;\nSELECT 2;\nCOMMIT;', [3]);
});

test('transaction-control: a block that is never closed, nested, or ended by ROLLBACK is refused', async () => {
  await expectFindings('transaction-control', 'BEGIN;\nCREATE TABLE t (x int);', [1]);
  await expectFindings('transaction-control', 'BEGIN;\nBEGIN;\nSELECT 1;\nCOMMIT;', [1, 2, 4]);
  await expectFindings('transaction-control', 'BEGIN;\nSELECT 1;\nROLLBACK;', [1, 3]);
});

test('transaction-control: a BEGIN … COMMIT around the whole file, blocks inside it (Prisma\'s AlterEnum) and savepoints are fine', async () => {
  await expectNoFindings('transaction-control', 'BEGIN;\nCREATE TABLE t (x int);\nCOMMIT;\n');
  await expectNoFindings('transaction-control', "ALTER TABLE t ADD COLUMN y int;\nBEGIN;\nCREATE TYPE s AS ENUM ('a');\nCOMMIT;\nALTER TABLE t DROP COLUMN y;\nBEGIN;\nSELECT 1;\nCOMMIT;");
  await expectNoFindings('transaction-control', 'SAVEPOINT a;\nSELECT 1;\nROLLBACK TO SAVEPOINT a;\nRELEASE SAVEPOINT a;');
});

test('transaction-control: in a run, no ignore comment or drydock.json severity silences the refusal; in check they do (or lower it)', async () => {
  const silenced = [
    { sql: 'INSERT INTO t VALUES (1);\n-- drydock-ignore transaction-control\nCOMMIT;', settings: {} },
    { sql: '-- drydock-ignore-file transaction-control\nINSERT INTO t VALUES (1);\nCOMMIT AND CHAIN;', settings: {} },
    { sql: "-- squawk-ignore transaction-control\nPREPARE TRANSACTION 'x';", settings: {} },
    { sql: 'INSERT INTO t VALUES (1);\nROLLBACK AND CHAIN;', settings: { rules: { 'transaction-control': 'off' as const } } },
    { sql: 'INSERT INTO t VALUES (1);\nCOMMIT;', settings: { rules: { 'transaction-control': 'warning' as const } } },
  ];
  for (const { sql, settings } of silenced) {
    const line = sql.split('\n').findIndex((l) => /^(COMMIT|ROLLBACK|PREPARE)/.test(l)) + 1;
    assert.deepEqual((await findingsOf(sql, { settings })).filter((f) => f.ruleId === 'transaction-control' && f.severity === 'error'), [], sql);
    for (const mode of ['dry-run', 'apply'] as const) {
      const [found] = await expectFindings('transaction-control', sql, [line], { mode, settings });
      assert.equal(found!.severity, 'error');
      assert.match(found!.message, /whatever ignores or drydock\.json say/);
    }
  }
});

test('transaction-control: an ignore overridden in a run is not reported as unused', async () => {
  await expectNoFindings('unused-ignore', 'INSERT INTO t VALUES (1);\n-- drydock-ignore transaction-control\nCOMMIT;', { mode: 'dry-run' });
});

test('transaction-control: a BEGIN with modes or a SET TRANSACTION is refused (Drydock\'s own transaction cannot take them); SET SESSION CHARACTERISTICS is not', async () => {
  await expectFindings('transaction-control', "BEGIN READ ONLY;\nINSERT INTO t VALUES (1, 'x');\nCOMMIT;", [1, 3]);
  await expectFindings('transaction-control', 'START TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY;\nSELECT 1;\nCOMMIT;', [1, 3]);
  const [found] = await expectFindings('transaction-control', 'BEGIN;\nSET TRANSACTION ISOLATION LEVEL SERIALIZABLE;\nINSERT INTO t VALUES (1);\nCOMMIT;', [2]);
  assert.match(found!.message, /^Remove the transaction modes .*: SET TRANSACTION sets the transaction's isolation level\. .*cannot choose/);
  await expectNoFindings('transaction-control', 'SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY;\nSELECT 1;');
});
