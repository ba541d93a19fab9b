import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expectNoFindings, expectRanges, spanOf } from './expect';

test('adding-foreign-key-constraint: ADD FOREIGN KEY and ADD COLUMN … REFERENCES on an existing table', async () => {
  const sql = 'ALTER TABLE orders ADD CONSTRAINT fk_c FOREIGN KEY (customer_id) REFERENCES customers (id);\nALTER TABLE orders ADD COLUMN shop_id bigint DEFAULT 1 REFERENCES shops (id);\n'
    + 'ALTER TABLE orders ADD COLUMN desk_id bigint DEFAULT NULL REFERENCES desks (id), ADD COLUMN note text DEFAULT \'x\', ADD COLUMN pen_id bigint REFERENCES pens (id);';
  const [fk, column, both] = await expectRanges('adding-foreign-key-constraint', sql, [
    spanOf(sql, 'ALTER TABLE orders ADD CONSTRAINT fk_c FOREIGN KEY (customer_id) REFERENCES customers (id)'),
    spanOf(sql, 'ALTER TABLE orders ADD COLUMN shop_id bigint DEFAULT 1 REFERENCES shops (id)'),
    spanOf(sql, 'ALTER TABLE orders ADD COLUMN desk_id bigint DEFAULT NULL REFERENCES desks (id), ADD COLUMN note text DEFAULT \'x\', ADD COLUMN pen_id bigint REFERENCES pens (id)'),
  ]);
  assert.match(both!.message, /Writes to orders and desks wait/);
  assert.match(fk!.message, /Writes to orders and customers wait/);
  assert.match(column!.message, /Add the column without REFERENCES/);
});

test('adding-foreign-key-constraint: not for NOT VALID, new tables, a CREATE TABLE with references, or a new column without DEFAULT (every row holds NULL: PostgreSQL checks nothing, as Lemmy\'s audit measured, also beside another new column\'s DEFAULT)', async () => {
  await expectNoFindings('adding-foreign-key-constraint', 'ALTER TABLE site ADD COLUMN instance_id int REFERENCES instance ON UPDATE CASCADE ON DELETE CASCADE;');
  await expectNoFindings('adding-foreign-key-constraint', 'ALTER TABLE notification ADD COLUMN kind text NOT NULL DEFAULT \'Reply\', ADD COLUMN post_id int REFERENCES post (id) ON DELETE CASCADE;');
  await expectNoFindings('adding-foreign-key-constraint', 'ALTER TABLE orders ADD CONSTRAINT fk_c FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;');
  await expectNoFindings('adding-foreign-key-constraint', 'CREATE TABLE lines (order_id bigint);\nALTER TABLE lines ADD CONSTRAINT fk_o FOREIGN KEY (order_id) REFERENCES orders (id);');
  await expectNoFindings('adding-foreign-key-constraint', 'CREATE TABLE lines (order_id bigint REFERENCES orders (id));');
});
