import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expectNoFindings, expectRanges, spanOf } from './expect';

test('require-concurrent-index-creation: plain and unique CREATE INDEX on existing tables, and inside a DO block at the inner statement', async () => {
  const sql = 'CREATE INDEX idx_a ON t (a);\nCREATE UNIQUE INDEX IF NOT EXISTS uq_b\n  ON app.t (b);\nDO $$\nBEGIN\n  CREATE INDEX idx_c ON t (c);\n  EXECUTE \'CREATE INDEX idx_d ON t (d)\';\nEND $$;';
  const found = await expectRanges('require-concurrent-index-creation', sql, [
    spanOf(sql, 'CREATE INDEX idx_a ON t (a)'), spanOf(sql, 'CREATE UNIQUE INDEX IF NOT EXISTS uq_b\n  ON app.t (b)'),
    spanOf(sql, 'CREATE INDEX idx_c ON t (c)'), spanOf(sql, 'CREATE INDEX idx_d ON t (d)'),
  ]);
  assert.equal(found[0]!.severity, 'error');
  assert.match(found[0]!.message, /SHARE on t \(blocks writes\) and reads all of t/);
  assert.match(found[0]!.message, /CREATE INDEX CONCURRENTLY/);
  assert.match(found[2]!.message, /inside the DO block/);
  assert.match(found[3]!.message, /run by EXECUTE/);
  assert.ok(found[0]!.fix && !found[2]!.fix, 'a fix for the file\'s statement, none inside a DO block');
});

test('require-concurrent-index-creation: not for CONCURRENTLY, a table created earlier in the file, ON ONLY a partitioned table, nor other statements', async () => {
  await expectNoFindings('require-concurrent-index-creation', '-- drydock:no-transaction\nCREATE INDEX CONCURRENTLY IF NOT EXISTS idx_a ON t (a);');
  await expectNoFindings('require-concurrent-index-creation', 'CREATE TABLE t (a bigint);\nCREATE INDEX idx_a ON t (a);\nDO $$ BEGIN CREATE INDEX idx_b ON t (a); END $$;');
  await expectNoFindings('require-concurrent-index-creation', 'CREATE INDEX idx_p ON ONLY measurements (logdate);');
  await expectNoFindings('require-concurrent-index-creation', 'ALTER TABLE t ADD COLUMN a bigint;\nCREATE INDEX CONCURRENTLY IF NOT EXISTS idx_x ON t (x);');
});

test('require-concurrent-index-creation: a table created in an earlier file is new only when the files run together', async () => {
  const two = '-- file: 001.sql\nCREATE TABLE t (a bigint);\n-- file: 002.sql\nCREATE INDEX idx_a ON t (a);\n';
  await expectRanges('require-concurrent-index-creation', two, [[1, 1, 1, 28]]);
  await expectNoFindings('require-concurrent-index-creation', two, { mode: 'dry-run' });
});
