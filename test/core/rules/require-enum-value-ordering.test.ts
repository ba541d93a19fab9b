import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expectNoFindings, expectRanges, spanOf } from './expect';

test('require-enum-value-ordering: ADD VALUE without BEFORE or AFTER', async () => {
  const sql = "ALTER TYPE order_status ADD VALUE 'refunded';\nALTER TYPE app.kind ADD VALUE IF NOT EXISTS 'x';";
  const [first] = await expectRanges('require-enum-value-ordering', sql, [spanOf(sql, "ALTER TYPE order_status ADD VALUE 'refunded'"), spanOf(sql, "ALTER TYPE app.kind ADD VALUE IF NOT EXISTS 'x'")]);
  assert.match(first!.message, /sort and compare by their declared order/);
});

test('require-enum-value-ordering: not with BEFORE/AFTER, nor for RENAME VALUE or CREATE TYPE', async () => {
  await expectNoFindings('require-enum-value-ordering', "ALTER TYPE s ADD VALUE 'r' AFTER 'p';\nALTER TYPE s ADD VALUE 'q' BEFORE 'r';\nALTER TYPE s RENAME VALUE 'a' TO 'b';\nCREATE TYPE m AS ENUM ('x', 'y');");
});
