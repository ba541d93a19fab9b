// Which statements touch the transaction itself, and which PostgreSQL refuses to run inside one.
// Drydock owns the transaction of every run, so a file may not end or replace it.
import type { Node } from './pgTypes';
import { transactionEndInDo } from './innerStatements';

/** How a transaction-control statement is treated. */
export type TransactionControl = 'begin' | 'commit' | 'rollback' | 'savepoint' | 'forbidden' | null;

const TRANSACTION_KINDS: Record<string, TransactionControl> = {
  TRANS_STMT_BEGIN: 'begin',
  TRANS_STMT_START: 'begin',
  TRANS_STMT_COMMIT: 'commit',
  TRANS_STMT_ROLLBACK: 'rollback',
  TRANS_STMT_SAVEPOINT: 'savepoint',
  TRANS_STMT_RELEASE: 'savepoint',
  TRANS_STMT_ROLLBACK_TO: 'savepoint',
  TRANS_STMT_PREPARE: 'forbidden',
  TRANS_STMT_COMMIT_PREPARED: 'forbidden',
  TRANS_STMT_ROLLBACK_PREPARED: 'forbidden',
};

/**
 * The transaction modes a statement sets for the transaction it runs in (`BEGIN READ ONLY`,
 * `START TRANSACTION ISOLATION LEVEL …`, `SET TRANSACTION …`), as written; empty when none. A run
 * holds its own transaction, whose modes a file cannot choose: such a statement cannot be run as
 * PostgreSQL would run it there.
 */
export function transactionModesOf(node: Node): string[] {
  const options = 'TransactionStmt' in node ? node.TransactionStmt.options
    : 'VariableSetStmt' in node && node.VariableSetStmt.name === 'TRANSACTION' ? node.VariableSetStmt.args : undefined;
  return (options ?? []).flatMap((o) => ('DefElem' in o && o.DefElem.defname ? [MODE_NAMES[o.DefElem.defname] ?? o.DefElem.defname] : []));
}

const MODE_NAMES: Readonly<Record<string, string>> = {
  transaction_isolation: 'isolation level',
  transaction_read_only: 'read-only or read-write mode',
  transaction_deferrable: 'deferrable mode',
};

/** The role a statement plays in transaction control, or null for ordinary statements. */
export function transactionControlOf(node: Node): TransactionControl {
  return 'TransactionStmt' in node ? TRANSACTION_KINDS[node.TransactionStmt.kind ?? ''] ?? 'forbidden' : null;
}

/** What a dry-run runs instead of a statement PostgreSQL refuses inside a transaction block. */
export interface OutsideTransaction {
  /** Why the statement cannot run in a transaction. */
  reason: string;
  /** True when the same statement without CONCURRENTLY is an equivalent that runs in a transaction; false when nothing equivalent can run. */
  withoutConcurrently: boolean;
}

/** True when the option is given and on, as PostgreSQL reads a boolean option: bare, or true/on/1. */
function optionOn(options: Node[] | undefined, name: string): boolean {
  return (options ?? []).some((o) => {
    if (!('DefElem' in o) || o.DefElem.defname !== name) return false;
    const arg = o.DefElem.arg;
    if (!arg) return true;
    if ('String' in arg) return !['false', 'off', '0', 'no'].includes((arg.String.sval ?? '').toLowerCase());
    if ('Integer' in arg) return (arg.Integer.ival ?? 0) !== 0;
    if ('Boolean' in arg) return arg.Boolean.boolval === true;
    return true;
  });
}

type Rule = (node: Node) => OutsideTransaction | null;

