// DROP COLUMN loses the column's data for good, and clients that still select it fail.
import type { Rule } from './rule';
import { alterCommands } from './alterTableCommands';
import { effectsSentence, whereItRuns } from './statementFacts';

export const banDropColumn: Rule = {
  id: 'ban-drop-column',
  defaultSeverity: 'warning',
  category: 'safety',
  summary: 'DROP COLUMN loses data and breaks clients that still use the column.',
  help: 'Stop reading and writing the column in every deployed client first; drop it in a later release.',
  check({ analysis, report }) {
    for (const at of analysis.statements) {
      for (const { table, cmd } of alterCommands(at)) {
        if (cmd.subtype !== 'AT_DropColumn' || analysis.isNewTable(table, at)) continue;
        report(at.offsets, `Drop it in a release after no deployed code uses it: DROP COLUMN ${cmd.name ?? ''} on ${table}${whereItRuns(at)}.${effectsSentence(at)} Its data is gone for good, and running clients that still use it fail.`);
      }
    }
  },
};
