// UPDATE (or DELETE) without WHERE in a schema migration touches every row in one transaction:
// every row stays locked against other writers until it commits, the table bloats by a full copy,
// and on a big table the migration runs for minutes. Backfills belong in batches.
import { relationName } from '../analyse/relationNames';
import type { Rule } from './rule';
import { whereItRuns } from './statementFacts';

export const updateWithoutWhere: Rule = {
  id: 'update-without-where',
  defaultSeverity: 'error',
  category: 'safety',
  summary: 'UPDATE or DELETE without WHERE on an existing table: every row is locked until the migration commits.',
  help: 'Backfill in batches (UPDATE … WHERE id BETWEEN … in separate transactions), outside the schema migration.',
  check({ analysis, report }) {
    for (const at of analysis.statements) {
      const n = at.node;
      const target = 'UpdateStmt' in n && !n.UpdateStmt.whereClause ? { verb: 'UPDATE', table: relationName(n.UpdateStmt.relation) }
        : 'DeleteStmt' in n && !n.DeleteStmt.whereClause ? { verb: 'DELETE', table: relationName(n.DeleteStmt.relation) } : null;
      if (!target || analysis.isNewTable(target.table, at)) continue;
      report(at.offsets, (target.verb === 'UPDATE' ? 'Backfill in batches, outside the schema migration: ' : 'Use TRUNCATE to empty the table, or delete in batches: ')
        + `${target.verb} without WHERE on ${target.table}${whereItRuns(at)} ${target.verb === 'UPDATE' ? 'writes a new version of every row' : 'deletes every row'} in one transaction,`
        + ` and each row stays locked against other UPDATEs and DELETEs until the migration commits (ROW EXCLUSIVE on ${target.table}, row locks on all of it).`
        + (target.verb === 'UPDATE' ? ' A bounded WHERE per transaction keeps each batch short.' : ''));
    }
  },
};
