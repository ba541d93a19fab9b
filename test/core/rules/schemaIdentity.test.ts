// The rules follow tables by identity, not by name: a table created earlier in the same DO block
// (or function body, or run) is new; a later file never changes an earlier file's verdict; a name
// that a swap gives to another table does not make the old table look new (nor the new one old).
// Each case has its counterpart that must still be reported.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expectFindings, expectNoFindings } from './expect';

test('D1: a table created earlier in the same DO block is new', async () => {
  await expectNoFindings('require-concurrent-index-creation', 'DO $$ BEGIN CREATE TABLE t1 (a int8); CREATE INDEX t1_a ON t1 (a); END $$;');
  await expectNoFindings('require-concurrent-index-creation', 'DO $$ BEGIN CREATE TEMP TABLE t1 AS SELECT 1 AS a; CREATE INDEX t1_a ON t1 (a); END $$;');
  await expectNoFindings('require-concurrent-index-creation', "DO $$ BEGIN EXECUTE 'CREATE TABLE t1 (a int8)'; EXECUTE 'CREATE INDEX t1_a ON t1 (a)'; END $$;");
  await expectNoFindings('renaming-table', 'DO $$ BEGIN CREATE TABLE t1 (a int8); ALTER TABLE t1 RENAME TO t2; END $$;');
  // The same inside one branch: whenever the index is built, the table was created just before.
  await expectNoFindings('require-concurrent-index-creation', 'DO $$ BEGIN IF true THEN CREATE TABLE t1 (a int8); CREATE INDEX t1_a ON t1 (a); END IF; END $$;');
  // A DO block's table is new for the file's later statements too.
  await expectNoFindings('require-concurrent-index-creation', 'DO $$ BEGIN CREATE TABLE t1 (a int8); END $$;\nCREATE INDEX t1_a ON t1 (a);');
});

test('D1: a table the DO block creates only under a condition, or another DO block created, is not new', async () => {
  // The IF may not hold (IF NOT EXISTS: the table was there already, with its rows).
  await expectFindings('require-concurrent-index-creation', 'DO $$ BEGIN IF NOT EXISTS (SELECT 1) THEN CREATE TABLE t1 (a int8); END IF; END $$;\nCREATE INDEX t1_a ON t1 (a);', [2]);
  await expectFindings('require-concurrent-index-creation', 'DO $$ BEGIN IF true THEN CREATE TABLE t1 (a int8); END IF; CREATE INDEX t1_a ON t1 (a); END $$;', [1]);
  // A handler runs when the protected block failed: what that block created is gone.
  await expectFindings('require-concurrent-index-creation', 'DO $$ BEGIN BEGIN CREATE TABLE t1 (a int8); EXCEPTION WHEN others THEN CREATE INDEX t1_a ON t1 (a); END; END $$;', [1]);
  // A table of the same name from before the files is not new, DO block or not.
  await expectFindings('require-concurrent-index-creation', 'DO $$ BEGIN CREATE INDEX t1_a ON t1 (a); END $$;', [1]);
  await expectFindings('renaming-table', 'DO $$ BEGIN ALTER TABLE t1 RENAME TO t2; END $$;', [1]);
});

test('D1: lock-held-across-statements: a table created earlier in the same DO block blocks nobody', async () => {
  await expectNoFindings('lock-held-across-statements', 'DO $$ BEGIN CREATE TABLE t1 (a int8); ALTER TABLE t1 ADD COLUMN b int; UPDATE t1 SET a = 1; END $$;');
  await expectNoFindings('lock-held-across-statements', 'DO $$ BEGIN CREATE TABLE t1 (a int8); END $$;\nALTER TABLE t1 ADD COLUMN b int;\nUPDATE t1 SET a = 1;');
  await expectFindings('lock-held-across-statements', 'DO $$ BEGIN ALTER TABLE t1 ADD COLUMN b int; UPDATE t1 SET a = 1; END $$;', [1]);
});

test('D1: require-concurrent-index-deletion on a table created earlier in the same run is silent; on an existing table it reports', async () => {
  const run = '-- file: 001.sql\nCREATE TABLE t4 (a int8);\nCREATE INDEX t4_a ON t4 (a);\n-- file: 002.sql\nDROP INDEX t4_a;\n';
  await expectNoFindings('require-concurrent-index-deletion', run, { mode: 'dry-run' });
  await expectNoFindings('require-concurrent-index-deletion', 'DO $$ BEGIN CREATE TABLE t4 (a int8); CREATE INDEX t4_a ON t4 (a); DROP INDEX t4_a; END $$;');
  // Checked without a run, each file stands for a migration of its own: 002 runs when 001's table exists.
  await expectFindings('require-concurrent-index-deletion', run, [1]);
  // An index created in the file on a table that existed blocks that table's readers when dropped.
  await expectFindings('require-concurrent-index-deletion', 'CREATE INDEX t4_a ON t4 (a);\nDROP INDEX t4_a;', [2]);
  // The name is the index of another table by then: the swapped-in table's, which existed.
  await expectFindings('require-concurrent-index-deletion', 'CREATE TABLE t5 (a int8);\nCREATE INDEX t5_a ON t5 (a);\nDROP INDEX t5_a;\nCREATE INDEX t5_a ON old (a);\nDROP INDEX t5_a;', [5]);
});

