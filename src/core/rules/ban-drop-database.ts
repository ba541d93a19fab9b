// DROP DATABASE in a migration destroys everything in it; it has no place in a schema change.
import type { Rule } from './rule';

export const banDropDatabase: Rule = {
  id: 'ban-drop-database',
  defaultSeverity: 'error',
  category: 'safety',
  summary: 'DROP DATABASE destroys a whole database.',
  help: 'Drop databases by hand, deliberately, never from a migration.',
  check({ analysis, report }) {
    for (const at of analysis.statements) {
      if (!('DropdbStmt' in at.node)) continue;
      report(at.offsets, `Remove DROP DATABASE ${at.node.DropdbStmt.dbname ?? ''}: it has no place in a migration. Every table and row in the database is destroyed, and every session connected to it ends.`);
    }
  },
};
