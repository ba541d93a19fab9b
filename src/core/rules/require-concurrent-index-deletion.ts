// DROP INDEX without CONCURRENTLY takes ACCESS EXCLUSIVE on the index's table: reads and writes
// wait, and the DROP itself waits behind every running query on the table.
import { qualifiedListName } from '../analyse/relationNames';
import { outsideTransactionFix } from './fixes/noTransactionFix';
import { insertText } from './fixes/edits';
import type { Rule } from './rule';
import { afterLeadingKeywords, effectsSentence, whereItRuns } from './statementFacts';

export const requireConcurrentIndexDeletion: Rule = {
  id: 'require-concurrent-index-deletion',
  defaultSeverity: 'error',
  category: 'safety',
  claims: 'lock',
  summary: 'DROP INDEX without CONCURRENTLY locks the table against reads and writes.',
  help: 'Use DROP INDEX CONCURRENTLY, in a migration that runs outside a transaction.',
  check({ analysis, report }) {
    for (const at of analysis.statements) {
      if (!('DropStmt' in at.node) || at.node.DropStmt.removeType !== 'OBJECT_INDEX' || at.node.DropStmt.concurrent) continue;
      const names = (at.node.DropStmt.objects ?? []).map((o) => ('List' in o ? qualifiedListName(o.List.items) : ''));
      // An index on a table created earlier in this file (or this run) blocks nobody.
      if (names.every((name) => analysis.isOnNewTable(name, at))) continue;
      const after = at.nested === null && names.length === 1 ? afterLeadingKeywords(analysis, at, /^DROP\s+INDEX\b/i, 'INDEX') : null;
      const edit = after !== null ? insertText(analysis.file, after, ' CONCURRENTLY') : null;
      const fix = edit && names.length === 1 ? outsideTransactionFix(analysis, at, 'Add CONCURRENTLY', [edit]) : null;
      report(at.offsets, `DROP INDEX without CONCURRENTLY${whereItRuns(at)}.${effectsSentence(at)} It takes ACCESS EXCLUSIVE on the index's table too, so reads and writes of that table wait.`
        + ' Use DROP INDEX CONCURRENTLY (one index per statement), which waits for running queries instead of blocking them.', fix ? { fix } : {});
    }
  },
};
