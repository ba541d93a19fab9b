// What a scratch database's run owns beyond the database itself, written where a later run finds it
// after a crash: the comment on the scratch database (pg_shdescription, a shared catalog every
// session can read). It names the session that created the database (while it lives, the run
// lives) and the roles the replay created (by oid and name, written in the transaction that created
// them) or is about to create (by name, before a migration whose commits are not Drydock's).
import type { Session } from '../db/backend';
import { quoteIdent, quoteLiteral } from '../sql/quoting';

/** A role the run created. */
export interface RecordedRole {
  oid: number;
  name: string;
}

/** The record on one scratch database. */
export interface ScratchRecord {
  /** The session that created the scratch database: its backend pid and start time (microseconds since the epoch). */
  owner: { pid: number; started: string };
  roles: RecordedRole[];
  /** Names a running migration may create a role under (none of them existed when it started). */
  pending: string[];
}

const PREFIX = 'drydock shadow run: ';

/** The comment text of a record. */
export function recordComment(record: ScratchRecord): string {
  return PREFIX + JSON.stringify(record);
}

function isRole(value: unknown): value is RecordedRole {
  const r = value as RecordedRole | null;
  return typeof r?.oid === 'number' && typeof r.name === 'string';
}

/** The record a comment holds, or null for a comment Drydock did not write (or none). */
export function parseRecord(comment: string | null | undefined): ScratchRecord | null {
  if (!comment?.startsWith(PREFIX)) return null;
  try {
    const parsed = JSON.parse(comment.slice(PREFIX.length)) as Partial<ScratchRecord>;
    if (typeof parsed.owner?.pid !== 'number' || typeof parsed.owner.started !== 'string') return null;
    return {
      owner: parsed.owner,
      roles: Array.isArray(parsed.roles) ? parsed.roles.filter(isRole) : [],
      pending: Array.isArray(parsed.pending) ? parsed.pending.filter((p): p is string => typeof p === 'string') : [],
    };
  } catch {
    return null;
  }
}

/** Writes the record (on the session's transaction, if it is in one: then it commits with it). */
export async function writeRecord(session: Session, database: string, record: ScratchRecord): Promise<void> {
  await session.query(`COMMENT ON DATABASE ${quoteIdent(database)} IS ${quoteLiteral(recordComment(record))}`);
}

// A session's start in microseconds since the epoch: the same text whatever a session's TimeZone or DateStyle.
const STARTED = "(pg_catalog.date_part('epoch', backend_start) * 1000000)::bigint::text";

/** This session as a record's owner. */
export async function ownerOf(session: Session): Promise<ScratchRecord['owner']> {
  const result = await session.query(`SELECT pg_catalog.pg_backend_pid() AS pid, (SELECT ${STARTED} FROM pg_catalog.pg_stat_activity WHERE pid = pg_catalog.pg_backend_pid()) AS started`);
  const row = result.rows[0]!;
  return { pid: Number(row.pid), started: String(row.started ?? '') };
}

/** True while the owner's session is connected (a session of another user shows no start time: its pid is trusted alone). */
export async function ownerAlive(session: Session, owner: ScratchRecord['owner']): Promise<boolean> {
  const result = await session.query(
    `SELECT 1 FROM pg_catalog.pg_stat_activity WHERE pid = $1 AND (backend_start IS NULL OR ${STARTED} = $2)`, [owner.pid, owner.started]);
  return result.rows.length > 0;
}

/**
 * Drops the roles a record names, once their scratch database is gone (they may own objects in
 * it): a recorded role only while its oid still has its name, a pending one by name. Returns the
 * roles dropped and the ones that could not be (with the server's reason).
 */
export async function dropRecordedRoles(session: Session, roles: readonly RecordedRole[], pending: readonly string[]): Promise<{ dropped: string[]; failed: string[] }> {
  const names = new Set<string>();
  for (const role of roles) {
    const found = await session.query('SELECT rolname FROM pg_catalog.pg_roles WHERE oid = $1', [role.oid]);
    if (found.rows[0]?.rolname === role.name) names.add(role.name);
  }
  for (const name of pending) names.add(name);
  const dropped: string[] = [];
  const failed: string[] = [];
  // Latest first: a later role may be a member of an earlier one.
  for (const name of [...names].reverse()) {
    try {
      const exists = await session.query('SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = $1', [name]);
      if (exists.rows.length === 0) continue;
      await session.query(`DROP ROLE ${quoteIdent(name)}`);
      dropped.push(name);
    } catch (err) {
      failed.push(`${name}: ${(err as Error).message}`);
    }
  }
  return { dropped, failed };
}
