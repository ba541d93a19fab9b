// RENAME TABLE is instant, but every running client that still uses the old name fails from then on.
import { relationName } from '../analyse/relationNames';
import type { Rule } from './rule';
import { effectsSentence, whereItRuns } from './statementFacts';

export const renamingTable: Rule = {
  id: 'renaming-table',
  defaultSeverity: 'warning',
  category: 'safety',
  summary: 'Renaming a table breaks every running client that still uses the old name.',
  help: 'Rename, then create a view with the old name for the clients still using it; drop the view once they are redeployed.',
  check({ analysis, report }) {
    for (const at of analysis.statements) {
      if (!('RenameStmt' in at.node) || at.node.RenameStmt.renameType !== 'OBJECT_TABLE') continue;
      const table = relationName(at.node.RenameStmt.relation);
      if (analysis.isNewTable(table, at)) continue;
      report(at.offsets, `Keep a view named ${table} until clients are redeployed: RENAME ${table} TO ${at.node.RenameStmt.newname ?? ''}${whereItRuns(at)}.${effectsSentence(at)}`
        + ` Queries of running clients that use ${table} fail from the moment it commits.`);
    }
  },
};
