import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expectNoFindings, expectRanges, spanOf } from './expect';

test('lock-held-across-statements: an ACCESS EXCLUSIVE lock taken early is held while a later statement reads, rewrites or updates a table', async () => {
  const sql = 'ALTER TABLE orders ADD COLUMN note text;\nSELECT 1;\nUPDATE customers SET email = lower(email);';
  const [found] = await expectRanges('lock-held-across-statements', sql, [spanOf(sql, 'ALTER TABLE orders ADD COLUMN note text')]);
  assert.match(found!.message, /ACCESS EXCLUSIVE on orders \(blocks reads and writes\) is taken here and held until the transaction ends/);
  assert.match(found!.message, /line 3 \(UPDATE …\) writes every row of customers/);
  const inDo = 'ALTER TABLE orders ADD COLUMN note text;\nDO $$\nBEGIN\n  CREATE INDEX idx_c ON customers (email);\nEND $$;';
  const [inner] = await expectRanges('lock-held-across-statements', inDo, [spanOf(inDo, 'ALTER TABLE orders ADD COLUMN note text')]);
  assert.match(inner!.message, /line 4 \(CREATE INDEX …\) reads all of customers/);
});

test('lock-held-across-statements: not outside a transaction, when later statements are quick or touch new tables, or for weaker locks', async () => {
  await expectNoFindings('lock-held-across-statements', '-- drydock:no-transaction\nALTER TABLE orders ADD COLUMN note text;\nUPDATE customers SET email = lower(email);');
  await expectNoFindings('lock-held-across-statements', 'ALTER TABLE orders ADD COLUMN note text;\nALTER TABLE orders ADD COLUMN memo text;\nUPDATE customers SET email = lower(email) WHERE id = 1;');
  await expectNoFindings('lock-held-across-statements', 'ALTER TABLE orders ADD COLUMN note text;\nCREATE TABLE n (a bigint);\nCREATE INDEX idx_n ON n (a);');
  await expectNoFindings('lock-held-across-statements', 'CREATE TRIGGER t BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION f();\nUPDATE customers SET email = lower(email);');
  await expectNoFindings('lock-held-across-statements', 'UPDATE customers SET email = lower(email);\nALTER TABLE orders ADD COLUMN note text;');
});

test('lock-held-across-statements: not while a later statement only truncates or creates an index ON ONLY a partitioned table (neither reads a row)', async () => {
  await expectNoFindings('lock-held-across-statements', 'ALTER TABLE orders ADD COLUMN note text;\nTRUNCATE customers;');
  await expectNoFindings('lock-held-across-statements', 'ALTER TABLE orders ADD COLUMN note text;\nCREATE INDEX idx_events_at ON ONLY events (at);');
});

test('lock-held-across-statements: not when the slow statement takes ACCESS EXCLUSIVE on the same table itself; still for a later slow statement on another table', async () => {
  await expectNoFindings('lock-held-across-statements', 'ALTER TABLE orders ADD COLUMN note text;\nALTER TABLE orders ALTER COLUMN total TYPE bigint;');
  await expectNoFindings('lock-held-across-statements', 'ALTER TABLE orders ADD COLUMN note text;\nALTER TABLE orders ADD CONSTRAINT chk_total CHECK (total >= 0);\nALTER TABLE orders ALTER COLUMN id TYPE bigint;');
  const sql = 'ALTER TABLE orders ADD COLUMN note text;\nALTER TABLE orders ALTER COLUMN total TYPE bigint;\nUPDATE customers SET email = lower(email);';
  const [first, second] = await expectRanges('lock-held-across-statements', sql, [spanOf(sql, 'ALTER TABLE orders ADD COLUMN note text'), spanOf(sql, 'ALTER TABLE orders ALTER COLUMN total TYPE bigint')]);
  assert.match(first!.message, /line 3 \(UPDATE …\) writes every row of customers/);
  assert.match(second!.message, /line 3 \(UPDATE …\) writes every row of customers/);
  // A SHARE lock on the same table (an index build) still lets reads through: the exclusive lock held over it does not.
  const share = 'ALTER TABLE orders ADD COLUMN note text;\nCREATE INDEX idx_orders_total ON orders (total);';
  await expectRanges('lock-held-across-statements', share, [spanOf(share, 'ALTER TABLE orders ADD COLUMN note text')]);
});

test('lock-held-across-statements: DROP INDEX locks the index\'s table, named when the files say which; never the index as if it were the table', async () => {
  const unknown = 'DROP INDEX orders_a;\nUPDATE customers SET email = lower(email);';
  const [found] = await expectRanges('lock-held-across-statements', unknown, [spanOf(unknown, 'DROP INDEX orders_a')]);
  assert.match(found!.message, /^Move line 2 to a migration of its own, or take this lock last: ACCESS EXCLUSIVE on index orders_a and on its table \(blocks reads and writes\) is taken here/);
  assert.match(found!.message, /every read and write of the table of index orders_a waits/);
  assert.doesNotMatch(found!.message, /every read and write of orders_a waits/);
  const known = '-- file: 001.sql\nCREATE TABLE orders (id bigint, a int);\nCREATE INDEX orders_a ON orders (a);\n-- file: 002.sql\nDROP INDEX orders_a;\nUPDATE customers SET email = lower(email);\n';
  const [named] = await expectRanges('lock-held-across-statements', known, [[1, 1, 1, 20]]);
  assert.match(named!.message, /^Move line 2 to a migration of its own, or take this lock last: ACCESS EXCLUSIVE on orders \(blocks reads and writes\) is taken here .* every read and write of orders waits/);
  // Dropped with the table it was built on, earlier in the same file: nobody waits.
  await expectNoFindings('lock-held-across-statements', 'CREATE TABLE n (a bigint);\nCREATE INDEX idx_n ON n (a);\nDROP INDEX idx_n;\nUPDATE customers SET email = lower(email);');
});
