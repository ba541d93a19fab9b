// Re-parsing an edited text from its last parse gives exactly the whole text's parse: the same
// trees, every location included, for any edit anywhere (property-based: fast-check edits texts full
// of semicolons the parser does not read as statement ends), or it declines and the whole text is
// parsed. And it does re-use: an everyday edit is answered from the last parse.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import fc from 'fast-check';
import { ReparseCache } from '../../src/core/parse/incrementalParse';
import { loadParser, parseMigrationSync } from '../../src/core/parse/parseMigration';
import { parseSql, type RawStmt } from '../../src/core/parse/pgParser';
import { HIDDEN_SEMICOLONS } from '../support/hiddenSemicolons';

before(() => loadParser());

const STATEMENTS = [
  'CREATE INDEX idx_a ON t (a);',
  ...HIDDEN_SEMICOLONS,
  'CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO u VALUES (1); INSERT INTO u VALUES (2));',
  'CREATE FUNCTION g() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END;',
  'ALTER TABLE t ADD COLUMN b text; ;',
];

/** What an edit puts in: text that opens or closes what hides a `;`, semicolons, statements. */
const FRAGMENTS = ["'", '"', '--', '/*', '*/', '$$', '(', ')', ';', ' ', '\n', 'SELECT 2;', 'ü', 'x', ';\nSELECT 3;\n', 'BEGIN ATOMIC', 'END;', ...STATEMENTS];

function wholeParse(text: string): RawStmt[] | 'error' {
  try {
    return parseSql(text).stmts ?? [];
  } catch {
    return 'error';
  }
}

function textOf(statements: string[]): string {
  return `${statements.join('\n')}\n`;
}

/** A text of at least 4 kB (smaller ones are not kept). */
const texts = fc.tuple(fc.array(fc.constantFrom(...STATEMENTS), { minLength: 1, maxLength: 40 }), fc.boolean()).map(([s, unterminated]) => {
  let text = textOf(s);
  while (Buffer.byteLength(text) < 4096) text += textOf(s);
  // The last statement may have no `;`.
  return unterminated ? `${text}SELECT 1` : text;
});

const edits = fc.record({
  at: fc.double({ min: 0, max: 1, noNaN: true }),
  remove: fc.nat({ max: 80 }),
  insert: fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 3 }).map((f) => f.join('')),
});

function edited(text: string, edit: { at: number; remove: number; insert: string }): string {
  const at = Math.floor(edit.at * text.length);
  return text.slice(0, at) + edit.insert + text.slice(Math.min(text.length, at + edit.remove));
}

test('a re-parse from the last parse equals the whole parse, or declines (any edit, anywhere, several in a row)', () => {
  let reused = 0;
  let parsable = 0;
  fc.assert(fc.property(texts, fc.array(edits, { minLength: 1, maxLength: 4 }), (start, steps) => {
    const cache = new ReparseCache();
    let text = start;
    const first = wholeParse(text);
    if (first === 'error') return;
    cache.remember('m.sql', text, first);
    for (const step of steps) {
      text = edited(text, step);
      const whole = wholeParse(text);
      const again = cache.reparse('m.sql', text);
      if (whole !== 'error') parsable += 1;
      if (again) {
        reused += 1;
        assert.notEqual(whole, 'error', `a text that does not parse is re-parsed: ${JSON.stringify(text)}`);
        assert.equal(JSON.stringify(again), JSON.stringify(whole), `re-parse differs from the whole parse for ${JSON.stringify(text)}`);
      }
      if (whole === 'error') return;
      cache.remember('m.sql', text, whole);
    }
  }), { numRuns: 400 });
  assert.ok(reused >= parsable / 2, `most edits that parse are answered from the last parse (${reused} of ${parsable})`);
});

test('statements added, removed, replaced or renamed anywhere: every re-parse equals the whole parse', () => {
  let reused = 0;
  const step = fc.record({ kind: fc.constantFrom('add', 'remove', 'replace', 'rename'), at: fc.double({ min: 0, max: 1, noNaN: true }), statement: fc.constantFrom(...STATEMENTS) });
  fc.assert(fc.property(fc.array(fc.constantFrom(...STATEMENTS), { minLength: 60, maxLength: 120 }), fc.array(step, { minLength: 1, maxLength: 5 }), (start, steps) => {
    const cache = new ReparseCache();
    const statements = [...start];
    cache.remember('m.sql', textOf(statements), parseSql(textOf(statements)).stmts ?? []);
    for (const { kind, at, statement } of steps) {
      const i = Math.min(statements.length - 1, Math.floor(at * statements.length));
      if (kind === 'add') statements.splice(i, 0, statement);
      else if (kind === 'remove' && statements.length > 1) statements.splice(i, 1);
      else if (kind === 'replace') statements[i] = statement;
      else statements[i] = statements[i]!.replace(/\b(t|f|g|u|idx_a)\b/, '$1_renamed_ü');
      const text = textOf(statements);
      const whole = parseSql(text).stmts ?? [];
      const again = cache.reparse('m.sql', text);
      if (again) {
        reused += 1;
        assert.equal(JSON.stringify(again), JSON.stringify(whole));
      }
      cache.remember('m.sql', text, whole);
    }
  }), { numRuns: 200 });
  assert.ok(reused > 200, `statement edits are answered from the last parse (${reused})`);
});

test('an edit inside a string, comment, dollar body or parentheses that swallows a `;` is parsed whole', () => {
  const base = textOf(Array.from({ length: 200 }, (_, i) => `CREATE INDEX idx_${i} ON t (a);`));
  const cache = new ReparseCache();
  cache.remember('m.sql', base, parseSql(base).stmts ?? []);
  const at = base.indexOf('CREATE INDEX idx_100');
  for (const opener of ["'", '/*', '$$ ', '(', '-- ']) {
    const text = `${base.slice(0, at)}SELECT ${opener}${base.slice(at)}`;
    const again = cache.reparse('m.sql', text);
    assert.ok(again === null || JSON.stringify(again) === JSON.stringify(wholeParse(text)), `after ${opener}`);
  }
  // A `;` turned into a comment's: the statement runs on into the next one.
  const commented = base.replace('idx_100 ON t (a);', 'idx_100 ON t (a) --;');
  assert.equal(cache.reparse('m.sql', commented), null);
});

test('an edit in a large file is re-parsed from the last parse, and the file parses the same', () => {
  const base = textOf(Array.from({ length: 300 }, (_, i) => `CREATE INDEX idx_${i} ON t (a);`));
  const cache = new ReparseCache();
  const first = parseMigrationSync('m.sql', base, null, cache);
  const middle = base.replace('idx_150 ON t (a);', 'idx_150 ON t (a, b);\nALTER TABLE t ADD COLUMN c int;');
  assert.ok(cache.reparse('m.sql', middle), 'an edit in the middle is re-parsed');
  const again = parseMigrationSync('m.sql', middle, null, cache);
  const whole = parseMigrationSync('m.sql', middle);
  assert.equal(first.statements.length, 300);
  assert.equal(again.statements.length, 301);
  assert.deepEqual(again.statements.map((s) => [s.sql, s.offsets, s.range]), whole.statements.map((s) => [s.sql, s.offsets, s.range]));
  assert.ok(cache.reparse('m.sql', `${middle}CREATE INDEX idx_end ON t (b);\n`), 'a statement added at the end is re-parsed');
});
