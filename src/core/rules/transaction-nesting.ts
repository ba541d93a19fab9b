// A BEGIN inside a transaction is ignored with a warning, and its COMMIT then commits the outer
// transaction early: when the migration tool already wraps each file, the file must not.
import type { Rule } from './rule';

export const transactionNesting: Rule = {
  id: 'transaction-nesting',
  defaultSeverity: 'warning',
  category: 'safety',
  summary: 'BEGIN inside a transaction that is already open (the file\'s own, or the migration tool\'s).',
  help: 'Remove the inner BEGIN … COMMIT; with a tool that wraps each file (assumeInTransaction), the file needs none.',
  check({ analysis, report }) {
    const toolWraps = analysis.settings.assumeInTransaction === true && analysis.file.noTransaction === null;
    let open = false;
    for (const s of analysis.file.statements) {
      if (s.transactionControl === 'begin') {
        if (open || toolWraps) {
          report(s.offsets, `Remove the inner BEGIN … COMMIT: a transaction is already open here (${open ? 'the file\'s own BEGIN above' : 'the migration tool runs this file in a transaction'}).`
            + ' PostgreSQL only warns and carries on, and the matching COMMIT then commits the outer transaction early, so a later failure no longer rolls everything back.');
        }
        open = true;
      } else if (s.transactionControl === 'commit' || s.transactionControl === 'rollback') {
        open = false;
      }
    }
  },
};
