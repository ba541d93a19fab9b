// Applies earlier migrations the way their tool does (replayStyles.ts), each committed before the
// next, and turns a failure into "earlier migration 0042_x.sql:7 failed: …" at its line.
import type { Session } from '../db/backend';
import type { ErrorReport } from '../model/report';
import { LineIndex } from '../model/lineIndex';
import { readDirectives } from '../parse/directives';
import { copiesFromStdin, parseMigrationSync, type ParsedFile } from '../parse/parseMigration';
import { classifyError, type StatementLocation } from '../run/classify';
import type { HistoryMigration } from './history';
import type { ReplayStyle } from './replayStyles';

/** An earlier migration that failed in the shadow (or was refused: it reaches beyond the shadow). */
export interface ReplayFailure {
  migration: HistoryMigration;
  /** Classified, at the failing line of the earlier file, its message prefixed with where it happened. */
  error: ErrorReport;
  /** True when nothing of the failed migration stayed (it ran in a transaction that was rolled back). */
  rolledBack: boolean;
  /** True when the shadow refused the migration instead of the server failing it. */
  refused?: boolean;
}

/** A statement the shadow refuses, before it is sent or once it changed what the shadow may not change. */
export class ShadowRefusal extends Error {
  constructor(
    /** What it does, and why that is refused. */
    readonly reason: string,
    readonly where: StatementLocation | undefined,
    /** False when the change was committed (outside a transaction Drydock could roll back). */
    readonly undone: boolean,
  ) {
    super(reason);
  }
}

/** Where a refusal's message sends the user. */
export const SEAL_HINT = 'A scratch database shares roles, settings and the server itself with every other database on its server. '
  + 'Use the PGlite shadow (leave out --shadow-db, or drydock.shadowConnection in the editor), or point the shadow at a disposable server.';

/**
 * Checks, as a migration replays, that it changes nothing the shadow may not change: the scratch
 * database's host watches the server around it (scratchDatabase.ts); PGlite needs none.
 */
export interface ReplayGuard {
  /** Before the migration runs; `ownTransaction`: Drydock commits it (else its statements commit themselves). */
  beforeMigration(m: HistoryMigration, ownTransaction: boolean): Promise<void>;
  /**
   * After each statement (the one query) of a migration Drydock does not commit, and before the
   * file's own COMMIT (`where` undefined: the change may be any statement's of its transaction);
   * throws a ShadowRefusal.
   */
  afterStatement(session: Session, where: StatementLocation | undefined): Promise<void>;
  /** In the migration's transaction, right before Drydock commits it; throws a ShadowRefusal (the transaction is then rolled back). */
  beforeCommit(session: Session): Promise<void>;
  /** After the migration, applied or not. */
  afterMigration(m: HistoryMigration): Promise<void>;
}

/** Names a history file in messages (the shell decides: relative to the project, say). */
export type DisplayPath = (absolutePath: string) => string;

class MigrationFailed extends Error {
  constructor(readonly failure: unknown, readonly where: StatementLocation | undefined) {
    super('migration failed');
  }
}

/** Runs the tool's bookkeeping statements (before the first migration). */
export async function replayBookkeeping(session: Session, style: ReplayStyle): Promise<void> {
  for (const sql of style.bookkeeping) await session.query(sql);
}

const COPY_FROM_STDIN = 'COPY … FROM STDIN needs the client to stream the data (psql does); the shadow cannot replay it';

/** Refuses, before anything is sent, what a server cannot run from the text alone. */
function refuseUnreplayable(file: string, parsed: ParsedFile): void {
  const firstMeta = parsed.metaCommandLines[0];
  if (firstMeta !== undefined) {
    const offsets = parsed.lines.lineOffsets(firstMeta);
    throw new MigrationFailed({ code: '0A000', message: 'a psql meta-command (\\…) cannot be replayed: the shadow sends SQL to the server, not to psql' },
      { file, sql: parsed.text.slice(offsets.start, offsets.end), offsets, lines: parsed.lines });
  }
  // COPY … FROM STDIN: the server would wait for data no file statement sends.
  const copy = parsed.statements.find(copiesFromStdin);
  if (copy) throw new MigrationFailed({ code: '0A000', message: COPY_FROM_STDIN }, { file, sql: copy.sql, offsets: copy.offsets, lines: parsed.lines });
}

// Text that may hold a COPY … FROM STDIN or a psql meta-command line; only such text is parsed
// before a one-query send (parsing every file of a long history would cost more than sending it).
const MAY_BE_UNREPLAYABLE = /\bstdin\b|^\s*\\/im;

/** The first NUL or undecodable byte (read as U+FFFD) of a text, or -1: such a file is not SQL text. */
function firstBinaryChar(text: string): number {
  return text.search(/[\u0000\uFFFD]/);
}

/** Refuses a file that is not UTF-8 text at its first bad byte (the server would stop at a NUL, or reject the bytes). */
function refuseBinary(file: string, text: string): void {
  const at = firstBinaryChar(text);
  if (at < 0) return;
  const lines = new LineIndex(text);
  throw new MigrationFailed({ code: '22021', message: 'the file is not UTF-8 text (it holds a NUL byte or invalid UTF-8 here); the shadow cannot replay it' },
    { file, sql: text.slice(at, at + 1), offsets: { start: at, end: at + 1 }, lines });
}

