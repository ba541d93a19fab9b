// An error raised inside a DO block is located at the statement of its body that raised it (a
// PERFORM, an assignment, an IF, a RAISE, a call of a function that raises, an EXECUTE), not at
// the DO's first line, on every server under test.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pgBackend } from '../../src/core/db/pg/pgBackend';
import { runMigrations } from '../../src/core/run/runner';
import { describeEachServer } from '../support/database';

const SETUP = "CREATE TABLE located (a int);\nCREATE FUNCTION raises() RETURNS int LANGUAGE plpgsql AS $f$ BEGIN RAISE EXCEPTION 'from a function'; END $f$;\n";

/** A DO block whose body's line 5 (file line 7) is `body`, after an INSERT that succeeds. */
function doBlock(body: string): string {
  return `${SETUP}DO $$\nDECLARE x int := 1; r record;\nBEGIN\n  INSERT INTO located VALUES (1);\n${body}\nEND\n$$;\n`;
}

// [what the body's statement is, its text, where the error is: line, column]
const CASES: [string, string, number, number][] = [
  ['PERFORM', '  PERFORM 1/0;', 7, 11],
  ['PERFORM of a missing column', '  PERFORM nosuchcol FROM located;', 7, 11],
  ['PERFORM over two lines', '  PERFORM\n    1/0;', 8, 5],
  ['the second PERFORM of a line', '  PERFORM 1;  PERFORM 2/0;', 7, 23],
  ['PERFORM of a function that raises', '  PERFORM raises();', 7, 11],
  ['an assignment', '  x := x / 0;', 7, 3],
  ['an IF condition', '  IF 1/0 = 1 THEN NULL; END IF;', 7, 6],
  ['RAISE', "  RAISE EXCEPTION 'raised';", 7, 3],
  ['an INSERT', '  INSERT INTO located VALUES (nosuch);', 7, 31],
  ['EXECUTE of a literal', "  EXECUTE 'SELECT 1/0';", 7, 12],
  ['a FOR loop over a query', '  FOR r IN SELECT 1/0 AS q LOOP NULL; END LOOP;', 7, 12],
];

describeEachServer('errors inside DO blocks', (server) => {
  for (const [what, body, line, column] of CASES) {
    test(`${what} inside a DO block: the error is at its line ${line}, column ${column}`, async () => {
      const url = server().url(await server().createDatabase());
      const report = await runMigrations([{ path: 'do.sql', text: doBlock(body) }], { mode: 'dry-run', backend: pgBackend({ connectionString: url }) });
      assert.equal(report.outcome, 'failed');
      assert.deepEqual(report.error?.position, { line, column }, JSON.stringify(report.error));
    });
  }
});
