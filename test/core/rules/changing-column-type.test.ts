import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expectFindings, expectNoFindings, expectRanges, spanOf } from './expect';

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

test('changing-column-type: not for a raised precision of timestamp, timestamptz, time, timetz or interval, a numeric(p) widened to numeric(q, 0), or a varbit widened (measured in place on PostgreSQL 13 to 18)', async () => {
  const create = 'CREATE TABLE e (a timestamp(3), b timestamptz(3), c time(3), d timetz(3), f interval(3), g timestamp, h numeric(10), i varbit(5), j interval day);';
  const changes = [
    'ALTER TABLE e ALTER COLUMN a TYPE timestamp;', 'ALTER TABLE e ALTER COLUMN a TYPE timestamp(6);', 'ALTER TABLE e ALTER COLUMN a TYPE timestamp(4) without time zone;',
    'ALTER TABLE e ALTER COLUMN b TYPE timestamptz;', 'ALTER TABLE e ALTER COLUMN b TYPE timestamp(6) with time zone;',
    'ALTER TABLE e ALTER COLUMN c TYPE time;', 'ALTER TABLE e ALTER COLUMN d TYPE time(5) with time zone;',
    'ALTER TABLE e ALTER COLUMN f TYPE interval;', 'ALTER TABLE e ALTER COLUMN f TYPE interval(6);', 'ALTER TABLE e ALTER COLUMN j TYPE interval;',
    'ALTER TABLE e ALTER COLUMN g TYPE timestamp(6);', 'ALTER TABLE e ALTER COLUMN h TYPE numeric(12, 0);', 'ALTER TABLE e ALTER COLUMN i TYPE bit varying(9);',
  ];
  for (const change of changes) await expectNoFindings('changing-column-type', `-- file: 001.sql\n${create}\n-- file: 002.sql\n${change}\n`);
});

test('changing-column-type: a lowered precision, timestamp ↔ timestamptz, and any limit changed inside an array still rewrite', async () => {
  const create = 'CREATE TABLE e (a timestamp(6), g timestamp, b timestamptz, f interval, v varchar(10)[], n numeric(10, 2)[]);';
  const changes = [
    'ALTER TABLE e ALTER COLUMN a TYPE timestamp(3);', 'ALTER TABLE e ALTER COLUMN g TYPE timestamp(3);', 'ALTER TABLE e ALTER COLUMN g TYPE timestamptz;',
    'ALTER TABLE e ALTER COLUMN b TYPE timestamp;', 'ALTER TABLE e ALTER COLUMN f TYPE interval day;', 'ALTER TABLE e ALTER COLUMN v TYPE varchar(20)[];',
    'ALTER TABLE e ALTER COLUMN n TYPE numeric(12, 2)[];',
  ];
  for (const change of changes) await expectFindings('changing-column-type', `-- file: 001.sql\n${create}\n-- file: 002.sql\n${change}\n`, [1]);
});

test('changing-column-type: timestamp ↔ timestamptz after the file set TimeZone to UTC is in place (Lemmy\'s fix-timezones, measured by its audit), also USING the column itself; not after another zone, a RESET, or with another USING', async () => {
  const create = 'CREATE TABLE e (g timestamp, b timestamptz);';
  for (const utc of ["SET timezone = 'UTC';", "SET TIME ZONE 'utc';", "SET LOCAL timezone TO 'Etc/UTC';"]) {
    await expectNoFindings('changing-column-type', `-- file: 001.sql\n${create}\n-- file: 002.sql\n${utc}\nALTER TABLE e ALTER COLUMN g TYPE timestamptz USING g;\nALTER TABLE e ALTER COLUMN b TYPE timestamp;\n`);
  }
  await expectFindings('changing-column-type', `-- file: 001.sql\n${create}\n-- file: 002.sql\nSET timezone = 'Europe/Paris';\nALTER TABLE e ALTER COLUMN g TYPE timestamptz;\n`, [2]);
  await expectFindings('changing-column-type', `-- file: 001.sql\n${create}\n-- file: 002.sql\nSET timezone = 'UTC';\nRESET timezone;\nALTER TABLE e ALTER COLUMN g TYPE timestamptz;\n`, [3]);
  await expectFindings('changing-column-type', `-- file: 001.sql\n${create}\n-- file: 002.sql\nSET timezone = 'UTC';\nALTER TABLE e ALTER COLUMN g TYPE timestamptz USING g AT TIME ZONE 'UTC';\n`, [2]);
  // Judged for PostgreSQL 11, where the swap always rewrote.
  await expectFindings('changing-column-type', `-- file: 001.sql\n${create}\n-- file: 002.sql\nSET timezone = 'UTC';\nALTER TABLE e ALTER COLUMN g TYPE timestamptz;\n`, [2], { settings: { pgVersion: 11, pgVersionAssumed: false } });
});

test('changing-column-type: a quoted type name keeps its case in the message', async () => {
  const sql = '-- file: 001.sql\nCREATE TYPE "Currency" AS ENUM (\'EUR\');\nCREATE TABLE prices (c "Currency");\n-- file: 002.sql\nALTER TABLE prices ALTER COLUMN c TYPE text;\n';
  const [found] = await expectFindings('changing-column-type', sql, [1]);
  assert.match(found!.message, /\(from "Currency"\)/);
});
