// DROP INDEX without CONCURRENTLY takes ACCESS EXCLUSIVE on the index's table: reads and writes
// wait, and the DROP itself waits behind every running query on the table.
import { describeLock, lockedTable } from '../analyse/describeEffects';
import { outsideTransactionFix } from './fixes/noTransactionFix';
import { insertText } from './fixes/edits';
import type { Rule } from './rule';
import { afterLeadingKeywords, blocksExistingTable, whereItRuns } from './statementFacts';

export const requireConcurrentIndexDeletion: Rule = {
  id: 'require-concurrent-index-deletion',
  defaultSeverity: 'error',
  category: 'safety',
  claims: 'lock',
  summary: 'DROP INDEX without CONCURRENTLY locks the table against reads and writes.',
  help: 'Use DROP INDEX CONCURRENTLY, in a migration that runs outside a transaction.',
  check({ analysis, files, report }) {
    for (const at of analysis.statements) {
      if (!('DropStmt' in at.node) || at.node.DropStmt.removeType !== 'OBJECT_INDEX' || at.node.DropStmt.concurrent) continue;
      // The lock is on each index's table (or on the index, when the files do not say its table):
      // an index this run built on a table it created blocks nobody.
      const locks = at.effects.locks.filter((l) => blocksExistingTable(analysis, at, l.relation));
      if (locks.length === 0) continue;
      const single = (at.node.DropStmt.objects ?? []).length === 1;
      const after = at.nested === null && single ? afterLeadingKeywords(analysis, at, /^DROP\s+INDEX\b/i, 'INDEX') : null;
      const edit = after !== null ? insertText(analysis.file, after, ' CONCURRENTLY') : null;
      const fix = edit ? outsideTransactionFix(analysis, at, 'Add CONCURRENTLY', [edit], files) : null;
      report(at.offsets, `Use DROP INDEX CONCURRENTLY (one index per statement)${whereItRuns(at)}: it waits for running queries instead of blocking them. This takes ${locks.map(describeLock).join(' and ')}:`
        + ` every read and write of ${locks.map(lockedTable).join(' and ')} waits until the transaction ends, and the drop itself first waits for every running query there.`, fix ? { fix } : {});
    }
  },
};
