// Replication slots a scratch-shadow run leaves: a rollback does not undo pg_create_*_slot(), so a
// slot SQL built at run time created (in the history or in a target) would hold WAL on the server
// for good. The run's slots are the ones that did not exist when it started and that nothing uses:
// a physical slot, or a logical one of its scratch database (a logical slot belongs to the
// database it was created in, and a run's sessions connect to its scratch database only).
import type { Session } from '../db/backend';

/** The names of the slots on the server now. */
export async function slotNames(session: Session): Promise<Set<string>> {
  const found = await session.query('SELECT s.slot_name::text AS name FROM pg_catalog.pg_replication_slots s');
  return new Set(found.rows.map((r) => String(r.name)));
}

/** Drops the slot when it is the run's (unused, physical or of the scratch database); true when it was dropped. */
export async function dropRunSlot(session: Session, name: string, scratch: string): Promise<boolean> {
  try {
    const dropped = await session.query(
      `SELECT pg_catalog.pg_drop_replication_slot(s.slot_name) FROM pg_catalog.pg_replication_slots s
        WHERE s.slot_name = $1 AND NOT s.active AND (s.slot_type = 'physical' OR s.database = $2)`, [name, scratch]);
    return dropped.rows.length > 0;
  } catch {
    // Taken meanwhile, or not ours to drop (no REPLICATION privilege): it stays, and the caller says so.
    return false;
  }
}

/** Drops the run's slots among those that appeared since `before` (another session's, in use or of another database, stay); returns their names. */
export async function dropNewSlots(session: Session, before: ReadonlySet<string>, scratch: string): Promise<string[]> {
  const dropped: string[] = [];
  for (const name of await slotNames(session)) {
    if (!before.has(name) && await dropRunSlot(session, name, scratch)) dropped.push(name);
  }
  return dropped;
}
