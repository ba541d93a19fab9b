// A cluster's system identifier plus a database name: what a "dev database" mark is tied to, so
// a host name that now points elsewhere cannot inherit the mark.
import type { Session } from './backend';

/** The server a connection reaches. */
export interface ServerIdentity {
  systemIdentifier: string;
  database: string;
}

/** The server's identity: stable across host names, so a "dev database" mark cannot be moved. */
export async function serverIdentity(session: Session): Promise<ServerIdentity> {
  const result = await session.query('SELECT system_identifier::text AS id, current_database() AS db FROM pg_control_system()');
  const row = result.rows[0] ?? {};
  return { systemIdentifier: String(row.id ?? ''), database: String(row.db ?? '') };
}

/** True when two identities name the same database of the same cluster. */
export function sameServer(a: ServerIdentity, b: ServerIdentity): boolean {
  return a.systemIdentifier === b.systemIdentifier && a.database === b.database;
}

/** "server <id> database "<name>"" for messages. */
export function describeIdentity(identity: ServerIdentity): string {
  return `server ${identity.systemIdentifier} database "${identity.database}"`;
}
