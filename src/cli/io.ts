// What every CLI command shares: its streams and environment, the exit codes, usage errors, the
// files it reads and the connection it resolves. Commands never touch process.* directly.
import fs from 'node:fs';
import { loadConnectionEnvironment, passwordsInFile, resolveConnection } from '../core/db/resolveConnection';
import { keywordSettings, secretsOf, type ConnectionSettings } from '../core/db/connection';
import { readToolNoTransaction } from '../core/config/toolNoTransaction';
import { decodeMigrationText } from '../core/parse/parseMigration';
import type { MigrationFile } from '../core/run/runner';

/** The process as a command sees it. */
export interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd(): string;
}

/** The real process. */
export const processIo: Io = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env, cwd: () => process.cwd() };

export const EXIT_OK = 0;
/** A migration, a verification or a check failed. */
export const EXIT_FAILED = 1;
/** Usage, parse or connection error. */
export const EXIT_USAGE = 2;

/** Wrong arguments: printed with a pointer to --help, exit 2. */
export class UsageError extends Error {}

/** True for errors the user caused with the command line (ours and node:util parseArgs's). */
export function isUsageError(err: unknown): boolean {
  return err instanceof UsageError || (err as { code?: string } | null)?.code?.startsWith('ERR_PARSE_ARGS') === true;
}

/** Reads migration files; a file that cannot be read is a usage error naming it. */
export function readMigrationFiles(paths: readonly string[]): MigrationFile[] {
  return paths.map((path) => {
    let bytes: Buffer;
    try {
      // A FIFO or a device would block the read (or never end): only regular files are read.
      if (!fs.statSync(path).isFile()) throw new UsageError(`cannot read ${path}: not a regular file`);
      bytes = fs.readFileSync(path);
    } catch (err) {
      if (err instanceof UsageError) throw err;
      throw new UsageError(`cannot read ${path}: ${unreadableReason(err as NodeJS.ErrnoException)}`);
    }
    // Invalid UTF-8 becomes a NUL so the parser reports the file as binary at its first line.
    return { path, text: decodeMigrationText(bytes) ?? '\u0000', toolNoTransaction: readToolNoTransaction(path) };
  });
}

// Why a file could not be read, in words (the code stays in brackets for searching).
const UNREADABLE: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EISDIR: 'it is a directory',
  ENOTDIR: 'a part of the path is not a directory',
  ELOOP: 'too many symbolic links',
};

function unreadableReason(err: NodeJS.ErrnoException): string {
  const words = err.code ? UNREADABLE[err.code] : undefined;
  return words ? `${words} (${err.code})` : err.code ?? err.message;
}

/**
 * Refuses a connection string the driver would misread: anything but a postgres:// or
 * postgresql:// URL or libpq's key=value form (the driver reads `not a url` as a path relative to
 * a host named "base" and fails with ENOTFOUND base). The value is never repeated: it may hold a
 * password.
 */
export function checkConnectionUrl(value: string, source: string): void {
  const expected = `${source} must be a connection URL such as postgres://user@localhost:5432/mydb (the password in PGPASSWORD or ~/.pgpass, or in the URL) or libpq's key=value form (host=localhost dbname=mydb)`;
  if (keywordSettings(value) !== null) return;
  if (!/^\s*postgres(ql)?:\/\//i.test(value)) throw new UsageError(`${expected}; the value given is neither`);
  try {
    new URL(value.trim());
  } catch {
    throw new UsageError(`${expected}; the value given is not a valid URL (characters such as @ : / # ? in a user name or password must be percent-encoded)`);
  }
}

/**
 * The connection: the URL of `option` (--db, --shadow-db, --reference) when given, else
 * DATABASE_URL, else libpq's PG* variables and password file.
 */
export function resolveCliConnection(db: string | undefined, io: Io, option = '--db'): ConnectionSettings {
  if (db !== undefined) checkConnectionUrl(db, option);
  else if (io.env.DATABASE_URL) checkConnectionUrl(io.env.DATABASE_URL, 'DATABASE_URL');
  const url = db ?? io.env.DATABASE_URL;
  return resolveConnection(url ? { connectionString: url } : {}, loadConnectionEnvironment(io.env));
}

/** True when colours may be used on stdout. */
export function wantsColor(io: Io, disabled: boolean): boolean {
  return !disabled && io.stdout.isTTY === true && !io.env.NO_COLOR;
}

/**
 * The passwords the environment holds, whatever a command connects to: PGPASSWORD, DATABASE_URL's,
 * every one in the password file, and those of connection URLs among the arguments (--db,
 * --shadow-db, --reference). Every output and error message is masked with them.
 */
export function environmentSecrets(io: Io, argv: readonly string[] = []): string[] {
  const environment = loadConnectionEnvironment(io.env);
  const urls = [io.env.DATABASE_URL, ...argv.map((arg) => arg.replace(/^--[\w-]+=/, ''))].filter((u): u is string => u !== undefined && u.includes('://'));
  return [
    ...(io.env.PGPASSWORD ? [io.env.PGPASSWORD] : []),
    ...urls.flatMap((connectionString) => secretsOf({ connectionString })),
    ...(environment.passwordFile !== undefined ? passwordsInFile(environment.passwordFile) : []),
  ];
}
