// ADD COLUMN … NOT NULL without a default fails on any table that already has rows (SQLSTATE
// 23502): the new column would be NULL in each of them.
import type { AnalysedStatement, FileAnalysis } from '../analyse/fileAnalysis';
import type { Fix } from '../model/findings';
import type { AlterTableCmd } from '../parse/pgTypes';
import type { Rule } from './rule';
import { alterCommands, columnConstraints } from './alterTableCommands';
import { insertText } from './fixes/edits';
import { whereItRuns } from './statementFacts';

// The constant every existing row can take, by the type's internal name: a constant DEFAULT adds
// the column without a rewrite since PostgreSQL 11. Types with no neutral value (dates, uuids, enums)
// get no fix: a guessed value would be data the author never chose.
const NEUTRAL_DEFAULTS: Readonly<Record<string, string>> = {
  int2: '0', int4: '0', int8: '0', numeric: '0', float4: '0', float8: '0',
  text: "''", varchar: "''", bpchar: "''", citext: "''", bool: 'false', jsonb: "'{}'", json: "'{}'",
};

/**
 * "Add DEFAULT <value>" for a lone ADD COLUMN … NOT NULL of a type with a neutral value, and no
 * other constraint (a UNIQUE or CHECK column would get duplicates or violations from one value).
 */
function defaultFix(analysis: FileAnalysis, at: AnalysedStatement, cmd: AlterTableCmd, commands: number): Fix | null {
  const def = cmd.def && 'ColumnDef' in cmd.def ? cmd.def.ColumnDef : null;
  const constraints = columnConstraints(cmd);
  if (!def || commands !== 1 || at.nested !== null || def.typeName?.arrayBounds?.length) return null;
  if (constraints.length !== 1 || constraints[0]!.contype !== 'CONSTR_NOTNULL') return null;
  const name = def.typeName?.names?.map((n) => ('String' in n ? n.String.sval : '')).pop() ?? '';
  const value = NEUTRAL_DEFAULTS[name];
  if (value === undefined) return null;
  return {
    title: `Add DEFAULT ${value} (the existing rows get ${value})`, edits: [insertText(analysis.file, at.offsets.end, ` DEFAULT ${value}`)],
    reviewFirst: `the existing rows get ${value}, and later inserts that leave the column out too`,
  };
}

export const addingRequiredField: Rule = {
  id: 'adding-required-field',
  defaultSeverity: 'warning',
  category: 'safety',
  summary: 'ADD COLUMN … NOT NULL without a default fails on a table that has rows.',
  help: 'Give the column a constant DEFAULT, or add it nullable, backfill it, then SET NOT NULL safely (see adding-not-nullable-field).',
  check({ analysis, report }) {
    for (const at of analysis.statements) {
      const commands = alterCommands(at);
      for (const { table, cmd } of commands) {
        if (cmd.subtype !== 'AT_AddColumn' || analysis.isNewTable(table, at)) continue;
        const constraints = columnConstraints(cmd);
        const required = constraints.some((c) => c.contype === 'CONSTR_NOTNULL' || c.contype === 'CONSTR_PRIMARY');
        const filled = constraints.some((c) => c.contype === 'CONSTR_DEFAULT' || c.contype === 'CONSTR_GENERATED' || c.contype === 'CONSTR_IDENTITY');
        const type = cmd.def && 'ColumnDef' in cmd.def ? cmd.def.ColumnDef.typeName?.names?.map((n) => ('String' in n ? n.String.sval : '')).pop() ?? '' : '';
        if (!required || filled || /serial/.test(type)) continue;
        const fix = defaultFix(analysis, at, cmd, commands.length);
        // The action first: the Problems panel shows a message's first line, cut at its width.
        report(at.offsets, `Give the new column a DEFAULT, or add it nullable and backfill it: ADD COLUMN … NOT NULL fails (SQLSTATE 23502) if ${table} has any row${whereItRuns(at)}.`
          + ' A constant DEFAULT needs no rewrite since PostgreSQL 11; otherwise add the column nullable, backfill it, then SET NOT NULL.', fix ? { fix } : {});
      }
    }
  },
};
