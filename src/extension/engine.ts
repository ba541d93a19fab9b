// Lazy access to the core engine. Importing the parser loads a WebAssembly module and the runner
// pulls in `pg`; neither belongs in activation, so they are loaded on the first command or save
// that needs them (esbuild keeps dynamic imports lazy inside the bundle).
import type { FormatOptions, FormatOutcome } from '../core/formatSql';
import type { ParsedFile } from '../core/parser';
import type { MigrationFile, RunOptions } from '../core/runner';
import type { ConnectionSettings } from '../core/connection';
import type { RunReport, ServerInfo } from '../core/report';
import type { ServerIdentity } from './secrets';

/** Parses one file with the real PostgreSQL parser (loaded on first use). */
export async function parseFile(file: string, text: string): Promise<ParsedFile> {
  const parser = await import('../core/parser');
  await parser.loadParser();
  return parser.parseMigration(file, text);
}

/** A migration file's bytes as text, or null when they are not UTF-8 (core's decoding, as the CLI reads files). */
export async function decodeFileText(bytes: Uint8Array): Promise<string | null> {
  const parser = await import('../core/parser');
  return parser.decodeMigrationText(bytes);
}

/** Formats SQL text with core's formatter (the parser it checks meaning with is loaded on first use). */
export async function formatText(text: string, options: FormatOptions): Promise<FormatOutcome> {
  const [parser, formatter] = await Promise.all([import('../core/parser'), import('../core/formatSql')]);
  await parser.loadParser();
  return formatter.formatSql(text, options);
}

/** Runs migration files through core (dry-run, apply or verify). */
export async function runFiles(files: MigrationFile[], options: RunOptions): Promise<RunReport> {
  const runner = await import('../core/runner');
  return runner.runMigrations(files, options);
}

/** The identity of the server and database a connection reaches right now. */
export async function identify(connection: ConnectionSettings): Promise<{ identity: ServerIdentity; server: ServerInfo }> {
  const session = await import('../core/session');
  const open = await session.openSession(connection);
  try {
    const identity = await session.serverIdentity(open);
    return { identity, server: open.serverInfo };
  } finally {
    await open.close();
  }
}

/** Runs one query inside a read-only transaction that is rolled back. */
export async function readOnlyQuery(connection: ConnectionSettings, sql: string): Promise<{ fields: string[]; rows: Record<string, unknown>[] }> {
  const session = await import('../core/session');
  return session.runReadOnlyQuery(connection, sql);
}
