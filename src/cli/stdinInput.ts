// SQL from standard input (`drydock check -`, `drydock dry-run -`): one migration, read whole, named
// by --stdin-filename (which also places it: the drydock.json above that path, the earlier
// migrations of its folder) or `<stdin>` without it. Bytes that are not UTF-8 text become the same
// binary-file report a file's would, never a crash.
import { readToolNoTransaction } from '../core/config/toolNoTransaction';
import { decodeMigrationText } from '../core/parse/parseMigration';
import type { MigrationFile } from '../core/run/runner';
import { UsageError, type Io } from './io';

/** The argument that means standard input. */
export const STDIN_ARG = '-';

/** The name standard input's SQL goes by without --stdin-filename. */
export const STDIN_NAME = '<stdin>';

/** The --stdin-filename option, for the commands that read SQL from standard input. */
export const STDIN_OPTIONS = { 'stdin-filename': { type: 'string' } } as const;

/**
 * True when the paths ask for standard input: then `-` must be the only path (one input, one
 * name), and --stdin-filename is refused without it (it would name nothing).
 */
export function readsStdin(positionals: readonly string[], stdinFilename: string | undefined, command: string): boolean {
  const stdin = positionals.includes(STDIN_ARG);
  if (stdin && positionals.length > 1) throw new UsageError(`${command} - reads one migration from standard input: give - alone, without other FILE or DIR arguments`);
  if (!stdin && stdinFilename !== undefined) throw new UsageError(`--stdin-filename names the SQL read from standard input: give - as the FILE (${command} - --stdin-filename ${stdinFilename})`);
  if (stdinFilename === '') throw new UsageError('--stdin-filename needs a path, such as db/migrations/0002_add_index.sql');
  return stdin;
}

/** Reads standard input to its end, as bytes. */
export async function readStdinBytes(io: Io): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of io.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Standard input as the migration named `stdinFilename` (or `<stdin>`); invalid UTF-8 reads as binary, as a file's would. */
export async function readStdinMigration(io: Io, stdinFilename: string | undefined): Promise<MigrationFile> {
  const bytes = await readStdinBytes(io);
  const name = stdinFilename ?? STDIN_NAME;
  return { path: name, text: decodeMigrationText(bytes) ?? '\u0000', toolNoTransaction: stdinFilename !== undefined ? readToolNoTransaction(name) : null };
}