test('D2: a later file never changes an earlier verdict', async () => {
  const first = '-- file: 001.sql\nCREATE TABLE t2 (a int8);\nCREATE INDEX t2_a ON t2 (a);\n';
  await expectNoFindings('require-concurrent-index-creation', first);
  await expectNoFindings('require-concurrent-index-creation', `${first}-- file: 002.sql\nCREATE TABLE t2_new (a int8);\nDROP TABLE t2;\nALTER TABLE t2_new RENAME TO t2;\n`);
});

test('D2: dropping or renaming away a table that a later statement replaces by name is reported', async () => {
  const swap = '-- file: 001.sql\nCREATE TABLE t2 (a int8);\n-- file: 002.sql\nCREATE TABLE t2_new (a int8);\nDROP TABLE t2;\nALTER TABLE t2_new RENAME TO t2;\n';
  await expectFindings('ban-drop-table', swap, [2]);
  // The new table under the old name is new: renaming it within its file is no client's problem.
  await expectNoFindings('renaming-table', swap);
  const rename = '-- file: 001.sql\nCREATE TABLE t3 (a int8);\n-- file: 002.sql\nCREATE TABLE t3_new (a int8);\nALTER TABLE t3 RENAME TO t3_old;\nALTER TABLE t3_new RENAME TO t3;\n';
  await expectFindings('renaming-table', rename, [2]);
  // The same in one file: the table created in it is new whatever name it ends under.
  await expectNoFindings('renaming-table', 'CREATE TABLE t3 (a int8);\nCREATE TABLE t3_new (a int8);\nALTER TABLE t3 RENAME TO t3_old;\nALTER TABLE t3_new RENAME TO t3;');
  await expectNoFindings('ban-drop-table', 'CREATE TABLE t2 (a int8);\nCREATE TABLE t2_new (a int8);\nDROP TABLE t2;\nALTER TABLE t2_new RENAME TO t2;');
});

test('a table swapped in under an old name: statements after the swap judge the new table, before it the old', async () => {
  const sql = 'CREATE TABLE t6_new (a int8);\nCREATE INDEX t6_old_a ON t6 (a);\nALTER TABLE t6 RENAME TO t6_old;\nALTER TABLE t6_new RENAME TO t6;\nCREATE INDEX t6_a ON t6 (a);';
  await expectFindings('require-concurrent-index-creation', sql, [2]);
  // CREATE TABLE IF NOT EXISTS of a table an earlier file created does nothing: that table is not new.
  await expectFindings('require-concurrent-index-creation', '-- file: 001.sql\nCREATE TABLE t7 (a int8);\n-- file: 002.sql\nCREATE TABLE IF NOT EXISTS t7 (a int8);\nCREATE INDEX t7_a ON t7 (a);\n', [2]);
});

// What the rules of issue 19 ask the schema (an index's table, an extension, a unique index) is the
// model's answer by identity, as of the statement.
test('DROP INDEX names the table the index is on by identity: after a swap, the old table under its new name', async () => {
  const sql = '-- file: 001.sql\nCREATE TABLE t8 (a int);\nCREATE INDEX t8_a ON t8 (a);\n-- file: 002.sql\nALTER TABLE t8 RENAME TO t8_old;\nCREATE TABLE t8 (a int);\n-- file: 003.sql\nDROP INDEX t8_a;\n';
  const [found] = await expectFindings('require-concurrent-index-deletion', sql, [1]);
  assert.match(found!.message, /every read and write of t8_old waits/);
  // A new table took the name in the same file; the index is still on the table from before the files, which readers use.
  const oneFile = 'CREATE INDEX t9_a ON t9 (a);\nALTER TABLE t9 RENAME TO t9_old;\nCREATE TABLE t9 (a int);\nDROP INDEX t9_a;';
  const [inFile] = await expectFindings('require-concurrent-index-deletion', oneFile, [4]);
  assert.match(inFile!.message, /every read and write of t9_old waits/);
  // The new table's own index, dropped in the file that created the table, blocks nobody.
  await expectNoFindings('require-concurrent-index-deletion', 'ALTER TABLE t9 RENAME TO t9_old;\nCREATE TABLE t9 (a int);\nCREATE INDEX t9_a ON t9 (a);\nDROP INDEX t9_a;');
});

