import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expectNoFindings, expectRanges, spanOf } from './expect';

test('constraint-missing-not-valid: CHECK and FOREIGN KEY added without NOT VALID, with the lock each takes', async () => {
  const sql = 'ALTER TABLE orders ADD CONSTRAINT chk_total CHECK (total >= 0);\nALTER TABLE orders ADD CONSTRAINT fk_customer FOREIGN KEY (customer_id) REFERENCES customers (id);';
  const [check, fk] = await expectRanges('constraint-missing-not-valid', sql, [
    spanOf(sql, 'ALTER TABLE orders ADD CONSTRAINT chk_total CHECK (total >= 0)'),
    spanOf(sql, 'ALTER TABLE orders ADD CONSTRAINT fk_customer FOREIGN KEY (customer_id) REFERENCES customers (id)'),
  ]);
  assert.match(check!.message, /ACCESS EXCLUSIVE on orders \(blocks reads and writes\) and reads all of orders/);
  assert.match(fk!.message, /SHARE ROW EXCLUSIVE on orders \(blocks writes\) and SHARE ROW EXCLUSIVE on customers/);
  assert.ok(check!.fix?.newFiles?.length, 'in a transaction the VALIDATE goes to a later migration');
});

test('constraint-missing-not-valid: VALIDATE in the same transaction that added the constraint NOT VALID', async () => {
  const sql = 'ALTER TABLE orders ADD CONSTRAINT chk_total CHECK (total >= 0) NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT chk_total;';
  const [found] = await expectRanges('constraint-missing-not-valid', sql, [spanOf(sql, 'ALTER TABLE orders VALIDATE CONSTRAINT chk_total')]);
  assert.match(found!.message, /same transaction that added it NOT VALID \(line 1\)/);
});

test('constraint-missing-not-valid: not for NOT VALID, VALIDATE in a no-transaction file, new tables, or UNIQUE / PRIMARY KEY', async () => {
  await expectNoFindings('constraint-missing-not-valid', 'ALTER TABLE orders ADD CONSTRAINT chk_total CHECK (total >= 0) NOT VALID;');
  await expectNoFindings('constraint-missing-not-valid', '-- drydock:no-transaction\nALTER TABLE orders ADD CONSTRAINT chk_total CHECK (total >= 0) NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT chk_total;');
  await expectNoFindings('constraint-missing-not-valid', 'ALTER TABLE orders VALIDATE CONSTRAINT chk_total;');
  await expectNoFindings('constraint-missing-not-valid', 'CREATE TABLE t (a bigint);\nALTER TABLE t ADD CONSTRAINT chk_a CHECK (a > 0);');
  await expectNoFindings('constraint-missing-not-valid', 'ALTER TABLE orders ADD CONSTRAINT uq_code UNIQUE (code);');
});

test('constraint-missing-not-valid: an unnamed constraint is told to get a name, never "VALIDATE CONSTRAINT  in"', async () => {
  const sql = 'ALTER TABLE orders ADD CHECK (total >= 0);\nALTER TABLE orders ADD FOREIGN KEY (customer_id) REFERENCES customers (id);';
  const found = await expectRanges('constraint-missing-not-valid', sql, [spanOf(sql, 'ALTER TABLE orders ADD CHECK (total >= 0)'), spanOf(sql, 'ALTER TABLE orders ADD FOREIGN KEY (customer_id) REFERENCES customers (id)')]);
  for (const f of found) {
    assert.doesNotMatch(f.message, /CONSTRAINT {2}/);
    assert.match(f.message, /^Name it and add it NOT VALID, then VALIDATE it later: .*VALIDATE CONSTRAINT \(with the name given in ADD CONSTRAINT name …\) in a later transaction/);
    assert.equal(f.fix, undefined, 'VALIDATE needs a name the fix does not know');
  }
  const quoted = 'ALTER TABLE orders ADD CONSTRAINT "Chk_Total" CHECK (total >= 0);';
  const [named] = await expectRanges('constraint-missing-not-valid', quoted, [spanOf(quoted, quoted.slice(0, -1))]);
  assert.match(named!.message, /; VALIDATE CONSTRAINT "Chk_Total" in a later transaction/);
});
