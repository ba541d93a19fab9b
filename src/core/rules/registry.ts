// Every rule Drydock has, in one table: the only registration. The order is the order in which
// findings at the same place are listed.
import { binaryFile } from './binary-file';
import { copyFromStdin } from './copy-from-stdin';
import { emptyFile } from './empty-file';
import { needsNoTransaction } from './needs-no-transaction';
import { noTransactionWithOthers } from './no-transaction-with-others';
import { psqlMetaCommand } from './psql-meta-command';
import type { Rule } from './rule';
import { syntaxError } from './syntax-error';
import { transactionControl } from './transaction-control';
import { unnamedIndex } from './unnamed-index';

/** The rule registry. */
export const RULES: readonly Rule[] = [
  binaryFile,
  psqlMetaCommand,
  syntaxError,
  emptyFile,
  transactionControl,
  copyFromStdin,
  needsNoTransaction,
  noTransactionWithOthers,
  unnamedIndex,
];

const BY_ID = new Map(RULES.map((rule) => [rule.id, rule]));

/** The rule with this id, or undefined. */
export function ruleById(id: string): Rule | undefined {
  return BY_ID.get(id);
}
