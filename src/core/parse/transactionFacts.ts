// Which statements touch the transaction itself, and which PostgreSQL refuses to run inside one.
// Drydock owns the transaction of every run, so a file may not end or replace it.
import type { Node } from './pgTypes';

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

/** The role a statement plays in transaction control, or null for ordinary statements. */
export function transactionControlOf(node: Node): TransactionControl {
  return 'TransactionStmt' in node ? TRANSACTION_KINDS[node.TransactionStmt.kind ?? ''] ?? 'forbidden' : null;
}

/** What a dry-run runs instead of a statement PostgreSQL refuses inside a transaction block. */
export interface OutsideTransaction {
  /** Why the statement cannot run in a transaction. */
  reason: string;
  /** Keyword tokens to delete for an equivalent that runs in a transaction (e.g. CONCURRENTLY), or null when nothing equivalent can run. */
  strip: string[] | null;
}

function hasOption(options: Node[] | undefined, name: string): boolean {
  return (options ?? []).some((o) => 'DefElem' in o && o.DefElem.defname === name);
}

type Rule = (node: Node) => OutsideTransaction | null;

const RULES: Rule[] = [
  (n) => ('IndexStmt' in n && n.IndexStmt.concurrent
    ? { reason: 'CREATE INDEX CONCURRENTLY cannot run inside a transaction block', strip: ['CONCURRENTLY'] } : null),
  (n) => ('DropStmt' in n && n.DropStmt.concurrent
    ? { reason: 'DROP INDEX CONCURRENTLY cannot run inside a transaction block', strip: ['CONCURRENTLY'] } : null),
  (n) => ('ReindexStmt' in n && hasOption(n.ReindexStmt.params, 'concurrently')
    ? { reason: 'REINDEX CONCURRENTLY cannot run inside a transaction block', strip: ['CONCURRENTLY'] } : null),
  (n) => ('ReindexStmt' in n && ['REINDEX_OBJECT_SCHEMA', 'REINDEX_OBJECT_SYSTEM', 'REINDEX_OBJECT_DATABASE'].includes(n.ReindexStmt.kind ?? '')
    ? { reason: 'REINDEX SCHEMA/SYSTEM/DATABASE cannot run inside a transaction block', strip: null } : null),
  (n) => ('AlterTableStmt' in n && (n.AlterTableStmt.cmds ?? []).some((c) => 'AlterTableCmd' in c
      && c.AlterTableCmd.subtype === 'AT_DetachPartition' && c.AlterTableCmd.def && 'PartitionCmd' in c.AlterTableCmd.def
      && c.AlterTableCmd.def.PartitionCmd.concurrent)
    ? { reason: 'DETACH PARTITION CONCURRENTLY cannot run inside a transaction block', strip: ['CONCURRENTLY'] } : null),
  (n) => ('VacuumStmt' in n && n.VacuumStmt.is_vacuumcmd
    ? { reason: 'VACUUM cannot run inside a transaction block', strip: null } : null),
  (n) => ('CreatedbStmt' in n ? { reason: 'CREATE DATABASE cannot run inside a transaction block', strip: null } : null),
  (n) => ('DropdbStmt' in n ? { reason: 'DROP DATABASE cannot run inside a transaction block', strip: null } : null),
  (n) => ('CreateTableSpaceStmt' in n ? { reason: 'CREATE TABLESPACE cannot run inside a transaction block', strip: null } : null),
  (n) => ('DropTableSpaceStmt' in n ? { reason: 'DROP TABLESPACE cannot run inside a transaction block', strip: null } : null),
  (n) => ('AlterSystemStmt' in n ? { reason: 'ALTER SYSTEM cannot run inside a transaction block', strip: null } : null),
  (n) => ('CreateSubscriptionStmt' in n ? { reason: 'CREATE SUBSCRIPTION cannot run inside a transaction block', strip: null } : null),
  (n) => ('DropSubscriptionStmt' in n ? { reason: 'DROP SUBSCRIPTION cannot run inside a transaction block', strip: null } : null),
  (n) => ('ClusterStmt' in n && !n.ClusterStmt.relation
    ? { reason: 'CLUSTER without a table cannot run inside a transaction block', strip: null } : null),
  (n) => ('DiscardStmt' in n && n.DiscardStmt.target === 'DISCARD_ALL'
    ? { reason: 'DISCARD ALL cannot run inside a transaction block', strip: null } : null),
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
