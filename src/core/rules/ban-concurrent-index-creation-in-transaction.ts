// CONCURRENTLY inside a transaction the file opens itself (or that the configured tool opens)
// fails with SQLSTATE 25001: the migration cannot run at all.
import { noTransactionConventionFor } from '../parse/toolConventions';
import type { Rule } from './rule';

export const banConcurrentIndexCreationInTransaction: Rule = {
  id: 'ban-concurrent-index-creation-in-transaction',
  defaultSeverity: 'error',
  category: 'safety',
  summary: 'CREATE INDEX CONCURRENTLY inside a transaction block fails (SQLSTATE 25001).',
  help: 'Remove the BEGIN … COMMIT around it and give the migration its tool\'s no-transaction directive, or move the statement to a migration of its own.',
  check({ analysis, files, report }) {
    const toolWraps = analysis.settings.assumeInTransaction === true && analysis.file.noTransaction === null;
    for (const at of analysis.statements) {
      if (at.nested !== null || !('IndexStmt' in at.node) || !at.node.IndexStmt.concurrent) continue;
      if (!at.inExplicitTransaction && !toolWraps) continue;
      const why = at.inExplicitTransaction ? 'inside the BEGIN … COMMIT of this file' : 'in a file the migration tool runs in a transaction (assumeInTransaction)';
      const convention = noTransactionConventionFor(analysis.file, files);
      report(at.offsets, `Run this outside a transaction: CREATE INDEX CONCURRENTLY ${why}, and PostgreSQL refuses it there (SQLSTATE 25001), so the migration fails.`
        + ` Remove the transaction (${convention ? convention.how : 'its tool\'s no-transaction directive, e.g. `-- drydock:no-transaction`'}), or move the statement to a migration of its own.`);
    }
  },
};
