import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expectFindings, expectNoFindings, expectRanges, spanOf } from './expect';

test('missing-foreign-key-index: a foreign key of a table the files create, with no index starting with its columns', async () => {
  const sql = 'CREATE TABLE lines (id bigint PRIMARY KEY, order_id bigint REFERENCES orders (id), shop_id bigint);\nALTER TABLE lines ADD CONSTRAINT fk_shop FOREIGN KEY (shop_id) REFERENCES shops (id) NOT VALID;';
  const [inline, added] = await expectRanges('missing-foreign-key-index', sql, [
    spanOf(sql, 'CREATE TABLE lines (id bigint PRIMARY KEY, order_id bigint REFERENCES orders (id), shop_id bigint)'),
    spanOf(sql, 'ALTER TABLE lines ADD CONSTRAINT fk_shop FOREIGN KEY (shop_id) REFERENCES shops (id) NOT VALID'),
  ]);
  assert.match(inline!.message, /^Index lines \(order_id\) for its foreign key to orders/);
  assert.match(added!.message, /lines \(shop_id\)/);
});

test('missing-foreign-key-index: not when an index, primary key or unique constraint leads with the columns (anywhere in the files), nor for tables the files do not create', async () => {
  await expectNoFindings('missing-foreign-key-index', 'CREATE TABLE lines (order_id bigint REFERENCES orders (id), n int);\nCREATE INDEX idx_lines_order_id_n ON lines (order_id, n);');
  await expectNoFindings('missing-foreign-key-index', '-- file: 001.sql\nCREATE TABLE lines (order_id bigint REFERENCES orders (id), n int, PRIMARY KEY (order_id, n));\n-- file: 002.sql\nCREATE TABLE tags (tag text UNIQUE REFERENCES words (w));');
  await expectNoFindings('missing-foreign-key-index', 'ALTER TABLE lines ADD CONSTRAINT fk_o FOREIGN KEY (order_id) REFERENCES orders (id) NOT VALID;');
});

test('missing-foreign-key-index: not when a later migration indexes the columns after renaming the table (lemmy renamed mod_sticky_post, then indexed it)', async () => {
  await expectNoFindings('missing-foreign-key-index', '-- file: 001.sql\nCREATE TABLE sticky (post_id bigint REFERENCES posts (id));\n-- file: 002.sql\nALTER TABLE sticky RENAME TO featured;\n-- file: 003.sql\nCREATE INDEX idx_featured_post ON featured (post_id);');
  const sql = '-- file: 001.sql\nCREATE TABLE sticky (post_id bigint REFERENCES posts (id));\n-- file: 002.sql\nALTER TABLE sticky RENAME TO featured;\n-- file: 003.sql\nCREATE INDEX idx_featured_other ON featured (other_id);';
  // Line 1 of 001.sql, the CREATE TABLE without its semicolon.
  await expectRanges('missing-foreign-key-index', sql, [[1, 1, 1, 59]]);
});

test('missing-foreign-key-index: an index on other leading columns does not count', async () => {
  const sql = 'CREATE TABLE lines (order_id bigint REFERENCES orders (id), n int);\nCREATE INDEX idx_lines_n_order_id ON lines (n, order_id);';
  await expectRanges('missing-foreign-key-index', sql, [spanOf(sql, 'CREATE TABLE lines (order_id bigint REFERENCES orders (id), n int)')]);
});

test('missing-foreign-key-index: not when a primary key, unique constraint or unique index on some of the foreign key\'s columns finds its rows', async () => {
  await expectNoFindings('missing-foreign-key-index', 'CREATE TABLE members (id bigint PRIMARY KEY, team_id bigint);\nALTER TABLE members ADD CONSTRAINT fk_team FOREIGN KEY (id, team_id) REFERENCES team_members (member_id, team_id);');
  await expectNoFindings('missing-foreign-key-index', 'CREATE TABLE t (a int, b int, CONSTRAINT u UNIQUE (a));\nALTER TABLE t ADD CONSTRAINT t_fk FOREIGN KEY (a, b) REFERENCES x (p, q);');
  await expectNoFindings('missing-foreign-key-index', 'CREATE TABLE t (a int, b int, c int);\nCREATE UNIQUE INDEX t_ba ON t (b, a);\nALTER TABLE t ADD CONSTRAINT t_fk FOREIGN KEY (a, b, c) REFERENCES x (p, q, r);');
});

test('missing-foreign-key-index: a unique index on columns outside the foreign key, or a plain index on only part of it, does not count', async () => {
  await expectFindings('missing-foreign-key-index', 'CREATE TABLE t (a int, b int, c int, CONSTRAINT u UNIQUE (a, c));\nALTER TABLE t ADD CONSTRAINT t_fk FOREIGN KEY (a, b) REFERENCES x (p, q);', [2]);
  await expectFindings('missing-foreign-key-index', 'CREATE TABLE t (a int, b int);\nCREATE INDEX t_a ON t (a);\nALTER TABLE t ADD CONSTRAINT t_fk FOREIGN KEY (a, b) REFERENCES x (p, q);', [3]);
});
