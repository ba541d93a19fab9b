import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expectNoFindings, expectRanges, spanOf } from './expect';

test('changing-column-type: a type change of an existing column rewrites the table, named with its old type when known', async () => {
  const sql = 'ALTER TABLE orders ALTER COLUMN total TYPE numeric(12, 2);';
  const [found] = await expectRanges('changing-column-type', sql, [spanOf(sql, sql.slice(0, -1))]);
  assert.match(found!.message, /ACCESS EXCLUSIVE on orders \(blocks reads and writes\) and rewrites orders in full/);
  const known = '-- file: 001.sql\nCREATE TABLE orders (id integer, code varchar(20));\n-- file: 002.sql\nALTER TABLE orders ALTER COLUMN id TYPE bigint;\nALTER TABLE orders ALTER COLUMN code TYPE varchar(10);\n';
  const [id, code] = await expectRanges('changing-column-type', known, [[1, 1, 1, 47], [2, 1, 2, 54]]);
  assert.match(id!.message, /\(from integer\)/);
  assert.match(code!.message, /\(from varchar\(20\)\)/);
});

test('changing-column-type: not for changes PostgreSQL makes in place (when the old type is known), nor on new tables', async () => {
  await expectNoFindings('changing-column-type', '-- file: 001.sql\nCREATE TABLE notes (body varchar(100), tag varchar(10), n numeric(10, 2));\n-- file: 002.sql\nALTER TABLE notes ALTER COLUMN body TYPE text;\nALTER TABLE notes ALTER COLUMN tag TYPE varchar(40);\nALTER TABLE notes ALTER COLUMN n TYPE numeric(14, 2);\n');
  await expectNoFindings('changing-column-type', 'CREATE TABLE t (a integer);\nALTER TABLE t ALTER COLUMN a TYPE bigint;');
});

test('changing-column-type: judged per subcommand: a safe change beside a rewriting one is not reported', async () => {
  const sql = '-- file: 001.sql\nCREATE TABLE n (a varchar(10), b integer);\n-- file: 002.sql\nALTER TABLE n ALTER COLUMN a TYPE text, ALTER COLUMN b TYPE bigint;\n';
  const found = await expectRanges('changing-column-type', sql, [[1, 1, 1, 67]]);
  assert.equal(found.length, 1);
  assert.match(found[0]!.message, /ALTER COLUMN b TYPE/);
});
