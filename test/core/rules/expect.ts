// Helpers that keep each rule's tests a few lines: the findings of one rule (or all) for some SQL,
// compared as [ruleId, line] pairs. A `-- file: name.sql` line starts another file checked with
// the ones before it.
import assert from 'node:assert/strict';
import { RUN_MODES, type RunMode } from '../../../src/core/model/runModes';
import type { Finding } from '../../../src/core/model/findings';
import { loadParser, parseMigrationSync } from '../../../src/core/parse/parseMigration';
import { checkFiles } from '../../../src/core/rules/checkMigration';
import { DEFAULT_LINT_SETTINGS, type LintSettings } from '../../../src/core/model/lintSettings';
import type { Range } from '../../../src/core/model/positions';
import { LineIndex } from '../../../src/core/model/lineIndex';

/** How the SQL is checked: for a plain check (default) or for a run mode. */
export interface ExpectOptions {
  mode?: RunMode;
  /** Rule settings (pgVersion, assumeInTransaction, severities) over the defaults. */
  settings?: Partial<LintSettings>;
}

/** Splits text at `-- file: NAME` lines into files (one unnamed file when there are none). */
export function filesOf(sql: string): { path: string; text: string }[] {
  const parts = sql.split(/^-- file: (\S+)\n/m);
  if (parts.length === 1) return [{ path: 'm.sql', text: sql }];
  const files: { path: string; text: string }[] = [];
  for (let i = 1; i < parts.length; i += 2) files.push({ path: parts[i]!, text: parts[i + 1] ?? '' });
  return files;
}

/** Every finding for the SQL (after loading the parser). */
export async function findingsOf(sql: string, options: ExpectOptions = {}): Promise<Finding[]> {
  await loadParser();
  const parsed = filesOf(sql).map((f) => parseMigrationSync(f.path, f.text));
  return checkFiles(parsed, { mode: options.mode ? RUN_MODES[options.mode] : null, settings: { ...DEFAULT_LINT_SETTINGS, ...options.settings } })
    .flatMap((f) => f.diagnostics);
}

/** Asserts the findings of `ruleId` are exactly these lines (1-based, in order). */
export async function expectFindings(ruleId: string, sql: string, lines: number[], options: ExpectOptions = {}): Promise<Finding[]> {
  const found = (await findingsOf(sql, options)).filter((f) => f.ruleId === ruleId);
  assert.deepEqual(found.map((f) => [f.ruleId, f.range.start.line]), lines.map((line) => [ruleId, line]), sql);
  return found;
}

/** Asserts `ruleId` reports nothing for the SQL. */
export async function expectNoFindings(ruleId: string, sql: string, options: ExpectOptions = {}): Promise<void> {
  await expectFindings(ruleId, sql, [], options);
}

/** A range as [startLine, startColumn, endLine, endColumn] (1-based, end exclusive). */
export type RangeTuple = [number, number, number, number];

function tuple(range: Range): RangeTuple {
  return [range.start.line, range.start.column, range.end.line, range.end.column];
}

/** Asserts the findings of `ruleId` are exactly at these ranges, in order. */
export async function expectRanges(ruleId: string, sql: string, ranges: RangeTuple[], options: ExpectOptions = {}): Promise<Finding[]> {
  const found = (await findingsOf(sql, options)).filter((f) => f.ruleId === ruleId);
  assert.deepEqual(found.map((f) => tuple(f.range)), ranges, sql);
  return found;
}

/** The range of the `nth` occurrence of `needle` in a one-file SQL text, as the tests expect findings there. */
export function spanOf(sql: string, needle: string, nth = 0): RangeTuple {
  let at = -1;
  for (let i = 0; i <= nth; i++) at = sql.indexOf(needle, at + 1);
  assert.ok(at >= 0, `${needle} is not in the SQL`);
  const lines = new LineIndex(sql);
  return tuple(lines.rangeOf({ start: at, end: at + needle.length }));
}
