// A no-transaction file is applied statement by statement and commits as it goes, so it cannot be
// part of an all-or-nothing apply of several files.
import type { Rule } from './rule';

export const noTransactionWithOthers: Rule = {
  id: 'no-transaction-with-others',
  defaultSeverity: 'error',
  category: 'runnability',
  summary: 'A no-transaction file cannot share an atomic apply with other files.',
  help: 'Apply the no-transaction file on its own, before or after the others.',
  when: 'applying',
  check({ file, files, mode, report }) {
    if (mode === null || !mode.executes || mode.simulatesOutsideTransaction || !file.noTransaction || files.length < 2) return;
    const first = file.statements.find((s) => s.outsideTransaction);
    if (first) report(first.offsets, 'Apply this file on its own: a file that runs outside a transaction cannot share an all-or-nothing apply with other files.');
  },
};
