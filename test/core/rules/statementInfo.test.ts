// The hover API: the statement under the cursor with its predicted lock in plain words, whether
// its table is new, and the findings on it with their rules' explanations.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadParser } from '../../../src/core/parse/parseMigration';
import { checkMigrationSync } from '../../../src/core/rules/checkMigration';
import { statementInfoAt } from '../../../src/core/rules/statementInfo';

test('statementInfoAt: lock, blocks, findings; the inner statement of a DO block; null between statements', async () => {
  await loadParser();
  const text = 'CREATE TABLE n (a bigint);\nCREATE INDEX idx_n ON n (a);\n\nCREATE INDEX idx_o ON orders (a);\nDO $$ BEGIN ALTER TABLE orders ADD COLUMN c text; END $$;\n';
  const file = checkMigrationSync('m.sql', text);
  const onNew = statementInfoAt(file, text.indexOf('idx_n'))!;
  assert.deepEqual(onNew.locks, ['SHARE on n (blocks writes)']);
  assert.deepEqual(onNew.newTables, ['n']);
  assert.deepEqual(onNew.findings.filter((f) => f.finding.severity !== 'info'), []);
  const onOrders = statementInfoAt(file, text.indexOf('idx_o'))!;
  assert.equal(onOrders.kind, 'CREATE INDEX');
  assert.equal(onOrders.summary, 'Takes SHARE on orders (blocks writes) and reads all of orders while it holds the lock.');
  assert.deepEqual(onOrders.newTables, []);
  const concurrent = onOrders.findings.find((f) => f.finding.ruleId === 'require-concurrent-index-creation')!;
  assert.match(concurrent.ruleSummary, /blocks its writes/);
  assert.match(concurrent.help, /CONCURRENTLY/);
  const inner = statementInfoAt(file, text.indexOf('ADD COLUMN'))!;
  assert.equal(inner.kind, 'ALTER TABLE');
  assert.deepEqual(inner.range.start, { line: 5, column: 13 });
  assert.deepEqual(inner.locks, ['ACCESS EXCLUSIVE on orders (blocks reads and writes)']);
  assert.equal(statementInfoAt(file, text.indexOf('\n\n') + 1), null);
});
