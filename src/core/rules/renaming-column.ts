// RENAME COLUMN is instant, but every running application instance that still uses the old name
// fails from that moment until it is redeployed.
import { relationName } from '../analyse/relationNames';
import type { Rule } from './rule';
import { effectsSentence, whereItRuns } from './statementFacts';

export const renamingColumn: Rule = {
  id: 'renaming-column',
  defaultSeverity: 'warning',
  category: 'safety',
  summary: 'RENAME COLUMN breaks every running client that still uses the old name.',
  help: 'Add the new column, write to both, backfill, move readers, then drop the old column (or expose the new name through a view first).',
  check({ analysis, report }) {
    for (const at of analysis.statements) {
      if (!('RenameStmt' in at.node) || at.node.RenameStmt.renameType !== 'OBJECT_COLUMN') continue;
      const table = relationName(at.node.RenameStmt.relation);
      if (analysis.isNewTable(table, at)) continue;
      report(at.offsets, `Add the new column and move clients to it in steps, then drop the old one: RENAME COLUMN ${at.node.RenameStmt.subname ?? ''} TO ${at.node.RenameStmt.newname ?? ''} on ${table}${whereItRuns(at)}.${effectsSentence(at)}`
        + ' Queries of running clients that use the old name fail from the moment it commits.');
    }
  },
};
