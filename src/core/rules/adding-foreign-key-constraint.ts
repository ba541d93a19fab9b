// A foreign key added to an existing table takes SHARE ROW EXCLUSIVE on it and on the referenced
// table: writes to both wait while every existing row is checked. One written on a new column
// (ADD COLUMN … REFERENCES) is checked only when the statement also gives a new column a DEFAULT
// or adds a table-level foreign key; otherwise every row holds NULL there and nothing is read.
import type { Rule } from './rule';
import { alterCommands, columnConstraints } from './alterTableCommands';
import { relationName } from '../analyse/relationNames';
import { effectsSentence, whereItRuns } from './statementFacts';
import { inlineForeignKeysSkipValidation } from '../analyse/predictEffects';

export const addingForeignKeyConstraint: Rule = {
  id: 'adding-foreign-key-constraint',
  defaultSeverity: 'error',
  category: 'safety',
  claims: 'scan',
  summary: 'A foreign key added to an existing table blocks writes to it and to the referenced table while it validates.',
  help: 'Add the foreign key NOT VALID, then VALIDATE CONSTRAINT in a later transaction; for a new column, add the column first, then the constraint.',
  check({ analysis, report }) {
    for (const at of analysis.statements) {
      const commands = alterCommands(at);
      // New columns without a DEFAULT hold NULL in every row: their inline foreign keys are valid unchecked.
      const inlineUnchecked = inlineForeignKeysSkipValidation(commands.map((c) => c.cmd));
      for (const { table, cmd, constraint } of commands) {
        const inline = cmd.subtype === 'AT_AddColumn' && !inlineUnchecked ? columnConstraints(cmd).find((c) => c.contype === 'CONSTR_FOREIGN') : undefined;
        const fk = inline ?? (constraint?.contype === 'CONSTR_FOREIGN' ? constraint : undefined);
        if (!fk || fk.skip_validation || analysis.isNewTable(table, at)) continue;
        const referenced = relationName(fk.pktable);
        report(at.offsets, `${inline ? 'ADD COLUMN … REFERENCES' : 'ADD FOREIGN KEY'} on ${table}${whereItRuns(at)}.${effectsSentence(at)} Writes to ${table} and ${referenced} wait while existing rows are checked against ${referenced}.`
          + (inline ? ' Add the column without REFERENCES, then ADD CONSTRAINT … FOREIGN KEY … NOT VALID and VALIDATE CONSTRAINT in a later transaction.'
            : ' Add it NOT VALID, then VALIDATE CONSTRAINT in a later transaction (SHARE UPDATE EXCLUSIVE: writes go on).'));
      }
    }
  },
};
