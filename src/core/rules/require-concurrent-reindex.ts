// REINDEX without CONCURRENTLY blocks writes to the table and every read that would use the
// index, for as long as the rebuild takes.
import type { Rule } from './rule';
import { effectsSentence, statementTokens, whereItRuns } from './statementFacts';
import { outsideTransactionFix } from './fixes/noTransactionFix';
import { insertText } from './fixes/edits';

const PER_OBJECT = new Set(['REINDEX_OBJECT_INDEX', 'REINDEX_OBJECT_TABLE']);

export const requireConcurrentReindex: Rule = {
  id: 'require-concurrent-reindex',
  defaultSeverity: 'error',
  category: 'safety',
  claims: 'lock',
  summary: 'REINDEX without CONCURRENTLY blocks writes, and reads that use the index, during the rebuild.',
  help: 'Use REINDEX (CONCURRENTLY) … (PostgreSQL 12 and later), outside a transaction.',
  check({ analysis, files, report }) {
    for (const at of analysis.statements) {
      if (!('ReindexStmt' in at.node) || !PER_OBJECT.has(at.node.ReindexStmt.kind ?? '')) continue;
      if ((at.node.ReindexStmt.params ?? []).some((p) => 'DefElem' in p && p.DefElem.defname === 'concurrently')) continue;
      const name = at.node.ReindexStmt.relation?.relname ?? '';
      if (at.node.ReindexStmt.kind === 'REINDEX_OBJECT_TABLE' && analysis.isNewTable(name, at)) continue;
      const tokens = statementTokens(analysis, at);
      const kind = tokens?.text.findToken(at.node.ReindexStmt.kind === 'REINDEX_OBJECT_INDEX' ? 'INDEX' : 'TABLE') ?? -1;
      const edit = tokens && kind >= 0 && analysis.settings.pgVersion >= 12 ? insertText(analysis.file, tokens.base + tokens.text.tokens[kind]!.end, ' CONCURRENTLY') : null;
      const fix = edit ? outsideTransactionFix(analysis, at, 'Add CONCURRENTLY', [edit], files) : null;
      report(at.offsets, (analysis.settings.pgVersion >= 12 ? 'Use REINDEX … CONCURRENTLY: ' : 'Create a new index CONCURRENTLY, then drop the old one CONCURRENTLY: ')
        + `REINDEX without CONCURRENTLY${whereItRuns(at)}.${effectsSentence(at)} Writes wait for the whole rebuild, and so do reads that use the index.`
        + (analysis.settings.pgVersion >= 12 ? ' CONCURRENTLY builds a new index beside the old one and swaps them.' : ` PostgreSQL ${analysis.settings.pgVersion} has no REINDEX CONCURRENTLY.`),
      fix ? { fix } : {});
    }
  },
};
