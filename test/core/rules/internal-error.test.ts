import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_LINT_SETTINGS } from '../../../src/core/model/lintSettings';
import { RUN_MODES } from '../../../src/core/model/runModes';
import { loadParser, parseMigrationSync } from '../../../src/core/parse/parseMigration';
import { checkFiles } from '../../../src/core/rules/checkMigration';
import { RULES } from '../../../src/core/rules/registry';
import type { Rule } from '../../../src/core/rules/rule';
import { expectNoFindings } from './expect';

const failing = (category: Rule['category']): Rule => ({
  id: 'prefer-text-field', defaultSeverity: 'warning', category, summary: 'a rule that fails', help: 'none',
  check() { throw new RangeError('Maximum call stack size exceeded'); },
});

test('internal-error: a rule that throws is a finding for that file at its first line; the other rules still judge it', async () => {
  await loadParser();
  const file = parseMigrationSync('m.sql', 'CREATE INDEX i ON t (a);\n');
  const [checked] = checkFiles([file], { rules: [failing('convention'), ...RULES.filter((r) => r.id !== 'prefer-text-field')], settings: DEFAULT_LINT_SETTINGS });
  const internal = checked!.diagnostics.filter((d) => d.ruleId === 'internal-error');
  assert.equal(internal.length, 1);
  assert.equal(internal[0]!.severity, 'warning');
  assert.deepEqual(internal[0]!.range.start, { line: 1, column: 1 });
  assert.match(internal[0]!.message, /rule prefer-text-field failed on this file \(RangeError: Maximum call stack size exceeded\)/);
  assert.ok(checked!.diagnostics.some((d) => d.ruleId === 'require-concurrent-index-creation'));
  assert.equal(checked!.runnable, true);
});

test('internal-error: a runnability rule that throws in a run refuses the file (its runnability is unknown)', async () => {
  await loadParser();
  const file = parseMigrationSync('m.sql', 'SELECT 1;\n');
  const [checked] = checkFiles([file], { mode: RUN_MODES['dry-run'], rules: [failing('runnability')], settings: DEFAULT_LINT_SETTINGS });
  assert.equal(checked!.runnable, false);
  assert.equal(checked!.diagnostics[0]!.severity, 'error');
  assert.match(checked!.diagnostics[0]!.message, /refuses it/);
});

test('internal-error: not reported when every rule judges the file', async () => {
  await expectNoFindings('internal-error', 'CREATE TABLE t (id bigint PRIMARY KEY);\nSELECT 1;');
});
