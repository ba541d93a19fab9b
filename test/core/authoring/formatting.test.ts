// The formatter keeps meaning: for every fixture, every rendered template and every snippet, the
// formatted text has the same parse tree (positions aside) and fingerprint as the original, the
// same dollar-quoted bodies byte for byte, and the same migration directives; unparsable text is
// refused with the parser's position.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { _private, formatSql } from '../../../src/core/format/formatSql';
import { loadParser } from '../../../src/core/parse/parseMigration';
import { MIGRATION_TOOLS, mergeInto, renderTemplate } from '../../../src/core/templates';
import { expandSnippet } from './snippetExpander';
import { KIND_CASES, refusedAsOneQuery } from './kindCases';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const pgQuery = require('libpg-query') as typeof import('libpg-query');

const root = path.resolve(__dirname, '..', '..', '..', '..');
const fixtureDir = path.join(root, 'test', 'fixtures', 'authoring', 'format');

function listSql(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith('.sql')).map((f) => path.join(dir, f)).sort();
}

function dollarBodies(sql: string): string[] {
  return [...sql.matchAll(/(\$[A-Za-z_]*\$)[\s\S]*?\1/g)].map((m) => m[0]);
}

/** Independent of formatSql's own check: parse both with libpg-query and compare. */
function assertSameMeaning(label: string, original: string, formatted: string): void {
  const strip = (sql: string) => JSON.stringify(pgQuery.parseSync(sql), (k, v: unknown) => (/location$|_len$|list_start$|list_end$/.test(k) ? undefined : v));
  assert.equal(strip(formatted), strip(original), `${label}: parse tree changed`);
  assert.equal(pgQuery.fingerprintSync(formatted), pgQuery.fingerprintSync(original), `${label}: fingerprint changed`);
  assert.deepEqual(dollarBodies(formatted), dollarBodies(original), `${label}: a dollar-quoted body changed`);
  assert.deepEqual(_private.directivesOf(formatted), _private.directivesOf(original), `${label}: directives moved`);
}

function formatsKeepingMeaning(label: string, sql: string): string {
  const outcome = formatSql(sql);
  assert.ok(outcome.ok, `${label}: ${outcome.ok ? '' : outcome.reason}`);
  assertSameMeaning(label, sql, outcome.text);
  return outcome.text;
}

before(async () => {
  await loadParser();
  await pgQuery.loadModule();
});

describe('formatSql keeps meaning', () => {
  const fixtures = fs.readdirSync(fixtureDir).filter((f) => f.endsWith('.sql')).sort();
  test('there are fixtures', () => assert.ok(fixtures.length >= 3));
  for (const name of fixtures) {
    test(`fixture ${name}: reformatted, same parse tree, bodies and directives`, () => {
      const sql = fs.readFileSync(path.join(fixtureDir, name), 'utf8');
      const formatted = formatsKeepingMeaning(name, sql);
      assert.notEqual(formatted, sql, 'the fixture is deliberately unformatted');
      assert.ok(formatted.endsWith('\n'));
    });
  }

  test('every SQL fixture of the project and the seed-app example: meaning kept, or refused when it does not parse', () => {
    const files = [
      ...listSql(path.join(root, 'test', 'fixtures')).filter((f) => !f.includes(`${path.sep}grammar-must-fail${path.sep}`)),
      ...listSql(path.join(root, 'examples')),
    ];
    assert.ok(files.length >= 10, `only ${files.length} fixtures`);
    let refused = 0;
    for (const file of files) {
      const sql = fs.readFileSync(file, 'utf8');
      const label = path.relative(root, file);
      let parses = true;
      try {
        pgQuery.parseSync(sql);
      } catch {
        parses = false;
      }
      if (parses) {
        formatsKeepingMeaning(label, sql);
      } else {
        const outcome = formatSql(sql);
        assert.equal(outcome.ok, false, `${label} does not parse but was formatted`);
        refused += 1;
      }
    }
    assert.ok(refused >= 1, 'no unparsable fixture exercised the refusal');
  });

  test('every rendered template in every tool layout', () => {
    let count = 0;
    for (const { kind, label, params } of KIND_CASES) {
      for (const tool of MIGRATION_TOOLS.filter((t) => !refusedAsOneQuery(kind, params, t))) {
        for (const file of renderTemplate(kind, params, tool).files) {
          if (!file.path.endsWith('.sql')) continue;
          formatsKeepingMeaning(`${kind} ${label} ${tool} ${file.path}`, mergeInto(file, null));
          count += 1;
        }
      }
    }
    assert.ok(count > 100, `only ${count} files formatted`);
  });

  test('every snippet body with its defaults', () => {
    const snippets = JSON.parse(fs.readFileSync(path.join(root, 'snippets', 'postgresql-migrations.json'), 'utf8')) as Record<string, { body: string[] }>;
    for (const [name, s] of Object.entries(snippets)) formatsKeepingMeaning(name, expandSnippet(s.body));
  });

  test('settings: keyword case and indent are honoured', () => {
    const lower = formatSql('SELECT a FROM t WHERE b = 1;', { keywordCase: 'lower', indent: 4 });
    assert.ok(lower.ok);
    assert.equal(lower.text, 'select\n    a\nfrom\n    t\nwhere\n    b = 1;');
    const upper = formatSql('select a from t;');
    assert.ok(upper.ok);
    assert.equal(upper.text, 'SELECT\n  a\nFROM\n  t;');
    const tabs = formatSql('select a from t;', { useTabs: true });
    assert.ok(tabs.ok && tabs.text.includes('\n\ta\n'));
  });
});

describe('formatSql refuses instead of mangling', () => {
  test('a syntax error is refused with its line and column', () => {
    const outcome = formatSql('CREATE INDEX idx_a ON t (a);\nCREATE INDX idx_b ON t (b);\n');
    assert.equal(outcome.ok, false);
    assert.ok(!outcome.ok);
    assert.deepEqual(outcome.position, { line: 2, column: 8 });
    assert.match(outcome.reason, /does not parse/);
  });

  test('psql meta-commands are refused (they are not SQL)', () => {
    const outcome = formatSql('\\set ON_ERROR_STOP on\nSELECT 1;\n');
    assert.equal(outcome.ok, false);
  });

  test('layout that would break the SQL is refused (adjacent string literals need their line break)', () => {
    const sql = "SELECT 'first part'\n'second part';\n";
    assert.doesNotThrow(() => pgQuery.parseSync(sql));
    const outcome = formatSql(sql);
    assert.equal(outcome.ok, false);
    assert.ok(!outcome.ok && /would not parse/.test(outcome.reason));
  });

  test('the meaning check sees constants that the fingerprint ignores', () => {
    assert.equal(pgQuery.fingerprintSync('SELECT 1'), pgQuery.fingerprintSync('SELECT 2'));
    assert.notEqual(_private.treeWithoutPositions('SELECT 1'), _private.treeWithoutPositions('SELECT 2'));
    assert.notEqual(_private.treeWithoutPositions('DO $$BEGIN NULL; END$$'), _private.treeWithoutPositions('DO $$BEGIN  NULL; END$$'));
    assert.equal(_private.treeWithoutPositions('select  1'), _private.treeWithoutPositions('SELECT\n  1'));
  });

  test('empty text is left alone', () => {
    assert.deepEqual(formatSql(''), { ok: true, text: '', changed: false });
  });
});
