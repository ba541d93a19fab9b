// A large file parsed in pieces gives exactly the trees and statements of a whole-file parse,
// whatever hides a `;` at a line end (strings, comments, dollar bodies, parentheses); where a cut
// would split a statement (BEGIN ATOMIC … END) it falls back to the whole parse.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { CHUNKED_PARSE_MIN_BYTES, parseInChunks } from '../../src/core/parse/chunkedParse';
import { loadParser, parseMigrationSync } from '../../src/core/parse/parseMigration';
import { parseSql } from '../../src/core/parse/pgParser';
import { HIDDEN_SEMICOLONS } from '../support/hiddenSemicolons';

before(() => loadParser());

const TRICKY = HIDDEN_SEMICOLONS;

function bigText(statements: readonly string[], bytes: number): string {
  const out: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const s = `${statements[i % statements.length]!}\n`;
    out.push(s);
    size += Buffer.byteLength(s);
  }
  return out.join('');
}

test('parseInChunks: identical trees to a whole parse on a large text full of hidden semicolons', () => {
  const text = bigText(TRICKY, CHUNKED_PARSE_MIN_BYTES * 2);
  const chunked = parseInChunks(text);
  assert.ok(chunked, 'a large text is parsed in pieces');
  assert.ok(JSON.stringify(chunked) === JSON.stringify(parseSql(text)), 'the same trees, locations included');
  const whole = parseMigrationSync('m.sql', text);
  assert.equal(whole.statements.length, (parseSql(text).stmts ?? []).length);
});

test('parseInChunks: small texts, and a cut inside BEGIN ATOMIC … END, fall back to the whole parse', () => {
  assert.equal(parseInChunks('SELECT 1;\n'), null);
  const atomic = 'CREATE FUNCTION g() RETURNS int LANGUAGE sql BEGIN ATOMIC\n  SELECT 1;\n  SELECT 2;\nEND;';
  // Cuts fall every 64 KiB; with enough atomic bodies one falls inside a body.
  const text = bigText([atomic, 'SELECT 3;'], CHUNKED_PARSE_MIN_BYTES * 2);
  assert.equal(parseInChunks(text), null);
  const parsed = parseMigrationSync('m.sql', text);
  assert.equal(parsed.syntaxError, null);
  assert.equal(parsed.statements.length, (parseSql(text).stmts ?? []).length);
});
