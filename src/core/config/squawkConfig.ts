// A project that comes from Squawk keeps its settings in .squawk.toml. With no drydock.json above a
// file, Drydock reads that instead: excluded_rules (Squawk's rule names mapped to Drydock's rule
// ids, where Drydock has one), pg_version, assume_in_transaction and excluded_paths. Whatever it
// maps, and whatever it leaves aside, is said (notes), never silently dropped; a name Drydock does
// not know is not fatal, since Squawk may know rules Drydock has no counterpart for.
// The TOML is read with smol-toml (no dependencies of its own, a TOML 1.0 parser that reports
// the line and column of a syntax error): a hand-written subset parser would accept or refuse
// some files differently from Squawk's own parser.
import { parse, TomlError } from 'smol-toml';
import type { RuleSetting } from '../model/lintSettings';
import type { DrydockConfig } from './drydockConfig';

export const SQUAWK_CONFIG_FILE_NAME = '.squawk.toml';

/** A .squawk.toml that cannot be used: where (1-based line and column) and why. */
export interface SquawkConfigProblem {
  line: number;
  column: number;
  detail: string;
}

// Squawk's names that differ from Drydock's ids (older names and aliases, and rules Drydock splits in two).
const RENAMED: Readonly<Record<string, readonly string[]>> = {
  'prefer-timestamptz': ['prefer-timestamp-tz'],
  'prefer-big-int': ['prefer-bigint-over-int', 'prefer-bigint-over-smallint'],
  'require-timeout-settings': ['require-lock-timeout', 'require-statement-timeout'],
};

// Squawk rules with no Drydock counterpart: said as such, not as unknown names.
const SQUAWK_ONLY = new Set(['ban-drop-not-null', 'ban-create-domain-with-constraint', 'ban-alter-domain-with-add-constraint',
  'prefer-repack', 'require-table-schema', 'ban-duplicate-column-assignments']);

// Keys Squawk reads that mean nothing to Drydock's check (its GitHub upload; its opt-in rules, which Drydock has on already).
const NOT_USED = new Set(['included_rules', 'upload_to_github']);
const USED = new Set(['excluded_rules', 'pg_version', 'assume_in_transaction', 'excluded_paths']);

/** Where a key is written (its first occurrence), for error messages. */
function keyPosition(text: string, key: string): { line: number; column: number } {
  const match = new RegExp(`^[ \\t]*${key}[ \\t]*=`, 'm').exec(text);
  const at = match ? match.index + match[0].length - match[0].trimStart().length : 0;
  const before = text.slice(0, at);
  return { line: before.split('\n').length, column: at - (before.lastIndexOf('\n') + 1) + 1 };
}

const isStringArray = (value: unknown): value is string[] => Array.isArray(value) && value.every((v) => typeof v === 'string');

/**
 * The Drydock configuration a .squawk.toml's text amounts to, with notes saying what was read,
 * mapped and left aside; or the problem that makes it unusable.
 */
export function parseSquawkConfig(file: string, text: string, knownRules: ReadonlySet<string>): { config: DrydockConfig; notes: string[] } | SquawkConfigProblem {
  let table: Record<string, unknown>;
  try {
    table = parse(text.startsWith('\uFEFF') ? text.slice(1) : text) as Record<string, unknown>;
  } catch (err) {
    if (err instanceof TomlError) return { line: err.line, column: err.column, detail: `not valid TOML: ${err.message.split('\n')[0]}` };
    throw err;
  }
  const fail = (key: string, detail: string): SquawkConfigProblem => ({ ...keyPosition(text, key), detail });
  const config: DrydockConfig = {
    path: file, rules: {}, pgVersion: null, assumeInTransaction: null, exclude: [],
    shadowSetup: [], shadowConnection: null, tool: null, migrations: null, startAfter: null, noTransactionDirective: null,
  };
  const notes: string[] = [];
  const rules = table.excluded_rules;
  if (rules !== undefined) {
    if (!isStringArray(rules)) return fail('excluded_rules', 'excluded_rules must be an array of rule names');
    const mapped: string[] = [];
    for (const name of rules) {
      const ids = RENAMED[name] ?? (knownRules.has(name) ? [name] : []);
      for (const id of ids) config.rules[id] = 'off' satisfies RuleSetting;
      if (ids.length > 0) mapped.push(ids.length === 1 && ids[0] === name ? name : `${name} → ${ids.join(', ')}`);
      else notes.push(SQUAWK_ONLY.has(name) ? `excluded_rules: ${name} has no Drydock rule (ignored)` : `excluded_rules: ${name} is no rule Drydock or Squawk knows (ignored)`);
    }
    if (mapped.length > 0) notes.unshift(`excluded_rules turned off: ${mapped.join('; ')}`);
  }
  if (table.pg_version !== undefined) {
    const major = typeof table.pg_version === 'string' ? Number(/^(\d+)(?:\.\d+){0,2}$/.exec(table.pg_version.trim())?.[1]) : NaN;
    if (!Number.isInteger(major) || major < 9 || major > 99) return fail('pg_version', `pg_version must be a PostgreSQL version such as "16.0", got ${JSON.stringify(table.pg_version)}`);
    config.pgVersion = major;
    notes.push(`pg_version ${String(table.pg_version)} → PostgreSQL ${major}`);
  }
  if (table.assume_in_transaction !== undefined) {
    if (typeof table.assume_in_transaction !== 'boolean') return fail('assume_in_transaction', 'assume_in_transaction must be true or false');
    config.assumeInTransaction = table.assume_in_transaction;
    notes.push(`assume_in_transaction ${String(table.assume_in_transaction)}`);
  }
  if (table.excluded_paths !== undefined) {
    if (!isStringArray(table.excluded_paths) || table.excluded_paths.some((g) => g === '')) return fail('excluded_paths', 'excluded_paths must be an array of glob strings');
    config.exclude = table.excluded_paths;
    notes.push(`excluded_paths: ${table.excluded_paths.join(', ')} (relative to ${SQUAWK_CONFIG_FILE_NAME}'s folder)`);
  }
  for (const key of Object.keys(table)) {
    if (NOT_USED.has(key)) notes.push(`${key}: not used by Drydock${key === 'included_rules' ? ' (its rules are on unless turned off)' : ''}`);
    else if (!USED.has(key)) notes.push(`${key}: no Squawk setting Drydock knows (ignored)`);
  }
  return { config, notes };
}
