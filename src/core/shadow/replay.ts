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

/** An earlier migration that failed in the shadow. */
export interface ReplayFailure {
  migration: HistoryMigration;
  /** Classified, at the failing line of the earlier file, its message prefixed with where it happened. */
  error: ErrorReport;
  /** True when nothing of the failed migration stayed (it ran in a transaction that was rolled back). */
  rolledBack: boolean;
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

async function sendOneQuery(session: Session, file: string, text: string): Promise<void> {
  const runnable = readDirectives(text).runnableText;
  // Parsed only to refuse what would hang or cannot run; a syntax error is left to the server to report.
  if (MAY_BE_UNREPLAYABLE.test(text)) refuseUnreplayable(file, parseMigrationSync(file, text));
  try {
    await session.execScript(runnable);
  } catch (err) {
    throw new MigrationFailed(err, { file, sql: runnable, offsets: { start: 0, end: runnable.length }, lines: new LineIndex(text) });
  }
}

async function sendStatements(session: Session, file: string, text: string, keepTransactionControl: boolean): Promise<void> {
  const parsed = parseMigrationSync(file, text);
  refuseUnreplayable(file, parsed);
  if (parsed.syntaxError) {
    const { message, offsets } = parsed.syntaxError;
    throw new MigrationFailed({ code: '42601', message }, { file, sql: text.slice(offsets.start, offsets.end), offsets, lines: parsed.lines });
  }
  for (const s of parsed.statements) {
    if (s.role === 'wrapper' && !keepTransactionControl) continue;
    try {
      await session.query(s.sql);
    } catch (err) {
      throw new MigrationFailed(err, { file, sql: s.sql, offsets: s.offsets, lines: parsed.lines });
    }
  }
}

function send(session: Session, style: ReplayStyle, file: string, text: string): Promise<void> {
  return style.send === 'one-query' ? sendOneQuery(session, file, text) : sendStatements(session, file, text, style.transaction === 'script');
}

async function recordApplied(session: Session, style: ReplayStyle, m: HistoryMigration, index: number): Promise<void> {
  const row = style.record?.(m, index);
  if (row) await session.query(row.sql, row.params);
}

/** Applies one earlier migration and commits it; returns the failure, or null when it applied. */
export async function replayMigration(session: Session, style: ReplayStyle, m: HistoryMigration, index: number, displayPath: DisplayPath): Promise<ReplayFailure | null> {
  const file = displayPath(m.file);
  const ownTransaction = style.transaction === 'tool' && !m.noTransaction;
  try {
    if (ownTransaction) await session.query('BEGIN');
    await send(session, style, file, m.text);
    if (session.transactionState() !== (ownTransaction ? 'in-transaction' : 'idle')) {
      throw new MigrationFailed({ code: '25000', message: ownTransaction ? 'the migration ended the transaction its tool runs it in' : 'the migration left a transaction open' }, undefined);
    }
    await recordApplied(session, style, m, index);
    if (ownTransaction) await session.query('COMMIT');
    return null;
  } catch (err) {
    const failed = err instanceof MigrationFailed ? err : new MigrationFailed(err, undefined);
    const inTransaction = session.transactionState() !== 'idle';
    if (inTransaction) await session.query('ROLLBACK').catch(() => undefined);
    const error = classifyError(failed.failure, failed.where);
    error.file ??= file;
    const line = error.position ? `:${error.position.line}` : '';
    error.message = `earlier migration ${file}${line} failed: ${error.message}`;
    // One simple query is one implicit transaction: a failure leaves none of it behind.
    return { migration: m, error, rolledBack: ownTransaction || style.send === 'one-query' };
  }
}
