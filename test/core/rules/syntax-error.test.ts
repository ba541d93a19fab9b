import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expectFindings, expectNoFindings } from './expect';

test('syntax-error: at the token the parser stopped at, with its message', async () => {
  const [finding] = await expectFindings('syntax-error', 'SELECT 1;\nCREATE TABLE t (id int,, name text);', [2]);
  assert.equal(finding!.range.start.column, 24);
  assert.match(finding!.message, /syntax error at or near ","/);
});

test('syntax-error: PostgreSQL 18 syntax and dollar-quoted bodies parse', async () => {
  await expectNoFindings('syntax-error', 'CREATE TABLE t (a int, b int GENERATED ALWAYS AS (a * 2) VIRTUAL);\nCREATE FUNCTION f() RETURNS int LANGUAGE sql AS $x$ SELECT 1; $x$;');
});