const RULES: Rule[] = [
  (n) => ('IndexStmt' in n && n.IndexStmt.concurrent
    ? { reason: 'CREATE INDEX CONCURRENTLY cannot run inside a transaction block', withoutConcurrently: true } : null),
  (n) => ('DropStmt' in n && n.DropStmt.concurrent
    ? { reason: 'DROP INDEX CONCURRENTLY cannot run inside a transaction block', withoutConcurrently: true } : null),
  (n) => ('ReindexStmt' in n && optionOn(n.ReindexStmt.params, 'concurrently')
    ? { reason: 'REINDEX CONCURRENTLY cannot run inside a transaction block', withoutConcurrently: true } : null),
  (n) => ('ReindexStmt' in n && ['REINDEX_OBJECT_SCHEMA', 'REINDEX_OBJECT_SYSTEM', 'REINDEX_OBJECT_DATABASE'].includes(n.ReindexStmt.kind ?? '')
    ? { reason: 'REINDEX SCHEMA/SYSTEM/DATABASE cannot run inside a transaction block', withoutConcurrently: false } : null),
  (n) => ('AlterTableStmt' in n && (n.AlterTableStmt.cmds ?? []).some((c) => 'AlterTableCmd' in c
      && c.AlterTableCmd.subtype === 'AT_DetachPartition' && c.AlterTableCmd.def && 'PartitionCmd' in c.AlterTableCmd.def
      && c.AlterTableCmd.def.PartitionCmd.concurrent)
    ? { reason: 'DETACH PARTITION CONCURRENTLY cannot run inside a transaction block', withoutConcurrently: true } : null),
  (n) => ('VacuumStmt' in n && n.VacuumStmt.is_vacuumcmd
    ? { reason: 'VACUUM cannot run inside a transaction block', withoutConcurrently: false } : null),
  (n) => ('CreatedbStmt' in n ? { reason: 'CREATE DATABASE cannot run inside a transaction block', withoutConcurrently: false } : null),
  (n) => ('DropdbStmt' in n ? { reason: 'DROP DATABASE cannot run inside a transaction block', withoutConcurrently: false } : null),
  (n) => ('CreateTableSpaceStmt' in n ? { reason: 'CREATE TABLESPACE cannot run inside a transaction block', withoutConcurrently: false } : null),
  (n) => ('DropTableSpaceStmt' in n ? { reason: 'DROP TABLESPACE cannot run inside a transaction block', withoutConcurrently: false } : null),
  (n) => ('AlterSystemStmt' in n ? { reason: 'ALTER SYSTEM cannot run inside a transaction block', withoutConcurrently: false } : null),
  (n) => ('CreateSubscriptionStmt' in n ? { reason: 'CREATE SUBSCRIPTION cannot run inside a transaction block', withoutConcurrently: false } : null),
  (n) => ('DropSubscriptionStmt' in n ? { reason: 'DROP SUBSCRIPTION cannot run inside a transaction block', withoutConcurrently: false } : null),
  (n) => ('ClusterStmt' in n && !n.ClusterStmt.relation
    ? { reason: 'CLUSTER without a table cannot run inside a transaction block', withoutConcurrently: false } : null),
  (n) => ('DiscardStmt' in n && n.DiscardStmt.target === 'DISCARD_ALL'
    ? { reason: 'DISCARD ALL cannot run inside a transaction block', withoutConcurrently: false } : null),
  (n) => {
    // A batched backfill commits as it goes (Supabase Storage 0029); inside a transaction block PostgreSQL refuses it with 2D000.
    const end = transactionEndInDo(n);
    return end ? { reason: `a DO block that runs ${end.kind} (line ${end.bodyLine} of its body) cannot run inside a transaction block`, withoutConcurrently: false } : null;
  },
];

/** Why PostgreSQL refuses this statement inside a transaction block, or null when it does not. */
export function outsideTransactionRule(node: Node): OutsideTransaction | null {
  for (const rule of RULES) {
    const found = rule(node);
    if (found) return found;
  }
  return null;
}

/** COPY … FROM STDIN: the server waits for data that only a client streaming it (psql) sends. */
export function copiesFromStdin(node: Node): boolean {
  return 'CopyStmt' in node && node.CopyStmt.is_from === true && !node.CopyStmt.filename;
}
