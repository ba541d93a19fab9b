// The replay's session lent to an audit's dry-run of the next migration, so the dry-run sees what
// the commit after it will see: what earlier migrations set on the session (a search_path) and
// what the project's runner holds (an advisory lock its migrations check for). The borrower cannot
// end it: its close() rolls back what it left open and undoes the little a rollback does not
// (prepared statements and session-level advisory locks it took), so the migration is then
// applied on the session as it was before the dry-run.
import type { DatabaseBackend, Session } from '../db/backend';
import type { NoticeReport } from '../model/report';

/** What a session holds that survives a ROLLBACK: SQL prepared statements and session-level advisory locks. */
interface Held {
  prepared: Set<string>;
  /** pg_advisory_unlock(_shared) calls that release each advisory lock, by a key naming it. */
  advisory: Map<string, string>;
}

const HELD_SQL = `SELECT 'prepared' AS kind, name AS key, NULL AS unlock FROM pg_catalog.pg_prepared_statements WHERE from_sql
  UNION ALL
  SELECT 'advisory', concat_ws(':', l.classid, l.objid, l.objsubid, l.mode),
    format('SELECT pg_catalog.pg_advisory_unlock%s(%s)', CASE WHEN l.mode = 'ShareLock' THEN '_shared' ELSE '' END,
      CASE WHEN l.objsubid = 1 THEN ((l.classid::bigint << 32) | l.objid::bigint)::text ELSE concat_ws(', ', l.classid::int, l.objid::int) END)
  FROM pg_catalog.pg_locks l WHERE l.locktype = 'advisory' AND l.pid = pg_catalog.pg_backend_pid() AND l.granted`;

async function held(session: Session): Promise<Held> {
  const rows = (await session.query(HELD_SQL)).rows;
  return {
    prepared: new Set(rows.filter((r) => r.kind === 'prepared').map((r) => String(r.key))),
    advisory: new Map(rows.filter((r) => r.kind === 'advisory').map((r) => [String(r.key), String(r.unlock)])),
  };
}

/** Ends what the borrower left that a rollback does not end. */
async function undoSince(session: Session, before: Held): Promise<void> {
  if (session.transactionState() !== 'idle') await session.query('ROLLBACK');
  const now = await held(session);
  for (const name of now.prepared) if (!before.prepared.has(name)) await session.query(`DEALLOCATE "${name.replace(/"/g, '""')}"`);
  for (const [key, unlock] of now.advisory) {
    if (before.advisory.has(key)) continue;
    // Taken n times, held until unlocked n times (each call says whether it released one); bounded all the same.
    const released = async () => Object.values((await session.query(unlock)).rows[0] ?? {})[0] === true;
    for (let i = 0; i < 1000 && await released(); i++);
  }
}

// The borrowers' connection-loss listeners, per lent session: the session gets one listener of its
// own (it cannot take one back), which calls those of the borrower holding it now.
const lossListeners = new WeakMap<Session, Set<(err: Error) => void>>();

function onLoss(session: Session): Set<(err: Error) => void> {
  let listeners = lossListeners.get(session);
  if (!listeners) {
    const current = listeners = new Set();
    lossListeners.set(session, current);
    session.onConnectionLost((err) => { for (const l of current) l(err); });
  }
  return listeners;
}

/** `session` as the borrower gets it: never closed, its leftovers undone when returned. */
async function lend(session: Session): Promise<Session> {
  const before = await held(session);
  const listeners: (() => void)[] = [];
  const losses = onLoss(session);
  const lost: ((err: Error) => void)[] = [];
  let returned = false;
  return {
    get serverInfo() { return session.serverInfo; },
    get backendPid() { return session.backendPid; },
    query: (sql, params, prepared) => session.query(sql, params, prepared),
    pipeline: (statements, options) => session.pipeline(statements, options),
    execScript: (sql) => session.execScript(sql),
    onNotice: (listener: (notice: NoticeReport) => void) => {
      const stop = session.onNotice(listener);
      listeners.push(stop);
      return stop;
    },
    transactionState: () => session.transactionState(),
    cancel: () => session.cancel(),
    onConnectionLost: (listener) => {
      losses.add(listener);
      lost.push(listener);
    },
    async close() {
      if (returned) return;
      returned = true;
      // The borrower's listeners end with it: later statements of the replay are not its.
      for (const stop of listeners) stop();
      for (const l of lost) losses.delete(l);
      await undoSince(session, before);
    },
  };
}

/** A backend whose sessions are `session`, lent one at a time (its owner keeps it open). */
export function lentBackend(owner: DatabaseBackend, session: Session): DatabaseBackend {
  return {
    kind: owner.kind, label: owner.label, capabilities: owner.capabilities, inProcess: owner.inProcess, secrets: owner.secrets,
    openSession: () => lend(session),
  };
}
