// What a transaction on the replay's session holds that the guard must look at before it commits,
// read cheaply on that session: whether it wrote a shared catalog (every write opens the catalog
// with ROW EXCLUSIVE or a stronger lock, held until the transaction ends, and a rolled-back
// savepoint releases it with the write), and whether it declared a cursor WITH HOLD (its query
// runs to the end at COMMIT, after any look). A transaction that wrote no shared catalog changed
// none, so the full read of the shared state is needed only after one that did.
//
// The migration controls this session: its search_path, its role, its prepared statements. So
// the query is unnamed (a named one could be deallocated and prepared again with other text, as
// PL/pgSQL's EXECUTE can do at run time), every name and operator is schema-qualified, and it
// reads views every role may read.
import type { Session } from '../db/backend';
import { WATCHED_CATALOGS } from './clusterState';

/** What the transaction holds. */
export interface TransactionFootprint {
  /** It wrote (or locked for writing) a watched shared catalog. */
  writesShared: boolean;
  /** It declared a cursor WITH HOLD that is still open. */
  holdsCursor: boolean;
}

const FOOTPRINT = `SELECT
  EXISTS (SELECT FROM pg_catalog.pg_locks l
    WHERE l.pid OPERATOR(pg_catalog.=) pg_catalog.pg_backend_pid() AND l.locktype OPERATOR(pg_catalog.=) 'relation'
      AND l.database OPERATOR(pg_catalog.=) 0::pg_catalog.oid AND l.relation OPERATOR(pg_catalog.=) ANY ($1::pg_catalog.oid[])
      AND NOT l.mode OPERATOR(pg_catalog.=) ANY ('{AccessShareLock,RowShareLock}'::pg_catalog.text[])) AS writes_shared,
  EXISTS (SELECT FROM pg_catalog.pg_cursors c
    WHERE c.is_holdable AND c.creation_time OPERATOR(pg_catalog.>=) pg_catalog.transaction_timestamp()) AS holds_cursor`;

/** The oids of the shared catalogs the guard watches (the same in every database of a server). */
export async function watchedCatalogOids(session: Session): Promise<number[]> {
  const found = await session.query(
    "SELECT c.oid FROM pg_catalog.pg_class c WHERE c.relisshared AND c.relkind = 'r' AND c.relname = ANY ($1::text[])", [[...WATCHED_CATALOGS]]);
  return found.rows.map((r) => Number(r.oid));
}

/** Reads the footprint of the session's open transaction. */
export async function transactionFootprint(session: Session, catalogs: readonly number[]): Promise<TransactionFootprint> {
  const row = (await session.query(FOOTPRINT, [catalogs])).rows[0];
  return { writesShared: row?.writes_shared === true, holdsCursor: row?.holds_cursor === true };
}
