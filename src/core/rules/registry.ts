// Every rule Drydock has, in one table: the only registration. The order is the order in which
// findings at the same place are listed: whether the file can run, then what it does to a live
// database, then conventions; unused-ignore last (checkFiles reports it after the others ran).
import { addingFieldWithDefault } from './adding-field-with-default';
import { addingForeignKeyConstraint } from './adding-foreign-key-constraint';
import { addingNotNullableField } from './adding-not-nullable-field';
import { addingRequiredField } from './adding-required-field';
import { addingSerialPrimaryKeyField } from './adding-serial-primary-key-field';
import { banCharField } from './ban-char-field';
import { banConcurrentIndexCreationInTransaction } from './ban-concurrent-index-creation-in-transaction';
import { banDropColumn } from './ban-drop-column';
import { banDropDatabase } from './ban-drop-database';
import { banDropTable } from './ban-drop-table';
import { banTruncateCascade } from './ban-truncate-cascade';
import { banUncommittedTransaction } from './ban-uncommitted-transaction';
import { binaryFile } from './binary-file';
import { changingColumnType } from './changing-column-type';
import { constraintMissingNotValid } from './constraint-missing-not-valid';
import { copyFromStdin } from './copy-from-stdin';
import { disallowedUniqueConstraint } from './disallowed-unique-constraint';
import { emptyFile } from './empty-file';
import { ginOnNonJsonb } from './gin-on-non-jsonb';
import { internalError } from './internal-error';
import { identifierTooLong } from './identifier-too-long';
import { lockHeldAcrossStatements } from './lock-held-across-statements';
import { missingForeignKeyIndex } from './missing-foreign-key-index';
import { needsNoTransaction } from './needs-no-transaction';
import { noTransactionWithOthers } from './no-transaction-with-others';
import { preferBigintOverInt } from './prefer-bigint-over-int';
import { preferBigintOverSmallint } from './prefer-bigint-over-smallint';
import { preferIdentity } from './prefer-identity';
import { preferRobustStmts } from './prefer-robust-stmts';
import { preferTextField } from './prefer-text-field';
import { preferTimestampTz } from './prefer-timestamp-tz';
import { psqlMetaCommand } from './psql-meta-command';
import { renamingColumn } from './renaming-column';
import { renamingTable } from './renaming-table';
import { requireConcurrentIndexCreation } from './require-concurrent-index-creation';
import { requireConcurrentIndexDeletion } from './require-concurrent-index-deletion';
import { requireConcurrentPartitionDetach } from './require-concurrent-partition-detach';
import { requireConcurrentReindex } from './require-concurrent-reindex';
import { requireEnumValueOrdering } from './require-enum-value-ordering';
import { requireLockTimeout } from './require-lock-timeout';
import { requireStatementTimeout } from './require-statement-timeout';
import { syntaxError } from './syntax-error';
import { transactionControl } from './transaction-control';
import { transactionNesting } from './transaction-nesting';
import { unnamedIndex } from './unnamed-index';
import { unusedIgnore } from './unused-ignore';
import { updateWithoutWhere } from './update-without-where';
import type { Rule } from './rule';

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
  requireConcurrentIndexCreation,
  requireConcurrentIndexDeletion,
  requireConcurrentReindex,
  requireConcurrentPartitionDetach,
  banConcurrentIndexCreationInTransaction,
  constraintMissingNotValid,
  addingForeignKeyConstraint,
  disallowedUniqueConstraint,
  addingFieldWithDefault,
  addingRequiredField,
  addingNotNullableField,
  changingColumnType,
  addingSerialPrimaryKeyField,
  lockHeldAcrossStatements,
  updateWithoutWhere,
  requireLockTimeout,
  requireStatementTimeout,
  renamingColumn,
  renamingTable,
  banDropColumn,
  banDropTable,
  banDropDatabase,
  banTruncateCascade,
  transactionNesting,
  banUncommittedTransaction,
  missingForeignKeyIndex,
  ginOnNonJsonb,
  unnamedIndex,
  preferRobustStmts,
  banCharField,
  preferTextField,
  preferBigintOverInt,
  preferBigintOverSmallint,
  preferIdentity,
  preferTimestampTz,
  requireEnumValueOrdering,
  identifierTooLong,
  unusedIgnore,
  internalError,
];

const BY_ID = new Map(RULES.map((rule) => [rule.id, rule]));

/** The rule with this id, or undefined. */
export function ruleById(id: string): Rule | undefined {
  return BY_ID.get(id);
}
