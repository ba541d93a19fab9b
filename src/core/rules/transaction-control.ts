// Drydock owns the transaction of every run: a file may hold BEGIN … COMMIT blocks (they join
// Drydock's own transaction), but never end or replace the transaction otherwise.
import { describeNoTransaction } from '../parse/directives';
import { transactionModesOf } from '../parse/transactionFacts';
import type { Rule } from './rule';

export const transactionControl: Rule = {
  id: 'transaction-control',
  defaultSeverity: 'error',
  category: 'runnability',
  summary: 'COMMIT, ROLLBACK, BEGIN or PREPARE TRANSACTION inside the file would end the transaction Drydock runs it in (or set its modes).',
  help: 'Remove the statement; a BEGIN … COMMIT block is fine, and a file that must run outside a transaction uses its tool\'s no-transaction directive.',
  check({ file, report }) {
    const wrapper = file.statements.find((s) => s.role === 'wrapper');
    if (wrapper && file.noTransaction) {
      report(wrapper.offsets, `Remove BEGIN … COMMIT, or let the file run in a transaction: it asks to run outside a transaction (${describeNoTransaction(file.noTransaction)}) but wraps itself in BEGIN … COMMIT.`);
    }
    for (const s of file.statements) {
      if (s.role === 'wrapper') continue;
      const modes = transactionModesOf(s.node);
      if (modes.length > 0) {
        report(s.offsets, `Remove the transaction modes (a plain BEGIN … COMMIT block is fine): ${s.kind === 'SET' ? 'SET TRANSACTION' : s.kind} sets the transaction's ${modes.join(' and ')}.`
          + ' Drydock runs the files in one transaction of its own, whose modes a file cannot choose, so it cannot run this as PostgreSQL would, and nothing runs.');
        continue;
      }
      if (s.transactionControl === null || s.transactionControl === 'savepoint') continue;
      report(s.offsets, `Remove this ${s.kind} (a BEGIN … COMMIT block is fine): it would end or replace the transaction Drydock runs the file in, so nothing runs.`
        + ' A dry-run must never commit, and an apply must be all-or-nothing.');
    }
  },
};
