// ADD COLUMN … NOT NULL without a default fails on any table that already has rows (SQLSTATE
// 23502): the new column would be NULL in each of them.
import type { Rule } from './rule';
import { alterCommands, columnConstraints } from './alterTableCommands';
import { whereItRuns } from './statementFacts';

export const addingRequiredField: Rule = {
  id: 'adding-required-field',
  defaultSeverity: 'warning',
  category: 'safety',
  summary: 'ADD COLUMN … NOT NULL without a default fails on a table that has rows.',
  help: 'Give the column a constant DEFAULT, or add it nullable, backfill it, then SET NOT NULL safely (see adding-not-nullable-field).',
  check({ analysis, report }) {
    for (const at of analysis.statements) {
      for (const { table, cmd } of alterCommands(at)) {
        if (cmd.subtype !== 'AT_AddColumn' || analysis.isNewTable(table, at)) continue;
        const constraints = columnConstraints(cmd);
        const required = constraints.some((c) => c.contype === 'CONSTR_NOTNULL' || c.contype === 'CONSTR_PRIMARY');
        const filled = constraints.some((c) => c.contype === 'CONSTR_DEFAULT' || c.contype === 'CONSTR_GENERATED' || c.contype === 'CONSTR_IDENTITY');
        const type = cmd.def && 'ColumnDef' in cmd.def ? cmd.def.ColumnDef.typeName?.names?.map((n) => ('String' in n ? n.String.sval : '')).pop() ?? '' : '';
        if (!required || filled || /serial/.test(type)) continue;
        report(at.offsets, `ADD COLUMN … NOT NULL without a DEFAULT on ${table}${whereItRuns(at)}: if ${table} has any row, the statement fails (SQLSTATE 23502), because the new column would be NULL there.`
          + ' Give it a constant DEFAULT (no rewrite since PostgreSQL 11), or add it nullable, backfill, and then set NOT NULL.');
      }
    }
  },
};
