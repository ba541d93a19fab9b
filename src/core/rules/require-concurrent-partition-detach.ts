// DETACH PARTITION without CONCURRENTLY takes ACCESS EXCLUSIVE on the partitioned table: every
// read and write of any partition waits.
import { relationName } from '../analyse/relationNames';
import type { Rule } from './rule';
import { effectsSentence, whereItRuns } from './statementFacts';

export const requireConcurrentPartitionDetach: Rule = {
  id: 'require-concurrent-partition-detach',
  defaultSeverity: 'error',
  category: 'safety',
  claims: 'lock',
  summary: 'DETACH PARTITION without CONCURRENTLY locks the whole partitioned table against reads and writes.',
  help: 'Use ALTER TABLE … DETACH PARTITION … CONCURRENTLY (PostgreSQL 14 and later), outside a transaction.',
  check({ analysis, report }) {
    for (const at of analysis.statements) {
      if (!('AlterTableStmt' in at.node)) continue;
      const table = relationName(at.node.AlterTableStmt.relation);
      const detach = (at.node.AlterTableStmt.cmds ?? []).some((c) => 'AlterTableCmd' in c && c.AlterTableCmd.subtype === 'AT_DetachPartition'
        && !(c.AlterTableCmd.def && 'PartitionCmd' in c.AlterTableCmd.def && c.AlterTableCmd.def.PartitionCmd.concurrent));
      if (!detach || analysis.isNewTable(table, at)) continue;
      report(at.offsets, (analysis.settings.pgVersion >= 14 ? 'Use DETACH PARTITION … CONCURRENTLY: ' : 'Run it at a quiet time, with a short lock_timeout: ')
        + `DETACH PARTITION without CONCURRENTLY${whereItRuns(at)}.${effectsSentence(at)}`
        + (analysis.settings.pgVersion >= 14 ? ' CONCURRENTLY takes SHARE UPDATE EXCLUSIVE and waits for running queries instead.'
          : ` PostgreSQL ${analysis.settings.pgVersion} cannot detach concurrently (14 and later can).`));
    }
  },
};
