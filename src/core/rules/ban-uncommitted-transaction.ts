// A BEGIN with no COMMIT after it leaves the transaction open when the file ends: what the
// migration did is committed or rolled back by whatever the tool does next, and its locks stay held.
import type { Rule } from './rule';

export const banUncommittedTransaction: Rule = {
  id: 'ban-uncommitted-transaction',
  defaultSeverity: 'warning',
  category: 'safety',
  summary: 'BEGIN without a COMMIT later in the file: the transaction is left open.',
  help: 'End the transaction the file opens with COMMIT (or remove the BEGIN).',
  check({ analysis, report }) {
    let open: (typeof analysis.file.statements)[number] | null = null;
    for (const s of analysis.file.statements) {
      if (s.transactionControl === 'begin') open ??= s;
      else if (s.transactionControl === 'commit' || s.transactionControl === 'rollback') open = null;
    }
    if (open) {
      report(open.offsets, 'Add COMMIT at the end: this BEGIN has no COMMIT later in the file. The transaction is still open when the file ends, holding its locks,'
        + ' and whether the work is committed depends on what runs next on the connection.');
    }
  },
};
