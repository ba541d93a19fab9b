// The replay's session right before the guard reads the shared state as its open transaction sees
// it. The migration controls this session: its settings, its role, its prepared statements. So the
// transaction is readied for the read in one script (its deferred triggers fired, as COMMIT would,
// under the migration's own timeouts; then Drydock's role, search_path and no timeouts, LOCAL: they
// end with the COMMIT that follows), and one unnamed, schema-qualified query says what the read
// must know of the session: whether a cursor WITH HOLD is open (its query runs to the end at
// COMMIT, after any look), and whether the state query Drydock keeps planned under a name is still
// the one it prepared. A migration can deallocate it and, with PREPARE (in a DO block's EXECUTE
// too), put other text under that name; only the protocol prepares a statement `from_sql` false,
// and only Drydock speaks the protocol on this session.
import crypto from 'node:crypto';
import type { Session } from '../db/backend';

/** What the read must know of the session. */
export interface SessionCheck {
  /** A cursor declared WITH HOLD in this transaction is still open. */
  holdsCursor: boolean;
  /** The statement planned under the name is Drydock's. */
  planned: boolean;
}

/**
 * Readies the open transaction for the guard's read. The replay may send it at the end of the
 * transaction's last query instead (one round trip less): it has no results, and an error in it
 * (a deferred trigger's) is the transaction's.
 */
export const READY_FOR_LOOK = 'SET CONSTRAINTS ALL IMMEDIATE; SET LOCAL statement_timeout = 0; SET LOCAL lock_timeout = 0; '
  + 'SET LOCAL SESSION AUTHORIZATION DEFAULT; SET LOCAL search_path = pg_catalog';

const CHECK = `SELECT
  EXISTS (SELECT FROM pg_catalog.pg_cursors c
    WHERE c.is_holdable AND c.creation_time OPERATOR(pg_catalog.>=) pg_catalog.transaction_timestamp()) AS holds_cursor,
  EXISTS (SELECT FROM pg_catalog.pg_prepared_statements p WHERE p.name OPERATOR(pg_catalog.=) $1 AND NOT p.from_sql) AS planned`;

/** A name for the planned state query no migration can know before the run. */
export function freshPlanName(): string {
  return `drydock_state_${crypto.randomBytes(8).toString('hex')}`;
}

/**
 * Readies the open transaction for the guard's read (unless `readied`: READY_FOR_LOOK was sent
 * already) and checks the session; `planName`: the name the state query is planned under (or null).
 */
export async function readyForLook(session: Session, planName: string | null, readied: boolean): Promise<SessionCheck> {
  if (!readied) await session.execScript(READY_FOR_LOOK);
  const row = (await session.query(CHECK, [planName ?? ''])).rows[0];
  return { holdsCursor: row?.holds_cursor === true, planned: planName !== null && row?.planned === true };
}

/**
 * Divides by zero (22012) unless the session splits text into statements as Drydock's parser
 * does: standard_conforming_strings on and client_encoding UTF8. A migration may turn either (a
 * SET, set_config()): the next query would be read otherwise (a backslash quote, or a byte pair of
 * SJIS that swallows one, ends a string Drydock reads on), and a COMMIT Drydock took for text in
 * a string would run. The server splits a whole query before it runs any of it, so this check at
 * the start of a query it shares with BEGIN comes in time.
 */
export const SPLIT_CHECK = `SELECT 1 OPERATOR(pg_catalog./) (CASE WHEN pg_catalog.current_setting('standard_conforming_strings') OPERATOR(pg_catalog.=) 'on'
  AND pg_catalog.current_setting('client_encoding') OPERATOR(pg_catalog.=) 'UTF8' THEN 1 ELSE 0 END)`;

/**
 * SPLIT_CHECK's question inside the transaction a file's next piece goes on in, as SHOW: it takes
 * no snapshot (a SELECT would), so a SET TRANSACTION ISOLATION LEVEL in that piece still comes
 * before the transaction's first query, as it does when the tool sends the file.
 */
export async function splitsAsParsed(session: Session): Promise<boolean> {
  const setting = async (name: string) => Object.values((await session.query(`SHOW ${name}`)).rows[0] ?? {})[0];
  return await setting('standard_conforming_strings') === 'on' && await setting('client_encoding') === 'UTF8';
}

/** What the replay reports when SPLIT_CHECK fails. */
export const SPLIT_DIFFERS = 'an earlier statement set standard_conforming_strings off or client_encoding to other than UTF8 on the session, '
  + 'so the server would split this file into statements otherwise than Drydock reads it: the shadow cannot check it';
