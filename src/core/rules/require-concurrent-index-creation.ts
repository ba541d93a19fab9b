// CREATE INDEX without CONCURRENTLY holds SHARE on the table for the whole build: every INSERT,
// UPDATE and DELETE waits until the index is built.
import { relationName } from '../analyse/relationNames';
import { outsideTransactionFix } from './fixes/noTransactionFix';
import { insertText } from './fixes/edits';
import type { Rule } from './rule';
import { afterLeadingKeywords, blocksExistingTable, effectsSentence, whereItRuns } from './statementFacts';

export const requireConcurrentIndexCreation: Rule = {
  id: 'require-concurrent-index-creation',
  defaultSeverity: 'error',
  category: 'safety',
  claims: 'lock',
  summary: 'CREATE INDEX without CONCURRENTLY on an existing table blocks its writes for the whole build.',
  help: 'Use CREATE INDEX CONCURRENTLY, in a migration that runs outside a transaction.',
  check({ analysis, files, report }) {
    for (const at of analysis.statements) {
      if (!('IndexStmt' in at.node)) continue;
      const stmt = at.node.IndexStmt;
      // ON ONLY a partitioned table creates an empty, invalid parent index: nothing to build.
      if (stmt.concurrent || stmt.relation?.inh !== true) continue;
      const table = relationName(stmt.relation);
      if (!blocksExistingTable(analysis, at, table)) continue;
      const after = at.nested === null ? afterLeadingKeywords(analysis, at, /^CREATE\s+(UNIQUE\s+)?INDEX\b/i, 'INDEX') : null;
      // A CONCURRENTLY build that fails leaves an invalid index behind, so the retry needs IF NOT
      // EXISTS (prefer-robust-stmts asks for it, and `drydock new` writes it); an unnamed index has no name to test.
      const robust = stmt.idxname && !stmt.if_not_exists ? ' IF NOT EXISTS' : '';
      const edit = after !== null ? insertText(analysis.file, after, ` CONCURRENTLY${robust}`) : null;
      const fix = edit ? outsideTransactionFix(analysis, at, 'Add CONCURRENTLY', [edit], files) : null;
      // The action first: the Problems panel shows a message's first line, cut at its width.
      report(at.offsets, `Use CREATE INDEX CONCURRENTLY: writes to ${table} wait for this whole build${whereItRuns(at)}.${effectsSentence(at)}`
        + (at.nested ? ' A DO block always runs in a transaction, so build the index in a migration of its own.' : ' CONCURRENTLY takes SHARE UPDATE EXCLUSIVE, which lets writes continue.'),
      fix ? { fix } : {});
    }
  },
};
