// Applies earlier migrations the way their tool does (replayStyles.ts), each committed before the
// next, and turns a failure into "earlier migration 0042_x.sql:7 failed: …" at its line.
import type { Session } from '../db/backend';
import type { ErrorReport } from '../model/report';
import { LineIndex } from '../model/lineIndex';
import { readDirectives } from '../parse/directives';
import { copiesFromStdin, parseMigrationSync, type ParsedFile, type ParsedStatement } from '../parse/parseMigration';
import type { OffsetRange } from '../model/positions';
import { classifyError, type StatementLocation } from '../run/classify';
import type { HistoryMigration } from './history';
import type { BookkeepingRow, ReplayStyle } from './replayStyles';
import { READY_FOR_LOOK, SPLIT_CHECK, SPLIT_DIFFERS, splitsAsParsed } from './replaySessionCheck';
import { quoteLiteral } from '../sql/quoting';
import { cannotEndTransaction, firstTransactionEnd, querySegments, runsAloneAsInBlock, surelyRunsAsInBlock, type QuerySegment } from './transactionShape';

/** An earlier migration that failed in the shadow (or was refused: it reaches beyond the shadow). */
export interface ReplayFailure {
  migration: HistoryMigration;
  /** Classified, at the failing line of the earlier file, its message prefixed with where it happened. */
  error: ErrorReport;
  /** True when nothing of the failed migration stayed (it ran in a transaction that was rolled back). */
  rolledBack: boolean;
  /** True when the shadow refused the migration instead of the server failing it. */
  refused?: boolean;
  /** Changes outside the shadow that stay on its server (committed by a statement that commits by itself, before the guard could look). */
  serverChanged?: string[];
  /** Changes outside the shadow that Drydock undid ("replication slot x"). */
  undone?: string[];
}

/** What became of a change the guard refused. */
export interface RefusalOutcome {
  /** The statement that made it had committed when the guard looked (it commits by itself). */
  committed: boolean;
  /** It committed with a COMMIT of Drydock's, after the guard's look (what ran at that COMMIT made it). */
  atCommit?: boolean;
  /** What Drydock undid that a rollback does not ("replication slot x"). */
  dropped: string[];
  /** What stays changed on the server ("role dev changed"). */
  stays: string[];
}

/** A statement the shadow refuses, before it is sent or once it changed what the shadow may not change. */
export class ShadowRefusal extends Error {
  constructor(
    /** What it does, and why that is refused. */
    readonly reason: string,
    readonly where: StatementLocation | undefined,
    readonly outcome: RefusalOutcome,
  ) {
    super(reason);
  }
}

/** Where a refusal's message sends the user. */
export const SEAL_HINT = 'A scratch database shares roles, settings and the server itself with every other database on its server. '
  + 'Use the PGlite shadow (leave out --shadow-db, or drydock.shadowConnection in the editor), or point the shadow at a disposable server.';

/**
 * Checks, as a migration replays, that it changes nothing the shadow may not change: the scratch
 * database's host watches the server around it (scratchDatabase.ts); PGlite needs none. With a
 * guard, statements that would commit by themselves run in a BEGIN … COMMIT of Drydock's wherever
 * that changes nothing of what they do (transactionShape.ts), so it looks before they commit.
 */
