// A CREATE INDEX CONCURRENTLY that fails outside a transaction leaves an INVALID index behind,
// which the next attempt would skip (IF NOT EXISTS) or trip over: say so.
import { relationSql } from '../../sql/quoting';
import type { ProbeFactory } from './probe';

export const leftoverIndexesProbe: ProbeFactory = ({ session, report: run }) => (run.transactional ? null : {
  name: 'leftover-indexes',
  // It asks only after a failure.
  quietFor: () => true,
  after: async ({ statement }, outcome) => {
    if (!outcome.error || !outcome.sessionUsable) return;
    const node = statement.node;
    if (!('IndexStmt' in node) || !node.IndexStmt.concurrent || !node.IndexStmt.idxname) return;
    const result = await session.query(
      'SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE NOT i.indisvalid AND i.indexrelid = to_regclass($1)',
      [relationSql(node.IndexStmt.relation?.schemaname ?? null, node.IndexStmt.idxname)]);
    for (const row of result.rows) {
      run.leftovers.push(`${String(row.relname)}: INVALID index left by the failed CREATE INDEX CONCURRENTLY; DROP INDEX CONCURRENTLY it before retrying`);
    }
  },
});