/** Runs the guard's check after a statement, turning anything but a refusal into this statement's failure. */
async function checked(guard: ReplayGuard | null, session: Session, where: StatementLocation | undefined): Promise<void> {
  try {
    await guard?.afterStatement(session, where);
  } catch (err) {
    if (err instanceof ShadowRefusal) throw err;
    throw new MigrationFailed(err, where);
  }
}

async function sendOneQuery(session: Session, file: string, text: string, guard: ReplayGuard | null): Promise<void> {
  const runnable = readDirectives(text).runnableText;
  // Parsed only to refuse what would hang or cannot run; a syntax error is left to the server to report.
  if (MAY_BE_UNREPLAYABLE.test(text)) refuseUnreplayable(file, parseMigrationSync(file, text));
  const where = { file, sql: runnable, offsets: { start: 0, end: runnable.length }, lines: new LineIndex(text) };
  try {
    await session.execScript(runnable);
  } catch (err) {
    throw new MigrationFailed(err, where);
  }
  await checked(guard, session, where);
}

async function sendStatements(session: Session, file: string, text: string, keepTransactionControl: boolean, guard: ReplayGuard | null): Promise<void> {
  const parsed = parseMigrationSync(file, text);
  refuseUnreplayable(file, parsed);
  if (parsed.syntaxError) {
    const { message, offsets } = parsed.syntaxError;
    throw new MigrationFailed({ code: '42601', message }, { file, sql: text.slice(offsets.start, offsets.end), offsets, lines: parsed.lines });
  }
  for (const s of parsed.statements) {
    if (s.role === 'wrapper' && !keepTransactionControl) continue;
    const where = { file, sql: s.sql, offsets: s.offsets, lines: parsed.lines };
    // The file's own COMMIT: its transaction is checked while it can still be rolled back.
    if (guard && s.transactionControl === 'commit' && session.transactionState() === 'in-transaction') await checked(guard, session, undefined);
    try {
      await session.query(s.sql);
    } catch (err) {
      throw new MigrationFailed(err, where);
    }
    if (guard && session.transactionState() === 'idle') await checked(guard, session, where);
  }
}

/** Sends the migration as its tool does; `guard` checks each step of a migration Drydock does not commit. */
function send(session: Session, style: ReplayStyle, file: string, text: string, guard: ReplayGuard | null): Promise<void> {
  return style.send === 'one-query' ? sendOneQuery(session, file, text, guard) : sendStatements(session, file, text, style.transaction === 'script', guard);
}

async function recordApplied(session: Session, style: ReplayStyle, m: HistoryMigration, index: number): Promise<void> {
  const row = style.record?.(m, index);
  if (row) await session.query(row.sql, row.params);
}

/** The classified report of a refusal: the statement's place, what it does, and where to run such a migration instead. */
export function refusalError(reason: string, where: StatementLocation | undefined): ErrorReport {
  return { ...classifyError({ code: 'DRY06', message: reason, hint: SEAL_HINT }, where), title: 'Reaches beyond the scratch database' };
}

/** Applies one earlier migration and commits it; returns the failure, or null when it applied. */
export async function replayMigration(session: Session, style: ReplayStyle, m: HistoryMigration, index: number, displayPath: DisplayPath, guard?: ReplayGuard): Promise<ReplayFailure | null> {
  const file = displayPath(m.file);
  const ownTransaction = style.transaction === 'tool' && !m.noTransaction;
  try {
    refuseBinary(file, m.text);
    await guard?.beforeMigration(m, ownTransaction);
    if (ownTransaction) await session.query('BEGIN');
    await send(session, style, file, m.text, ownTransaction ? null : guard ?? null);
    if (session.transactionState() !== (ownTransaction ? 'in-transaction' : 'idle')) {
      throw new MigrationFailed({ code: '25000', message: ownTransaction ? 'the migration ended the transaction its tool runs it in' : 'the migration left a transaction open' }, undefined);
    }
    await recordApplied(session, style, m, index);
    if (ownTransaction) {
      await guard?.beforeCommit(session);
      await session.query('COMMIT');
    }
    return null;
  } catch (err) {
    const inTransaction = session.transactionState() !== 'idle';
    if (inTransaction) await session.query('ROLLBACK').catch(() => undefined);
    if (err instanceof ShadowRefusal) {
      // Without a statement, the migration as a whole made the change (somewhere in its transaction).
      const error = refusalError(err.reason, err.where);
      error.file ??= file;
      error.message = `earlier migration ${file}${error.position ? `:${error.position.line}` : ''} refused: ${err.reason}; ${err.undone ? 'rolled back' : 'it was committed and could not be undone'}`;
      return { migration: m, error, rolledBack: inTransaction, refused: true };
    }
    const failed = err instanceof MigrationFailed ? err : new MigrationFailed(err, undefined);
    const error = classifyError(failed.failure, failed.where);
    error.file ??= file;
    const line = error.position ? `:${error.position.line}` : '';
    error.message = `earlier migration ${file}${line} failed: ${error.message}`;
    // One simple query is one implicit transaction: a failure leaves none of it behind.
    return { migration: m, error, rolledBack: ownTransaction || style.send === 'one-query' };
  } finally {
    // Its record is written before and as the migration runs: a failure to tidy it up loses nothing.
    await guard?.afterMigration(m).catch(() => undefined);
  }
}
