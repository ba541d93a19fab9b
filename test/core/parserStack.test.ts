// The parser after it runs out of stack, and the split psql makes that stands in for it: the
// module's stack-pointer exports are known for the installed libpg-query (an upgrade fails here
// until they are listed), and a text is cut into statements exactly where psql cuts a script.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import libpgQueryPackage from 'libpg-query/package.json';
import { opaqueFacts, scannedStatements } from '../../src/core/parse/opaqueStatements';
import { loadParser, parseSql } from '../../src/core/parse/pgParser';
import { StatementText } from '../../src/core/parse/statementText';
import { ParserStackOverflow, STACK_EXPORTS } from '../../src/core/parse/wasmParser';
import { plus } from '../support/deepSql';

before(() => loadParser());

/** The statements psql would send, as text. */
function split(text: string): string[] {
  const bytes = Buffer.from(text, 'utf8');
  return scannedStatements(text).map((s) => bytes.subarray(s.statement.start, s.statement.end).toString('utf8'));
}

describe('the parser running out of stack', () => {
  test('the stack-pointer exports of the installed libpg-query are known (see STACK_EXPORTS in core/parse/wasmParser.ts)', () => {
    assert.ok(STACK_EXPORTS[libpgQueryPackage.version], `libpg-query ${libpgQueryPackage.version}: find the two names in its loader's assignWasmExports and list them`);
  });

  test('a statement nested too deeply is a ParserStackOverflow, and the parser goes on parsing exactly', () => {
    const reference = JSON.stringify(parseSql('SELECT a, b FROM t WHERE c = 1'));
    for (let i = 0; i < 40; i++) assert.throws(() => parseSql(`SELECT ${plus(12000)}`), ParserStackOverflow);
    assert.equal(JSON.stringify(parseSql('SELECT a, b FROM t WHERE c = 1')), reference);
  });
});

describe('statements split as psql splits a script', () => {
  test('at semicolons outside parentheses, quotes, comments and dollar bodies', () => {
    assert.deepEqual(split("SELECT ';' ; SELECT (1;2)\n;-- ;\nSELECT $x$ ; $x$ /* ; */;\n\nSELECT \"a;b\""),
      ["SELECT ';'", 'SELECT (1;2)', 'SELECT $x$ ; $x$', 'SELECT "a;b"']);
  });

  test('a SQL-standard function body (BEGIN ATOMIC … END, with CASE … END inside) is one statement, as psql keeps it', () => {
    const body = 'CREATE OR REPLACE FUNCTION f(x int) RETURNS int LANGUAGE sql BEGIN ATOMIC\n  SELECT CASE WHEN x > 0 THEN 1 ELSE 2 END;\n  SELECT 3;\nEND';
    assert.deepEqual(split(`${body};\nSELECT 1;\nCREATE PROCEDURE p() BEGIN ATOMIC SELECT 1; END;`), [body, 'SELECT 1', 'CREATE PROCEDURE p() BEGIN ATOMIC SELECT 1; END']);
  });

  test('BEGIN and END elsewhere (a transaction, a CASE, a DO body) split as usual', () => {
    assert.deepEqual(split('BEGIN;\nSELECT CASE WHEN true THEN 1 END;\nDO $$ BEGIN NULL; END $$;\nCOMMIT;'),
      ['BEGIN', 'SELECT CASE WHEN true THEN 1 END', 'DO $$ BEGIN NULL; END $$', 'COMMIT']);
  });
});

describe('what the leading words of an opaque statement tell', () => {
  const facts = (sql: string) => opaqueFacts(new StatementText(sql).tokens);

  test('its kind, as the parse tree would name it', () => {
    assert.deepEqual(['SELECT 1+1', 'INSERT INTO t SELECT 1', 'CREATE OR REPLACE VIEW v AS SELECT 1', 'CREATE UNIQUE INDEX i ON t ((a+1))',
      'CREATE MATERIALIZED VIEW m AS SELECT 1', 'ALTER TABLE t ADD CHECK (a > 1)', 'WITH x AS (SELECT 1) SELECT * FROM x'].map((s) => facts(s).kind),
    ['SELECT', 'INSERT', 'CREATE VIEW', 'CREATE UNIQUE INDEX', 'CREATE MATERIALIZED VIEW', 'ALTER TABLE', 'WITH']);
  });

  test('transaction control, and CREATE INDEX CONCURRENTLY that cannot run in a transaction', () => {
    assert.deepEqual(['BEGIN', 'START TRANSACTION', 'COMMIT AND CHAIN', 'END', 'ROLLBACK', 'ROLLBACK TO SAVEPOINT s', 'PREPARE TRANSACTION \'x\'', 'COMMIT PREPARED \'x\'', 'SELECT 1']
      .map((s) => facts(s).transactionControl), ['begin', 'begin', 'commit', 'commit', 'rollback', 'savepoint', 'forbidden', 'forbidden', null]);
    assert.equal(facts('CREATE INDEX CONCURRENTLY i ON t ((a+1))').outsideTransaction?.withoutConcurrently, true);
    assert.equal(facts('CREATE INDEX i ON t ((a+1))').outsideTransaction, null);
  });
});
