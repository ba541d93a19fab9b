import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expectFindings, expectNoFindings, expectRanges, spanOf } from './expect';

test('require-statement-timeout: the first statement that reads or rewrites an existing table under a blocking lock', async () => {
  const sql = 'ALTER TABLE orders ADD COLUMN note text;\nALTER TABLE orders ALTER COLUMN total TYPE numeric(12, 2);\nCREATE INDEX idx_a ON orders (a);';
  const [found] = await expectRanges('require-statement-timeout', sql, [spanOf(sql, 'ALTER TABLE orders ALTER COLUMN total TYPE numeric(12, 2)')]);
  assert.match(found!.message, /rewrites orders under a lock that blocks its reads and writes/);
  assert.equal(found!.fix?.edits[0]?.newText, "SET statement_timeout = '60s';\n");
});

test('require-statement-timeout: not after SET statement_timeout, for quick statements, concurrent builds or VALIDATE, or new tables', async () => {
  await expectNoFindings('require-statement-timeout', "SET statement_timeout = '60s';\nCREATE INDEX idx_a ON orders (a);");
  await expectNoFindings('require-statement-timeout', 'ALTER TABLE orders ADD COLUMN note text;\nALTER TABLE orders VALIDATE CONSTRAINT c;');
  await expectNoFindings('require-statement-timeout', '-- drydock:no-transaction\nCREATE INDEX CONCURRENTLY IF NOT EXISTS idx_a ON orders (a);');
  await expectNoFindings('require-statement-timeout', 'CREATE TABLE t (a bigint);\nCREATE INDEX idx_a ON t (a);');
});

test('require-statement-timeout: not for TRUNCATE (new, empty storage: nothing is read or copied) nor CREATE INDEX ON ONLY a partitioned table (an empty parent index)', async () => {
  await expectNoFindings('require-statement-timeout', 'TRUNCATE orders;');
  await expectNoFindings('require-statement-timeout', 'TRUNCATE TABLE orders, customers RESTART IDENTITY;');
  await expectNoFindings('require-statement-timeout', 'CREATE INDEX idx_events_at ON ONLY events (at);');
  // Without ONLY the index is built on every partition, reading them all.
  await expectFindings('require-statement-timeout', 'CREATE INDEX idx_events_at ON events (at);', [1]);
});
