// How core is told where the database is, and how connection details are shown without secrets.

/**
 * Where to connect. Anything left out falls back, as libpq does, to the PG* environment variables
 * (PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSWORD, PGSSLMODE) and then to ~/.pgpass for the password.
 */
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
}

const URL_PASSWORD = /((?:postgres|postgresql):\/\/[^:/@\s]*:)([^@\s]*)@/gi;
const KEYWORD_PASSWORD = /\b(password\s*=\s*)('(?:[^'\\]|\\.)*'|\S+)/gi;

/** The text with passwords removed: in connection URLs, in key=value strings, and every given secret. */
export function maskSecrets(text: string, secrets: readonly (string | undefined)[] = []): string {
  let masked = text.replace(URL_PASSWORD, '$1****@').replace(KEYWORD_PASSWORD, '$1****');
  for (const secret of secrets) {
    if (secret && secret.length >= 3) masked = masked.split(secret).join('****');
  }
  return masked;
}

/** The password a settings object carries, if any (for masking). */
export function secretsOf(settings: ConnectionSettings): string[] {
  const secrets: string[] = [];
  if (settings.password) secrets.push(settings.password);
  if (settings.connectionString) {
    try {
      const url = new URL(settings.connectionString);
      if (url.password) secrets.push(decodeURIComponent(url.password), url.password);
    } catch {
      // not a URL (key=value form); the keyword pattern masks it
    }
  }
  if (process.env.PGPASSWORD) secrets.push(process.env.PGPASSWORD);
  return secrets;
}

/** "user@host:port/database" for logs and prompts; never includes the password. */
export function describeConnection(settings: ConnectionSettings): string {
  let host = settings.host ?? process.env.PGHOST ?? 'localhost';
  let port = String(settings.port ?? process.env.PGPORT ?? 5432);
  let database = settings.database ?? process.env.PGDATABASE;
  let user = settings.user ?? process.env.PGUSER ?? process.env.USER ?? 'postgres';
  if (settings.connectionString) {
    try {
      const url = new URL(settings.connectionString);
      host = url.hostname || host;
      port = url.port || port;
      database = decodeURIComponent(url.pathname.replace(/^\//, '')) || database;
      user = decodeURIComponent(url.username) || user;
    } catch {
      return maskSecrets(settings.connectionString);
    }
  }
  return `${user}@${host}:${port}/${database ?? user}`;
}
