// What libpq does before it connects, done explicitly so core never reads the environment: the
// PG* variables fill in what the settings leave out, and the password comes from the settings,
// the URL, PGPASSWORD or the password file (~/.pgpass), in that order. The shells read the
// variables and the file (loadConnectionEnvironment) and hand them in.
import fs from 'node:fs';
import path from 'node:path';
import { connectionEndpoint, keywordSettings, type ConnectionSettings } from './connection';

/** The variables libpq reads, and the password file's text. */
export interface ConnectionEnvironment {
  env: Readonly<Record<string, string | undefined>>;
  /** Contents of the password file (PGPASSFILE, else ~/.pgpass), when there is one. */
  passwordFile?: string;
}

const SSL_MODES: readonly string[] = ['disable', 'prefer', 'require', 'verify-ca', 'verify-full'];

/** Reads the password file that `env` points to (PGPASSFILE, else $HOME/.pgpass); the variables are given, not read. */
export function loadConnectionEnvironment(env: Readonly<Record<string, string | undefined>>): ConnectionEnvironment {
  const file = env.PGPASSFILE ?? (env.HOME ? path.join(env.HOME, '.pgpass') : undefined);
  if (!file) return { env };
  try {
    return { env, passwordFile: fs.readFileSync(file, 'utf8') };
  } catch {
    return { env }; // no password file: libpq carries on without one
  }
}

/** The fields of one password-file line, with `\:` and `\\` unescaped. */
function passwordFileFields(line: string): string[] {
  const fields: string[] = [];
  let current = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === '\\' && i + 1 < line.length) current += line[++i];
    else if (c === ':') {
      fields.push(current);
      current = '';
    } else current += c;
  }
  fields.push(current);
  return fields;
}

/** The password the file gives for host:port:database:user (`*` matches anything), as libpq picks it: the first matching line. */
export function passwordFromFile(text: string, endpoint: { host: string; port: string; database: string; user: string }): string | undefined {
  const wanted = [endpoint.host, endpoint.port, endpoint.database, endpoint.user];
  for (const raw of text.split(/\r?\n/)) {
    if (raw.trim() === '' || raw.startsWith('#')) continue;
    const fields = passwordFileFields(raw);
    if (fields.length < 5) continue;
    const password = fields.slice(4).join(':');
    if (wanted.every((value, i) => fields[i] === '*' || fields[i] === value)) {
      return password;
    }
  }
  return undefined;
}

/** Every password the file holds, whatever its line matches (for masking: any of them may reach a message). */
export function passwordsInFile(text: string): string[] {
  const passwords: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    if (raw.trim() === '' || raw.startsWith('#')) continue;
    const fields = passwordFileFields(raw);
    if (fields.length >= 5) passwords.push(fields.slice(4).join(':'));
  }
  return passwords;
}

function hasUrlPassword(connectionString: string | undefined): boolean {
  if (!connectionString) return false;
  try {
    const url = new URL(connectionString);
    return url.password !== '' || url.searchParams.has('password');
  } catch {
    return keywordSettings(connectionString)?.password !== undefined;
  }
}

/**
 * The settings with every field libpq would take from the environment filled in, and the
 * password found the way libpq finds it. A connection string's own parts still win over the
 * filled-in fields (the pg backend gives the string precedence).
 */
export function resolveConnection(settings: ConnectionSettings, environment: ConnectionEnvironment): ConnectionSettings {
  const { env } = environment;
  const resolved: ConnectionSettings = { ...settings };
  resolved.host ??= env.PGHOST;
  if (resolved.port === undefined && env.PGPORT && Number.isInteger(Number(env.PGPORT))) resolved.port = Number(env.PGPORT);
  resolved.database ??= env.PGDATABASE;
  resolved.user ??= env.PGUSER ?? env.USER;
  if (resolved.sslmode === undefined && env.PGSSLMODE && SSL_MODES.includes(env.PGSSLMODE)) {
    resolved.sslmode = env.PGSSLMODE as ConnectionSettings['sslmode'];
  }
  if (resolved.applicationName === undefined && env.PGAPPNAME) resolved.applicationName = env.PGAPPNAME;
  for (const key of Object.keys(resolved) as (keyof ConnectionSettings)[]) {
    if (resolved[key] === undefined) delete resolved[key];
  }
  if (resolved.password === undefined && !hasUrlPassword(resolved.connectionString)) {
    const password = env.PGPASSWORD ?? (environment.passwordFile !== undefined
      ? passwordFromFile(environment.passwordFile, connectionEndpoint(resolved)) : undefined);
    if (password !== undefined) resolved.password = password;
  }
  return resolved;
}