export interface ReplayGuard {
  /** Before the migration runs; `ownTransaction`: Drydock commits it (else its statements commit themselves). */
  beforeMigration(m: HistoryMigration, ownTransaction: boolean): Promise<void>;
  /**
   * In a transaction right before Drydock sends its COMMIT: the migration's, one Drydock opened
   * around statements that would commit by themselves, or the file's own before its COMMIT
   * (`where` undefined: the change may be any statement's of the transaction). Throws a
   * ShadowRefusal; the transaction is then rolled back. `readied`: READY_FOR_LOOK ended the
   * transaction's last query.
   */
  beforeCommit(session: Session, where: StatementLocation | undefined, readied?: boolean): Promise<void>;
  /**
   * After a statement that committed by itself (one PostgreSQL runs otherwise inside a transaction
   * block), or after a COMMIT of a transaction the guard looked at whose read-only seal may not have
   * held at COMMIT (`atCommit`: a savepoint may have been open); throws a ShadowRefusal.
   */
  afterStatement(session: Session, where: StatementLocation | undefined, atCommit?: boolean): Promise<void>;
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

/** Runs a guard's check, turning anything but a refusal into the failure of the statements it looks at. */
async function checked(check: () => Promise<void>, where: StatementLocation | undefined): Promise<void> {
  try {
    await check();
  } catch (err) {
    if (err instanceof ShadowRefusal) throw err;
    throw new MigrationFailed(err, where);
  }
}

/** Replay sessions whose last query was Drydock's COMMIT with a split check that passed (no migration text was sent since). */
const splitChecked = new WeakSet<Session>();

/** Sends migration text (one statement, or one query of several), turning the server's error into this place's failure. */
async function sent(session: Session, send: (session: Session) => Promise<unknown>, where: StatementLocation): Promise<void> {
  // It may change how the session splits the next query: only a COMMIT of Drydock's checks that again.
  splitChecked.delete(session);
  try {
    await send(session);
  } catch (err) {
    throw new MigrationFailed(err, where);
  }
}

/** Runs `body` in a transaction of Drydock's that the guard looks at before its COMMIT: statements that would commit by themselves, committed the same. */
async function guardedTransaction(session: Session, guard: ReplayGuard, where: StatementLocation | undefined, body: () => Promise<void>): Promise<void> {
  await session.query('BEGIN');
  await body();
  await checked(() => guard.beforeCommit(session, where), where);
  // Nothing of the body can leave a savepoint open: runsAloneAsInBlock keeps transaction statements out.
  await commitLooked(session, guard, where, false);
}

/**
 * Seals a transaction the guard just looked at: READ ONLY, so whatever still runs at its COMMIT
 * (a deferred trigger that a trigger the look fired queued after SET CONSTRAINTS … DEFERRED) can
 * write nothing PostgreSQL checks for read-only transactions: no table, catalog, role, setting or
 * sequence. A transaction cannot be made read-write again once it has run a query. PostgreSQL
 * restores the mode a subtransaction started with when the subtransaction ends, and COMMIT ends
 * every open subtransaction before the deferred triggers run: a savepoint left open at the look
 * lets them write again. Such a transaction's COMMIT is followed by a read of the shared state.
 */
const SEAL = 'SET TRANSACTION READ ONLY';

/** What a deferred trigger's write at a sealed COMMIT is refused as. */
const WROTE_AT_COMMIT = 'something ran at COMMIT, after the shadow had looked at what the transaction changed (a deferred trigger queued by a trigger '
  + 'the look fired, after SET CONSTRAINTS … DEFERRED), and tried to write: the shadow commits a transaction it looked at read-only, so it failed';

/** True when a text may leave a savepoint open at its end (a SAVEPOINT can only be a top-level statement of the text). */
function mayNest(text: string): boolean {
  return /\bsavepoint\b/i.test(text);
}

/**
 * Commits the transaction the guard just looked at, sealed (SEAL), and checks in the same round
 * trip how the session splits the next query. `commit`: the statement that commits (the file's own,
 * or Drydock's). A pipeline says which of its statements failed: a failed COMMIT rolled the
 * transaction back, whatever its error (a deferred trigger can raise any code, 22012 too); a
 * failed check comes after the COMMIT, which stands. `nested`: a savepoint may be open (see SEAL).
 */
async function commitLooked(session: Session, guard: ReplayGuard, where: StatementLocation | undefined, nested: boolean, commit = 'COMMIT', tail: readonly string[] = [SPLIT_CHECK]): Promise<void> {
  const outcome = await session.pipeline([SEAL, commit, ...tail]);
  const failedAt = outcome.error === undefined ? -1 : outcome.ran.length - 1;
  if (failedAt === 0 || failedAt === 1) {
    const err = outcome.error as { code?: string; message?: string };
    if (failedAt === 1 && err.code === '25006') throw new ShadowRefusal(`${WROTE_AT_COMMIT} (${err.message ?? ''})`, where, { committed: false, dropped: [], stays: [] });
    throw new MigrationFailed(outcome.error, where);
  }
  // Committed. A failed check leaves the session unmarked: the next file sent as one query is checked again (and refused).
  if (failedAt === -1 && tail[0] === SPLIT_CHECK) splitChecked.add(session);
  if (nested) await checked(() => guard.afterStatement(session, where, true), where);
}

/**
 * Before a file sent as one query on a guarded replay, whose statements Drydock read with its
 * parser: the split check, unless the query before was a COMMIT that ran it.
 */
async function checkSplit(session: Session, where: StatementLocation): Promise<void> {
  if (splitChecked.delete(session)) return;
  try {
    await session.query(SPLIT_CHECK);
  } catch (err) {
    if ((err as { code?: string }).code !== '22012') throw err;
    throw new MigrationFailed({ code: '0A000', message: SPLIT_DIFFERS }, where);
  }
}

/**
 * Sends a piece of a transaction of a file sent as one query. The tool sends the file as one
 * query, split before any of it runs; Drydock sends each piece as a query of its own, so a piece
 * after the first is split only after the ones before it ran, and they may have changed how
 * (a SET before the file's own BEGIN): checked again first, without taking a snapshot.
 */
async function sentPiece(session: Session, index: number, send: (session: Session) => Promise<unknown>, where: StatementLocation): Promise<void> {
  if (index > 0 && !(await splitsAsParsed(session))) throw new MigrationFailed({ code: '0A000', message: SPLIT_DIFFERS }, where);
  await sent(session, send, where);
}

/** The bookkeeping row as SQL text (its parameters written as literals), to end a query with. */
function rowText(row: BookkeepingRow): string {
  return row.sql.replace(/\$(\d+)/g, (_, n: string) => quoteLiteral(String(row.params[Number(n) - 1])));
}

/**
 * Refuses, before anything is sent, a migration its tool runs in a transaction that holds a
 * statement ending that transaction: what follows it would commit statement by statement,
 * unlike the tool's transaction (nothing of it would be rolled back on a failure), and unchecked.
 */
function refuseTransactionEnd(file: string, parsed: ParsedFile, statements: readonly ParsedStatement[]): void {
  const end = firstTransactionEnd(statements);
  if (!end) return;
  throw new MigrationFailed({ code: '25000', message: `${end.kind} ends the transaction its tool runs the migration in (what follows would run outside it); the shadow sent none of the migration` },
    { file, sql: end.sql, offsets: end.offsets, lines: parsed.lines });
}

/** Where a query's pieces are, for messages. */
function segmentPlace(file: string, runnable: string, lines: LineIndex, segment: QuerySegment): StatementLocation {
  const first = segment.pieces[0];
  const last = segment.pieces[segment.pieces.length - 1];
  const offsets: OffsetRange = first && last ? { start: first.start, end: last.end } : { start: 0, end: 0 };
  return { file, sql: runnable.slice(offsets.start, offsets.end), offsets, lines };
}

interface Sending {
  session: Session;
  file: string;
  text: string;
  /** Drydock opened the transaction the migration runs in (the tool's). */
  ownTransaction: boolean;
  /** Present on a scratch database: statements that would commit by themselves are looked at before they do. */
  guard: ReplayGuard | null;
  /**
   * The tool's bookkeeping row, written in the last transaction the guard looks at when the
   * migration ends with one (it commits in one of its own with the tool: nothing else runs between).
   */
  record: BookkeepingRow | null;
  /** A file sent as one query in the tool's transaction ends its query with the bookkeeping row and READY_FOR_LOOK (a round trip each less). */
  readyLook: boolean;
  /** What of the migration has committed so far, for the report of a failure after it. */
  progress: Progress;
}

/** What of a migration that commits part by part (its own COMMIT in a query the guard splits) has committed. */
interface Progress {
  /** The end (offset in the runnable text) of the last part that committed, or null. */
  committedThrough: number | null;
  /** True when a failure cannot be placed before or after the file's own COMMIT (one query of several transactions, sent whole). */
  unplaceable: boolean;
}

/** What ends the last query of a transaction the guard looks at next: the bookkeeping row, and the look's readying. */
function lookTail(record: BookkeepingRow | null): string {
  return `${record ? `\n;${rowText(record)}` : ''}\n;${READY_FOR_LOOK}`;
}

/** Sends a file as one query; true when the bookkeeping row was written with its last transaction. */
async function sendOneQuery({ session, file, text, ownTransaction, guard, record, readyLook, progress }: Sending): Promise<boolean> {
  const runnable = readDirectives(text).runnableText;
  let parsed: ParsedFile | null = null;
  const parse = () => (parsed ??= parseMigrationSync(file, text));
  // Parsed only to refuse what would hang or cannot run; a syntax error is left to the server to report.
  if (MAY_BE_UNREPLAYABLE.test(text)) refuseUnreplayable(file, parse());
  const lines = new LineIndex(text);
  const whole = { file, sql: runnable, offsets: { start: 0, end: runnable.length }, lines };
  if (ownTransaction && !cannotEndTransaction(runnable)) refuseTransactionEnd(file, parse(), parse().statements);
  if (ownTransaction || !guard) {
    // Outside a tool's transaction, its own COMMIT ends one transaction of several: the server does not say which statement failed.
    if (!ownTransaction && !cannotEndTransaction(runnable)) progress.unplaceable = firstTransactionEnd(parse().statements) !== null;
    await sent(session, (q) => q.execScript(readyLook ? runnable + lookTail(record) : runnable), whole);
    return readyLook && record !== null;
  }
  // Its statements commit by themselves: sent as the transactions they are (one implicit block, or
  // the blocks its own BEGIN, COMMIT and ROLLBACK make), each in Drydock's BEGIN … COMMIT.
  const segments = surelyRunsAsInBlock(runnable) ? [{ pieces: [whole.offsets], ends: 'commit' as const }] : querySegments(parse());
  if (!segments) {
    if (!cannotEndTransaction(runnable)) progress.unplaceable = firstTransactionEnd(parse().statements) !== null;
    await checkSplit(session, whole);
    await sent(session, (q) => q.execScript(runnable), whole);
    await checked(() => guard.afterStatement(session, whole), whole);
    return false;
  }
  for (const [i, segment] of segments.entries()) {
    const where = segmentPlace(file, runnable, lines, segment);
    const last = i === segments.length - 1;
    if (segment.ends === 'commit') {
      // The last piece's query also writes the bookkeeping row and readies the look (a round trip each less).
      const tail = lookTail(last ? record : null);
      await checkSplit(session, where);
      await session.query('BEGIN');
      for (const [p, piece] of segment.pieces.entries()) {
        const sql = runnable.slice(piece.start, piece.end);
        await sentPiece(session, p, (q) => q.execScript(p === segment.pieces.length - 1 ? sql + tail : sql), { ...where, sql, offsets: piece });
      }
      await checked(() => guard.beforeCommit(session, where, true), where);
      await commitLooked(session, guard, where, mayNest(where.sql));
      progress.committedThrough = where.offsets.end;
      if (last) return record !== null;
      continue;
    }
    await checkSplit(session, where);
    await session.query('BEGIN');
    for (const [p, piece] of segment.pieces.entries()) {
      const sql = runnable.slice(piece.start, piece.end);
      await sentPiece(session, p, (q) => q.execScript(sql), { ...where, sql, offsets: piece });
    }
    // A ROLLBACK ends it; a BEGIN the text never ends leaves it open (the replay then fails, as the tool's next step would).
    if (segment.ends === 'rollback') await session.query('ROLLBACK');
  }
  return false;
}

/** Sends a file statement by statement; true when the bookkeeping row was written with its last transaction. */
async function sendStatements({ session, file, text, ownTransaction, guard, record }: Sending, keepTransactionControl: boolean): Promise<boolean> {
  const nested = mayNest(text);
  const parsed = parseMigrationSync(file, text);
  refuseUnreplayable(file, parsed);
  if (parsed.syntaxError) {
    const { message, offsets } = parsed.syntaxError;
    throw new MigrationFailed({ code: '42601', message }, { file, sql: text.slice(offsets.start, offsets.end), offsets, lines: parsed.lines });
  }
  const sending = parsed.statements.filter((s) => s.role !== 'wrapper' || keepTransactionControl);
  if (ownTransaction) refuseTransactionEnd(file, parsed, sending);
  for (const s of sending) {
    const where = { file, sql: s.sql, offsets: s.offsets, lines: parsed.lines };
    const idle = session.transactionState() === 'idle';
    // The file's own COMMIT: its transaction is checked while it can still be rolled back, then committed sealed.
    if (guard && s.transactionControl === 'commit' && !idle) {
      await checked(() => guard.beforeCommit(session, undefined), undefined);
      await commitOwn(session, guard, where, nested, s);
      continue;
    }
    // A statement that would commit by itself is looked at before it commits, where a transaction block changes nothing of it.
    if (guard && idle && runsAloneAsInBlock(s)) {
      const last = s === sending[sending.length - 1];
      await guardedTransaction(session, guard, where, async () => {
        await sent(session, (q) => q.query(s.sql), where);
        if (last && record) await session.query(record.sql, record.params);
      });
      if (last) return record !== null;
      continue;
    }
    await sent(session, (q) => q.query(s.sql), where);
    if (guard && session.transactionState() === 'idle') await checked(() => guard.afterStatement(session, where), where);
  }
  return false;
}

/**
 * Sends the file's own COMMIT of a transaction the guard looked at, sealed. COMMIT AND CHAIN starts
 * the next transaction with the same modes: the seal's READ ONLY is taken back there (before its
 * first query, when PostgreSQL allows it) unless the transaction was read-only already.
 */
async function commitOwn(session: Session, guard: ReplayGuard, where: StatementLocation, nested: boolean, s: ParsedStatement): Promise<void> {
  splitChecked.delete(session);
  const chains = 'TransactionStmt' in s.node && s.node.TransactionStmt.chain === true;
  if (!chains) return commitLooked(session, guard, where, nested, s.sql);
  const readOnly = Object.values((await session.query('SHOW transaction_read_only')).rows[0] ?? {})[0] === 'on';
  await commitLooked(session, guard, where, nested, s.sql, readOnly ? [] : ['SET TRANSACTION READ WRITE']);
}

/** Sends the migration as its tool does (`guard` looks at each step of a migration Drydock does not commit); true when it wrote the bookkeeping row. */
function send(style: ReplayStyle, sending: Sending): Promise<boolean> {
  return style.send === 'one-query' ? sendOneQuery(sending) : sendStatements(sending, style.transaction === 'script');
}



/** How a refused change ended: rolled back, or committed before the guard could look; what of it Drydock undid, and what stays. */
function refusalEnding({ committed, atCommit, dropped, stays }: RefusalOutcome): string {
  const undid = dropped.length > 0 ? `Drydock dropped ${dropped.join(', ')}` : '';
  const how = atCommit
    ? 'what ran at its COMMIT, after the shadow had looked, changed it (a savepoint left open let a deferred trigger write)'
    : 'PostgreSQL runs this statement outside a transaction block';
  const ended = committed ? `it had committed (${how})` : 'rolled back';
  if (stays.length > 0) return `${ended}, and the server stays changed: ${stays.join(', ')}${undid ? ` (${undid})` : ''}`;
  if (committed) return `${ended}; ${undid}, so the server is as it was`;
  return undid ? `${ended}, and ${undid}` : ended;
}

/** What of a failed migration had committed already, for its message ('' when none of it). */
function partEnding(text: string, { committedThrough, unplaceable }: Progress): string {
  const runnable = readDirectives(text).runnableText;
  if (committedThrough !== null) {
    return `; its statements through line ${new LineIndex(runnable).positionAt(Math.max(committedThrough - 1, 0)).line} had committed (the file's own COMMIT ends them), what follows was rolled back`;
  }
  return unplaceable ? '; what came before its own COMMIT may have committed (sent as one query, the server does not say which statement failed)' : '';
}

/** The classified report of a refusal: the statement's place, what it does, and where to run such a migration instead. */
export function refusalError(reason: string, where: StatementLocation | undefined): ErrorReport {
  return { ...classifyError({ code: 'DRY06', message: reason, hint: SEAL_HINT }, where), title: 'Reaches beyond the scratch database' };
}

/** Applies one earlier migration and commits it; returns the failure, or null when it applied. */
export async function replayMigration(session: Session, style: ReplayStyle, m: HistoryMigration, index: number, displayPath: DisplayPath, guard?: ReplayGuard): Promise<ReplayFailure | null> {
  const file = displayPath(m.file);
  const ownTransaction = style.transaction === 'tool' && !m.noTransaction;
  const progress: Progress = { committedThrough: null, unplaceable: false };
  try {
    refuseBinary(file, m.text);
    await guard?.beforeMigration(m, ownTransaction);
    const sendGuard = ownTransaction ? null : guard ?? null;
    const readyLook = ownTransaction && guard !== undefined && style.send === 'one-query';
    if (readyLook) await checkSplit(session, { file, sql: m.text, offsets: { start: 0, end: m.text.length }, lines: new LineIndex(m.text) });
    if (ownTransaction) await session.query('BEGIN');
    const row = style.record?.(m, index) ?? null;
    const recorded = await send(style, { session, file, text: m.text, ownTransaction, guard: sendGuard, record: sendGuard || readyLook ? row : null, readyLook, progress });
    if (session.transactionState() !== (ownTransaction ? 'in-transaction' : 'idle')) {
      throw new MigrationFailed({ code: '25000', message: ownTransaction ? 'the migration ended the transaction its tool runs it in' : 'the migration left a transaction open' }, undefined);
    }
    // In the migration's transaction; else in one of its own the guard looks at (a trigger on the tool's table runs too).
    const record = async () => { if (row) await session.query(row.sql, row.params); };
    if (row && !recorded) await (sendGuard ? guardedTransaction(session, sendGuard, undefined, record) : record());
    if (ownTransaction) {
      await guard?.beforeCommit(session, undefined, readyLook);
      await (guard ? commitLooked(session, guard, undefined, mayNest(m.text)) : session.query('COMMIT'));
    }
    return null;
  } catch (err) {
    const inTransaction = session.transactionState() !== 'idle';
    if (inTransaction) await session.query('ROLLBACK').catch(() => undefined);
    if (err instanceof ShadowRefusal) {
      // Without a statement, the migration as a whole made the change (somewhere in its transaction).
      const error = refusalError(err.reason, err.where);
      error.file ??= file;
      error.message = `earlier migration ${file}${error.position ? `:${error.position.line}` : ''} refused: ${err.reason}; ${refusalEnding(err.outcome)}`;
      const { stays, dropped } = err.outcome;
      return { migration: m, error, rolledBack: !err.outcome.committed, refused: true, ...(stays.length > 0 ? { serverChanged: stays } : {}), ...(dropped.length > 0 ? { undone: dropped } : {}) };
    }
    const failed = err instanceof MigrationFailed ? err : new MigrationFailed(err, undefined);
    const error = classifyError(failed.failure, failed.where);
    error.file ??= file;
    const line = error.position ? `:${error.position.line}` : '';
    error.message = `earlier migration ${file}${line} failed: ${error.message}${partEnding(m.text, progress)}`;
    // One simple query is one implicit transaction, unless the file's own COMMIT ends one of several in it.
    const partly = progress.committedThrough !== null || progress.unplaceable;
    return { migration: m, error, rolledBack: ownTransaction || (style.send === 'one-query' && !partly) };
  } finally {
    // Its record is written before and as the migration runs: a failure to tidy it up loses nothing.
    await guard?.afterMigration(m).catch(() => undefined);
  }
}
