// The injection grammar, tested by a real TextMate test runner (vscode-tmgrammar-test, which uses
// vscode-textmate and Oniguruma like VS Code) on top of VS Code's own SQL grammar (as shipped in
// the tm-grammars package), over the fixtures in test/fixtures/authoring/grammar.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';

const root = path.resolve(__dirname, '..', '..', '..', '..');
const runner = path.join(root, 'node_modules', 'vscode-tmgrammar-test', 'dist', 'unit.js');
const hostGrammar = path.join(root, 'node_modules', 'tm-grammars', 'grammars', 'sql.json');

function runGrammarTests(glob: string): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, [runner, '--config', 'package.json', '-g', hostGrammar, glob], { cwd: root, encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('PostgreSQL migration grammar', () => {
  test('package.json injects the grammar into source.sql', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      contributes: { grammars: { scopeName: string; path: string; injectTo?: string[] }[] };
    };
    const entry = pkg.contributes.grammars.find((g) => g.injectTo?.includes('source.sql'));
    assert.ok(entry);
    const grammar = JSON.parse(fs.readFileSync(path.join(root, entry.path), 'utf8')) as { scopeName: string; injectionSelector: string };
    assert.equal(grammar.scopeName, entry.scopeName);
    assert.match(grammar.injectionSelector, /^L:source\.sql\b/);
    const host = JSON.parse(fs.readFileSync(hostGrammar, 'utf8')) as { scopeName: string };
    assert.equal(host.scopeName, 'source.sql');
  });

  test('every grammar fixture passes the TextMate test runner', () => {
    const fixtures = fs.readdirSync(path.join(root, 'test', 'fixtures', 'authoring', 'grammar')).filter((f) => f.endsWith('.test.sql'));
    assert.ok(fixtures.length >= 3);
    const { status, output } = runGrammarTests('test/fixtures/authoring/grammar/*.test.sql');
    assert.equal(status, 0, output);
    for (const fixture of fixtures) assert.match(output, new RegExp(`✓ .*${fixture.replace('.', '\\.')}`), output);
  });

  test('the runner reports a wrong expectation (the grammar tests can fail)', () => {
    const { status, output } = runGrammarTests('test/fixtures/authoring/grammar-must-fail/*.test.sql');
    assert.notEqual(status, 0);
    assert.match(output, /missing required scopes: entity\.name\.index\.sql/);
  });
});
