// How core is told where the database is, and how connection details are shown without secrets.
// Core never reads the environment: the shells resolve PG* variables and ~/.pgpass
// (resolveConnection.ts) and pass the result in.

/** Where to connect, as the shells resolved it. */
export interface ConnectionSettings {
  /** postgres://user:password@host:port/database?sslmode=… */
  connectionString?: string;
  host?: string;
  port?: number;
  database?: string;
  user?: string;
  password?: string;
  sslmode?: 'disable' | 'prefer' | 'require' | 'verify-ca' | 'verify-full';
  /** Shown in pg_stat_activity; defaults to "drydock". */
  applicationName?: string;
  /** Milliseconds to wait for the connection before giving up. */
  connectTimeoutMs?: number;
  /** Every transaction of the session read-only (default_transaction_read_only = on): a reference database. */
  readOnly?: true;
}

// A quoted value is read up to 1,000 characters: a repetition of a group without a bound ran out of
// the regex engine's stack on a `password='` followed by megabytes of text (SQL in a report can hold that).
const KEYWORD_PASSWORD = /\b(password\s*=\s*)('(?:[^'\\]|\\.){0,1000}'|\S+)/gi;

export { maskSecrets } from '../model/secretMask';

/** The passwords a settings object carries (its own, a URL's as written and decoded, a `?password=`), for masking. */
export function secretsOf(settings: ConnectionSettings): string[] {
  const secrets: string[] = [];
  if (settings.password) secrets.push(settings.password);
  if (settings.connectionString) {
    let url: URL | null = null;
    try {
      url = new URL(settings.connectionString);
    } catch {
      // not a URL (key=value form): its password= is read below
    }
    if (url) {
      if (url.password) secrets.push(url.password, decodedOrAsIs(url.password));
      const query = url.searchParams.get('password');
      if (query) secrets.push(query);
    } else {
      const keyword = keywordValues(settings.connectionString).get('password');
      if (keyword) secrets.push(keyword);
    }
  }
  return [...new Set(secrets)];
}

// A password with a stray % is still the password, as written.
function decodedOrAsIs(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Where a connection goes: the settings (a URL's parts first), then libpq's built-in defaults. */
export interface Endpoint {
  user: string;
  host: string;
  port: string;
  database: string;
}

/** The key=value pairs of a libpq connection string, keys lower-cased. */
export function keywordValues(connectionString: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const match of connectionString.matchAll(/(\w+)\s*=\s*('(?:[^'\\]|\\.)*'|\S+)/g)) {
    values.set(match[1]!.toLowerCase(), match[2]!.replace(/^'|'$/g, ''));
  }
  return values;
}

const SSL_MODES = ['disable', 'prefer', 'require', 'verify-ca', 'verify-full'] as const;

/**
 * libpq's key=value form (`host=db port=5432 dbname=app user=me`) as settings, or null when the
 * string is a URL. pg itself only understands URLs.
 */
export function keywordSettings(connectionString: string): ConnectionSettings | null {
  if (/^\s*postgres(ql)?:\/\//i.test(connectionString) || !/\w\s*=/.test(connectionString)) return null;
  const values = keywordValues(connectionString);
  const settings: ConnectionSettings = {};
  const host = values.get('host') ?? values.get('hostaddr');
  if (host) settings.host = host;
  if (values.get('port')) settings.port = Number(values.get('port'));
  if (values.get('dbname')) settings.database = values.get('dbname');
  if (values.get('user')) settings.user = values.get('user');
  if (values.get('password')) settings.password = values.get('password');
  const sslmode = values.get('sslmode');
  if (sslmode && (SSL_MODES as readonly string[]).includes(sslmode)) settings.sslmode = sslmode as ConnectionSettings['sslmode'];
  if (values.get('application_name')) settings.applicationName = values.get('application_name');
  return settings;
}

/** The endpoint of a connection; never includes the password. */
export function connectionEndpoint(settings: ConnectionSettings): Endpoint {
  let host = settings.host ?? 'localhost';
  let port = String(settings.port ?? 5432);
  let database = settings.database;
  let user = settings.user ?? 'postgres';
  if (settings.connectionString) {
    try {
      const url = new URL(settings.connectionString);
      host = decodeURIComponent(url.hostname) || host;
      port = url.port || port;
      database = decodeURIComponent(url.pathname.replace(/^\//, '')) || database;
      user = decodeURIComponent(url.username) || user;
    } catch {
      const values = keywordValues(settings.connectionString);
      host = values.get('host') ?? host;
      port = values.get('port') ?? port;
      database = values.get('dbname') ?? database;
      user = values.get('user') ?? user;
    }
  }
  return { user, host, port, database: database ?? user };
}

/**
 * One string for where a connection goes (host, port, database, user): what a stored password is
 * bound to. Host names ignore case.
 */
export function endpointKey(endpoint: Endpoint): string {
  return JSON.stringify([endpoint.host.toLowerCase(), endpoint.port, endpoint.database, endpoint.user]);
}

/** "user@host:port/database" for logs and prompts; never includes the password. */
export function describeConnection(settings: ConnectionSettings): string {
  const { user, host, port, database } = connectionEndpoint(settings);
  return `${user}@${host}:${port}/${database}`;
}

/**
 * The connection string without any password (URL user info, `?password=`, or `password=` in the
 * key=value form), and the password it carried. Settings files only ever get the former.
 */
export function stripPassword(connectionString: string): { connectionString: string; password?: string } {
  try {
    const url = new URL(connectionString);
    const password = url.password ? decodeURIComponent(url.password) : url.searchParams.get('password') ?? undefined;
    url.password = '';
    url.searchParams.delete('password');
    return password ? { connectionString: url.toString(), password } : { connectionString: url.toString() };
  } catch {
    const password = keywordValues(connectionString).get('password');
    const stripped = connectionString.replace(KEYWORD_PASSWORD, '').replace(/\s{2,}/g, ' ').trim();
    return password ? { connectionString: stripped, password } : { connectionString: stripped };
  }
}
