// The Session port over one PGlite instance, through PGlite's own API: query() is the extended
// protocol (exactly one statement), exec() the simple protocol a migration tool sends whole files
// with. PGlite has one session and runs statements on this thread, so nothing can cancel one.
import { performance } from 'node:perf_hooks';
import type { PGlite, Results } from '@electric-sql/pglite';
import type { NoticeReport, ServerInfo } from '../../model/report';
import { noticeOf, type NoticeMessage, type PipelineOptions, type PipelineOutcome, type QueryOutcome, type Session, type TransactionState } from '../backend';
import { pgliteHasExtension, unsupportedExtensionHint } from './contrib';

const MISSING_EXTENSION = /^extension "([^"]+)" is not available$/;

// PostgreSQL says only "not available"; say what PGlite has and where else to run.
function explained(err: unknown): unknown {
  const e = err as { code?: string; message?: string; hint?: string } | null;
  const name = e?.code === '0A000' ? MISSING_EXTENSION.exec(e.message ?? '')?.[1] : undefined;
  if (name && !pgliteHasExtension(name) && e) e.hint = unsupportedExtensionHint(name);
  return err;
}

// The commands whose tag carries a row count ("UPDATE 3"); PGlite says 0 for the others ("CREATE TABLE"), pg says nothing.
const COUNTED_COMMANDS = new Set(['INSERT', 'UPDATE', 'DELETE', 'MERGE', 'SELECT', 'COPY', 'MOVE', 'FETCH']);

function rowCountOf(result: Results<Record<string, unknown>>): number | null {
  if (result.command !== undefined) return COUNTED_COMMANDS.has(result.command.split(' ')[0]!.toUpperCase()) ? result.rowCount ?? result.affectedRows ?? null : null;
  return result.rowCount ?? result.affectedRows ?? (result.fields.length > 0 ? result.rows.length : null);
}

/**
 * PGlite has one backend, which every session shares: what a session left (an open transaction,
 * prepared statements, temporary tables, session settings and the role, advisory locks, LISTEN,
 * WITH HOLD cursors, cached plans and sequence values) ends here, so the next one starts as a new
 * connection would. (A LOADed library stays loaded; a custom setting (`SET app.x`) reads as ''
 * instead of unset.)
 */
export async function resetBackend(db: PGlite): Promise<void> {
  if (db.closed) return;
  if (db.isInTransaction()) await db.query('ROLLBACK');
  await db.exec('DISCARD ALL');
}

/** What PGlite running out of stack on a statement is reported as (a limit of the shadow, not of PostgreSQL). */
function stackOverflowError(): Error {
  return Object.assign(new Error('PGlite ran out of stack running this statement: it is nested too deeply for PGlite\'s WebAssembly build'
    + ' (PostgreSQL itself may well run it). What PGlite did with it is unknown, so this shadow instance is not used again.'), {
    code: '58000',
    hint: 'Dry-run it on a server: --shadow-db URL (a scratch database), or --db URL.',
  });
}

/** A session on a PGlite instance; close() releases it (and what it left in the backend) and leaves the instance running. */
export class PgliteSession implements Session {
  readonly backendPid: number;
  private readonly listeners = new Set<(notice: NoticeReport) => void>();
  private failed = false;
  private released = false;

  /** `stackOverflows`: how many times the instance's backend ran out of stack so far (PgliteInstance). */
  constructor(private readonly db: PGlite, readonly serverInfo: ServerInfo, backendPid: number, private readonly onRelease: () => void,
    private readonly stackOverflows: () => number = () => 0) {
    this.backendPid = backendPid;
  }

  /** Runs a call into PGlite; a stack overflow PGlite swallowed during it becomes the call's error. */
  private async call<T>(run: () => Promise<T>): Promise<T> {
    const before = this.stackOverflows();
    let result: T;
    try {
      result = await run();
    } catch (err) {
      this.failed = true;
      // PGlite's own error after an overflow it swallowed is a consequence, not the cause.
      throw this.stackOverflows() > before ? stackOverflowError() : explained(err);
    }
    if (this.stackOverflows() > before) {
      this.failed = true;
      throw stackOverflowError();
    }
    this.failed = false;
    return result;
  }

  private get options() {
    return { onNotice: (n: NoticeMessage) => { for (const l of this.listeners) l(noticeOf(n)); } };
  }

  async query(sql: string, params?: unknown[]): Promise<QueryOutcome> {
    this.assertOpen();
    const result = await this.call(() => this.db.query<Record<string, unknown>>(sql, params ?? [], this.options));
    return {
      rows: result.rows,
      rowCount: rowCountOf(result),
      fields: result.fields.map((f) => f.name),
      command: result.command ?? '',
    };
  }

  // PGlite runs each statement on this thread as it is called: there is no round trip to save, so
  // the statements go one at a time, which also lets a cancel stop the run between two of them.
  async pipeline(statements: readonly string[], options: PipelineOptions = {}): Promise<PipelineOutcome> {
    const outcome: PipelineOutcome = { ran: [] };
    for (const [index, sql] of statements.entries()) {
      if (index > 0 && options.stop?.()) break;
      const notices: NoticeReport[] = [];
      const stop = this.onNotice((n) => notices.push(n));
      const t0 = performance.now();
      try {
        const result = await this.query(sql);
        outcome.ran.push({ rowCount: result.rowCount, notices, durationMs: performance.now() - t0, command: result.command });
      } catch (err) {
        outcome.ran.push({ rowCount: null, notices, durationMs: performance.now() - t0, command: '' });
        outcome.error = err;
        break;
      } finally {
        stop();
      }
      options.onStatementDone?.(index);
    }
    return outcome;
  }

  async execScript(sql: string): Promise<void> {
    this.assertOpen();
    await this.call(() => this.db.exec(sql, this.options));
  }

  onNotice(listener: (notice: NoticeReport) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // PGlite tells "in a transaction block" only; a statement that failed inside one left it aborted
  // until the next ROLLBACK (TO SAVEPOINT) succeeds, which clears `failed`.
  transactionState(): TransactionState {
    if (this.released || this.db.closed) return 'unknown';
    if (!this.db.isInTransaction()) return 'idle';
    return this.failed ? 'failed' : 'in-transaction';
  }

  async cancel(): Promise<void> {
    throw new Error('PGlite cannot cancel a running statement (it runs on this thread); the run stops after it');
  }

  onConnectionLost(): void {
    // In-process: there is no connection to lose.
  }

  async close(): Promise<void> {
    if (this.released) return;
    // Whatever the run left ends here, so the next session (and a snapshot's CHECKPOINT) starts clean.
    await resetBackend(this.db).catch(() => undefined);
    this.released = true;
    this.listeners.clear();
    this.onRelease();
  }

  private assertOpen(): void {
    if (this.released) throw new Error('this PGlite session was closed');
  }
}