test('gin-on-non-jsonb reads btree_gin from the model: created in a DO block it counts, dropped before the index it does not', async () => {
  await expectNoFindings('gin-on-non-jsonb', 'DO $$ BEGIN CREATE EXTENSION IF NOT EXISTS btree_gin; END $$;\nCREATE TABLE s (t text);\nCREATE INDEX i ON s USING gin (t);');
  await expectFindings('gin-on-non-jsonb', 'CREATE EXTENSION btree_gin;\nDROP EXTENSION btree_gin;\nCREATE TABLE s (t text);\nCREATE INDEX i ON s USING gin (t);', [4]);
});

test('missing-foreign-key-index: an exclusion constraint is not unique, so it does not serve a foreign key on more columns', async () => {
  await expectFindings('missing-foreign-key-index', 'CREATE TABLE t (a int, b int, CONSTRAINT t_ex EXCLUDE (a WITH =));\nALTER TABLE t ADD CONSTRAINT t_fk FOREIGN KEY (a, b) REFERENCES x (p, q);', [2]);
  await expectNoFindings('missing-foreign-key-index', 'CREATE TABLE t (a int, b int, CONSTRAINT t_pk PRIMARY KEY (a));\nALTER TABLE t ADD CONSTRAINT t_fk FOREIGN KEY (a, b) REFERENCES x (p, q);');
});

test('F3 (openmeter): a temporary table is its session\'s own: dropping it, before the file creates it (IF EXISTS) or after, or in a function body, reports nothing', async () => {
  const sql = 'DROP TABLE IF EXISTS _dedup_map;\nCREATE TEMP TABLE _dedup_map AS SELECT 1 AS loser_id;\nDROP TABLE _dedup_map;\n'
    + 'CREATE FUNCTION batch_fix() RETURNS void AS $$\nBEGIN\n  CREATE TEMP TABLE calc_results (id text);\n  DROP TABLE calc_results;\nEND $$ LANGUAGE plpgsql;\nSELECT batch_fix();';
  for (const rule of ['ban-drop-table', 'require-lock-timeout']) await expectNoFindings(rule, sql);
  // A temporary table made by an earlier file of the run: still nobody else's.
  await expectNoFindings('ban-drop-table', '-- file: 001.sql\nCREATE TEMPORARY TABLE w (a int);\n-- file: 002.sql\nDROP TABLE w;\n', { mode: 'dry-run' });
  await expectNoFindings('require-concurrent-index-deletion', 'CREATE TEMP TABLE w (a int);\nCREATE INDEX w_a ON w (a);\nDROP INDEX w_a;');
});

test('F3: still reported: a DROP TABLE of a name the file makes a permanent table, or one the file never makes, or a DROP without IF EXISTS before the temporary one', async () => {
  await expectFindings('ban-drop-table', 'DROP TABLE IF EXISTS w;\nCREATE TABLE w (a int);', [1]);
  await expectFindings('ban-drop-table', 'DROP TABLE IF EXISTS w;', [1]);
  await expectFindings('ban-drop-table', 'DROP TABLE w;\nCREATE TEMP TABLE w (a int);', [1]);
});

test('F1 (kestra): CREATE TABLE IF NOT EXISTS repeated in one file: the indexes of the first block are on a table new in this file', async () => {
  const sql = 'CREATE TABLE IF NOT EXISTS topologies (key text PRIMARY KEY, dest text);\nCREATE INDEX IF NOT EXISTS topologies_dest ON topologies (dest);\n'
    + 'CREATE TABLE IF NOT EXISTS topologies (key text PRIMARY KEY, dest text);\nCREATE INDEX IF NOT EXISTS topologies_dest ON topologies (dest);';
  for (const rule of ['require-concurrent-index-creation', 'require-lock-timeout', 'require-statement-timeout']) await expectNoFindings(rule, sql);
  // An index on a table from before the files is still reported.
  await expectFindings('require-concurrent-index-creation', 'CREATE INDEX IF NOT EXISTS topologies_dest ON topologies (dest);', [1]);
});

test('F2 (kestra): DROP … IF EXISTS of a name no file created: with no knowledge of the database, it may exist there, and is reported as any table from before the files is', async () => {
  await expectFindings('require-concurrent-index-deletion', 'CREATE TABLE IF NOT EXISTS metrics (id bigint PRIMARY KEY, flow text);\nDROP INDEX IF EXISTS metrics_flow;\nCREATE INDEX IF NOT EXISTS metrics_flow ON metrics (flow);', [2]);
});
