// What a "development database" mark is tied to, so that neither a changed setting nor a copy of
// the cluster can inherit it: the endpoint the connection was configured with when it was marked
// (host, port, database, user), and what the server there says about itself — the cluster's
// system identifier, the database, and the port the server itself listens on. A physical copy
// (pg_basebackup, a copied data directory) keeps the system identifier and the database name; it
// is told apart by the endpoint it is reached at and by its own port.
import type { Session } from './backend';
import type { Endpoint } from './connection';

/** What the server a connection reaches says about itself: cheap to ask, the same on every connection. */
export interface ServerIdentity {
  systemIdentifier: string;
  database: string;
  /** The server's own `port` setting (not the port the client dialled, which a proxy can change). */
  port: string;
}

/** A development-database mark: where the connection pointed when it was marked, and the server found there. */
export interface DevMark {
  endpoint: Endpoint;
  server: ServerIdentity;
}

/** The server's identity, as one query on the session. */
export async function serverIdentity(session: Session): Promise<ServerIdentity> {
  const result = await session.query("SELECT system_identifier::text AS id, current_database() AS db, current_setting('port') AS port FROM pg_control_system()");
  const row = result.rows[0] ?? {};
  return { systemIdentifier: String(row.id ?? ''), database: String(row.db ?? ''), port: String(row.port ?? '') };
}

/** True when two identities name the same database of the same cluster, served on the same port. */
export function sameServer(a: ServerIdentity, b: ServerIdentity): boolean {
  return a.systemIdentifier === b.systemIdentifier && a.database === b.database && a.port === b.port;
}

/** True when two endpoints are the same host (host names ignore case), port, database and user. */
export function sameEndpoint(a: Endpoint, b: Endpoint): boolean {
  return a.host.toLowerCase() === b.host.toLowerCase() && a.port === b.port && a.database === b.database && a.user === b.user;
}

/** True for a mark in the current shape (marks recorded before endpoints were bound hold only a server). */
export function isDevMark(value: unknown): value is DevMark {
  const mark = value as Partial<DevMark> | null;
  return typeof mark === 'object' && mark !== null && typeof mark.endpoint?.host === 'string' && typeof mark.server?.port === 'string';
}

/** "server <id> port <port> database "<name>"" for messages. */
export function describeIdentity(identity: ServerIdentity): string {
  return `server ${identity.systemIdentifier} port ${identity.port} database "${identity.database}"`;
}

/** "user@host:port/database" of an endpoint, for messages. */
export function describeEndpoint(endpoint: Endpoint): string {
  return `${endpoint.user}@${endpoint.host}:${endpoint.port}/${endpoint.database}`;
}
