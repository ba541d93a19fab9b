import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expectNoFindings, expectRanges, spanOf } from './expect';

test('update-without-where: UPDATE and DELETE without WHERE on existing tables, also inside a DO block', async () => {
  const sql = "UPDATE orders SET region = 'eu';\nDELETE FROM sessions;\nDO $$ BEGIN UPDATE carts SET n = 0; END $$;";
  const found = await expectRanges('update-without-where', sql, [spanOf(sql, "UPDATE orders SET region = 'eu'"), spanOf(sql, 'DELETE FROM sessions'), spanOf(sql, 'UPDATE carts SET n = 0')]);
  assert.match(found[0]!.message, /ROW EXCLUSIVE on orders, row locks on all of it/);
  assert.match(found[1]!.message, /TRUNCATE/);
});

test('update-without-where: not with a WHERE, nor on a table created in the file', async () => {
  await expectNoFindings('update-without-where', "UPDATE orders SET region = 'eu' WHERE id < 1000;\nDELETE FROM sessions WHERE expires_at < now();");
  await expectNoFindings('update-without-where', 'CREATE TABLE t (a bigint);\nINSERT INTO t VALUES (1);\nUPDATE t SET a = 2;');
});

test('update-without-where: inside a PL/pgSQL function or procedure the file calls, at the body\'s line, once; never in a function it only creates', async () => {
  const sql = 'CREATE PROCEDURE backfill() LANGUAGE plpgsql AS $$\nBEGIN\n  UPDATE orders SET region = \'eu\';\nEND $$;\nCALL backfill();\nCALL backfill();';
  const [found] = await expectRanges('update-without-where', sql, [spanOf(sql, "UPDATE orders SET region = 'eu'")]);
  assert.match(found!.message, /\(in backfill\(\), called on line 5\)/);
  const selected = 'CREATE FUNCTION fill() RETURNS void LANGUAGE plpgsql AS $$ BEGIN UPDATE orders SET n = 0; END $$;\nSELECT fill();';
  await expectRanges('update-without-where', selected, [spanOf(selected, 'UPDATE orders SET n = 0')]);
  await expectNoFindings('update-without-where', 'CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN UPDATE audit SET n = n + 1; RETURN NEW; END $$;\nCREATE TRIGGER t AFTER INSERT ON orders FOR EACH ROW EXECUTE FUNCTION touch();');
});
