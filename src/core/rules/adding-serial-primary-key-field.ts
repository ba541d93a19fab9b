// A primary key added to an existing table builds its unique index under ACCESS EXCLUSIVE (and a
// serial/identity column is also written into every row first).
import type { Rule } from './rule';
import { alterCommands, columnConstraints } from './alterTableCommands';
import { effectsSentence, whereItRuns } from './statementFacts';

export const addingSerialPrimaryKeyField: Rule = {
  id: 'adding-serial-primary-key-field',
  defaultSeverity: 'error',
  category: 'safety',
  claims: 'scan',
  summary: 'Adding a PRIMARY KEY to an existing table builds its index while reads and writes wait.',
  help: 'CREATE UNIQUE INDEX CONCURRENTLY on the key columns, then ALTER TABLE … ADD CONSTRAINT … PRIMARY KEY USING INDEX.',
  check({ analysis, report }) {
    for (const at of analysis.statements) {
      for (const { table, cmd, constraint } of alterCommands(at)) {
        const inline = cmd.subtype === 'AT_AddColumn' && columnConstraints(cmd).some((c) => c.contype === 'CONSTR_PRIMARY');
        const added = constraint?.contype === 'CONSTR_PRIMARY' && !constraint.indexname;
        if ((!inline && !added) || analysis.isNewTable(table, at)) continue;
        report(at.offsets, `Build the key's unique index CONCURRENTLY, then attach it: ${inline ? 'ADD COLUMN … PRIMARY KEY' : 'ADD PRIMARY KEY'} on ${table}${whereItRuns(at)}.${effectsSentence(at)} The primary key's index is built while every read and write of ${table} waits.`
          + ' CREATE UNIQUE INDEX CONCURRENTLY on the key columns (after adding and filling the column), then ADD CONSTRAINT … PRIMARY KEY USING INDEX.');
      }
    }
  },
};
