// A foreign key added to an existing table takes SHARE ROW EXCLUSIVE on it and on the referenced
// table: writes to both wait while every existing row is checked. One written on a new column
// (ADD COLUMN … REFERENCES) is checked only when that column gets a value (a DEFAULT, generated,
// identity); otherwise every row holds NULL there and nothing is read.
import type { Rule } from './rule';
import { alterCommands, columnConstraints } from './alterTableCommands';
import { relationName } from '../analyse/relationNames';
import { effectsSentence, whereItRuns } from './statementFacts';
import { newColumnForeignKeyUnchecked } from '../analyse/predictEffects';

export const addingForeignKeyConstraint: Rule = {
  id: 'adding-foreign-key-constraint',
  defaultSeverity: 'error',
  category: 'safety',
  claims: 'scan',
  summary: 'A foreign key added to an existing table blocks writes to it and to the referenced table while it validates.',
  help: 'Add the foreign key NOT VALID, then VALIDATE CONSTRAINT in a later transaction; for a new column, add the column first, then the constraint.',
  check({ analysis, report }) {
    for (const at of analysis.statements) {
      for (const { table, cmd, constraint } of alterCommands(at)) {
        // A new column without a DEFAULT holds NULL in every row: its foreign key is valid unchecked.
        const column = cmd.subtype === 'AT_AddColumn' && cmd.def && 'ColumnDef' in cmd.def ? cmd.def.ColumnDef : undefined;
        const inline = column && !newColumnForeignKeyUnchecked(column) ? columnConstraints(cmd).find((c) => c.contype === 'CONSTR_FOREIGN') : undefined;
        const fk = inline ?? (constraint?.contype === 'CONSTR_FOREIGN' ? constraint : undefined);
        if (!fk || fk.skip_validation || analysis.isNewTable(table, at)) continue;
        const referenced = relationName(fk.pktable);
        report(at.offsets, (inline ? 'Add the column without REFERENCES, then the foreign key NOT VALID: ' : 'Add the foreign key NOT VALID, then VALIDATE it later: ')
          + `${inline ? 'ADD COLUMN … REFERENCES' : 'ADD FOREIGN KEY'} on ${table}${whereItRuns(at)}.${effectsSentence(at)} Writes to ${table} and ${referenced} wait while existing rows are checked against ${referenced}.`
          + (inline ? ' ADD CONSTRAINT … FOREIGN KEY … NOT VALID, then VALIDATE CONSTRAINT in a later transaction (SHARE UPDATE EXCLUSIVE: writes go on).'
            : ' VALIDATE CONSTRAINT in a later transaction takes SHARE UPDATE EXCLUSIVE: writes go on.'));
      }
    }
  },
};
