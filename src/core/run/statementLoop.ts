// Runs every statement of the files in order, each between the probes' before and after hooks, and
// stops at the first failure (the rest are reported skipped). Statements are sent as they are,
// one after the other in the run's transaction, exactly as `psql -1` would send them: no savepoint
// or anything else between them that could change what PostgreSQL does (a savepoint, for one,
// makes an enum value added earlier in the transaction "unsafe" to use). A probe that needs the
// transaction after a failure asks the run to rebuild it (ProbeRun.reopen).
//
// In a transaction, consecutive statements for which every probe is quiet go in one pipeline: the
// server runs them back to back as psql would, without a round trip each (on a history of a few
// hundred migrations that is a third of psql's own time), and their hooks are called in order once
// it answered. A statement a probe must ask the catalog about first (and only first) heads a
// pipeline: its before hooks run, then it goes with the quiet statements after it. A pipeline changes nothing PostgreSQL does: each statement is its own extended-
// protocol statement in the same transaction, and after a failure the server runs none of the rest.
import { performance } from 'node:perf_hooks';
import { maskSecrets } from '../db/connection';
import type { PipelineOutcome, PipelinedResult } from '../db/backend';
import type { StatementReport, TransactionEnded } from '../model/report';
import { doBodyStart } from '../parse/innerStatements';
import { quoteLiteral } from '../sql/quoting';
import type { ParsedStatement } from '../parse/parseMigration';
import type { CheckedFile } from '../rules/checkMigration';
import { classifyError } from './classify';
import { refusalToSend } from './sendCheck';
import type { StatementOutcome, StatementProbe } from './probes/probe';
import type { RunState } from './runState';

/** A statement's report before it runs. */
export function statementReport(s: ParsedStatement, status: StatementReport['status'], note?: string): StatementReport {
  const report: StatementReport = {
    file: s.file, index: s.index, sql: s.sql, kind: s.kind, range: s.range, offsets: s.offsets,
    status, durationMs: 0, rows: null, notices: [], locks: [], rewrites: [], scans: [],
  };
  if (note) report.note = note;
  return report;
}

/** Progress of a run: which statement is about to run. */
export interface RunProgress {
  file: string;
  statementIndex: number;
  /** Statements finished so far, across all files. */
  done: number;
  total: number;
  kind: string;
}

/** What the loop needs besides the run's state. */
export interface StatementLoopOptions {
  files: readonly CheckedFile[];
  probes: readonly StatementProbe[];
  inTransaction: boolean;
  onProgress?: (progress: RunProgress) => void;
}

// At most this many statements, or this much SQL, in one pipeline: a backend that cannot cancel
// (PGlite) stops between statements, and a report fills in as pipelines answer.
const PIPELINE_STATEMENTS = 200;
const PIPELINE_CHARS = 1 << 20;

// Statements that could end or replace the run's transaction end their pipeline, so that nothing
// is sent behind one before the run has checked the transaction is still open. (The server refuses
// a COMMIT from a DO block or a procedure inside a transaction block; the check is the run's own.)
// COPY ends one too: the protocol's copy mode ignores what was sent behind it.
const RUN_LAST = new Set(['TransactionStmt', 'DoStmt', 'CallStmt', 'CopyStmt']);

/**
 * Where a statement may go: in a pipeline anywhere (no probe asks anything for it), at the head of
 * one (a probe asks before it, nothing after), at its end (nothing may be sent behind it before
 * the transaction is checked), or alone.
 */
type Placement = 'anywhere' | 'head' | 'tail' | 'alone';

/** Runs every statement in order; false once one failed or the run was cancelled. */
export async function runStatements(run: RunState, options: StatementLoopOptions): Promise<boolean> {
  const t0 = performance.now();
  const succeeded = await new StatementLoop(run, options).run();
  if (succeeded) {
    for (const probe of options.probes) {
      try {
        await probe.finish?.();
      } catch {
        // A measurement that could not be finished is left out; verification falls back to what the files predict.
      }
    }
  }
  run.report.timings.executeMs = performance.now() - t0;
  return succeeded;
}

class StatementLoop {
  private readonly all: ParsedStatement[];
  private readonly fileOf = new Map<string, CheckedFile>();
  /** Each sent statement's placement, the probes asked once (see StatementProbe.quietFor). */
  private readonly placements = new Map<ParsedStatement, Placement>();
  /** What the send check said of each statement it was asked about (null: may be sent). */
  private readonly refusals = new Map<ParsedStatement, string | null>();
  /** Statements at the head of a pipeline whose before hooks already ran, with their reports. */
  private readonly heads = new Map<ParsedStatement, StatementReport>();
  private failed = false;
  private done = 0;

  constructor(private readonly state: RunState, private readonly options: StatementLoopOptions) {
    this.all = options.files.flatMap((f) => f.statements);
    for (const f of options.files) if (!this.fileOf.has(f.file)) this.fileOf.set(f.file, f);
  }

  async run(): Promise<boolean> {
    let i = 0;
    while (i < this.all.length) {
      const s = this.all[i]!;
      if (this.failed || this.state.cancelled || sqlToRun(this.state.mode, s) === null) {
        this.record(this.unsent(s));
        i += 1;
        continue;
      }
      const refusal = this.refusalToSend(s);
      if (refusal !== null) {
        this.record(this.refused(s, refusal));
        i += 1;
        continue;
      }
      const placement = this.placementOf(s);
      if (placement === 'alone' || placement === 'tail') {
        this.progress(s);
        this.record(await this.runAlone(s));
        i += 1;
        continue;
      }
      // A statement at the head of a pipeline has its before hooks called first; the statements
      // after it are asked about once those ran (they may have asked the catalog).
      if (placement === 'head') {
        const report = this.sentReport(s, sqlToRun(this.state.mode, s)!);
        if (!(await runBeforeProbes(this.state, this.options.probes, { statement: s, report }))) {
          this.record(report);
          i += 1;
          continue;
        }
        this.heads.set(s, report);
      }
      const group = this.quietGroupFrom(i);
      await this.runPipelined(group);
      i += group.length;
    }
    return !this.failed && !this.state.cancelled;
  }

  private record(report: StatementReport): void {
    this.state.report.statements.push(report);
    this.done += 1;
    if (report.status === 'failed') this.failed = true;
  }

  private progress(s: ParsedStatement): void {
    this.options.onProgress?.({ file: s.file, statementIndex: s.index, done: this.done, total: this.all.length, kind: s.kind });
  }

  /** Where the statement may go, every probe asked once (each sees every statement). */
  private placementOf(s: ParsedStatement): Placement {
    const known = this.placements.get(s);
    if (known !== undefined) return known;
    let asks: 'nothing' | 'before' | 'always' = this.options.inTransaction ? 'nothing' : 'always';
    for (const probe of this.options.probes) {
      const quiet = probe.quietFor?.(s) ?? false;
      if (quiet === false) asks = 'always';
      else if (quiet === 'before' && asks === 'nothing') asks = 'before';
    }
    // An opaque statement (no parse tree) could be a CALL: nothing goes behind it unchecked either.
    const last = s.opaque !== null || RUN_LAST.has(Object.keys(s.node)[0] ?? '');
    const placement: Placement = asks === 'always' || (asks === 'before' && last) ? 'alone' : asks === 'before' ? 'head' : last ? 'tail' : 'anywhere';
    this.placements.set(s, placement);
    return placement;
  }

  /** The statement at `start` and the quiet ones after it (with the unsent ones among them), up to the limits. */
  private quietGroupFrom(start: number): ParsedStatement[] {
    const group = [this.all[start]!];
    let sent = 1;
    let chars = group[0]!.sql.length;
    for (let j = start + 1; j < this.all.length && sent < PIPELINE_STATEMENTS && chars < PIPELINE_CHARS; j++) {
      const s = this.all[j]!;
      const sql = sqlToRun(this.state.mode, s);
      // A statement the runner refuses to send starts the next step, where it is refused.
      if (sql !== null && this.refusalToSend(s) !== null) break;
      const placement = sql === null ? 'anywhere' : this.placementOf(s);
      if (placement === 'head' || placement === 'alone') break;
      group.push(s);
      if (sql === null) continue;
      sent += 1;
      chars += sql.length;
      if (placement === 'tail') break;
    }
    return group;
  }

  /** What Drydock's own queries must know of statements about to be sent (ownQueries.ts): settings may change, prepared statements may go. */
  private noteSent(statements: readonly ParsedStatement[]): void {
    this.state.settingsTouched = true;
    for (const s of statements) if ('DeallocateStmt' in s.node || 'DiscardStmt' in s.node) this.state.deallocations += 1;
  }

  /** Why the runner will not send the statement (sendCheck.ts), or null; asked once per statement. */
  private refusalToSend(s: ParsedStatement): string | null {
    let known = this.refusals.get(s);
    if (known === undefined) {
      known = refusalToSend(s, sqlToRun(this.state.mode, s)!, this.options.inTransaction);
      this.refusals.set(s, known);
    }
    return known;
  }

  /** The report of a statement the runner would not send: failed, and the run stops before it. */
  private refused(s: ParsedStatement, reason: string): StatementReport {
    const report = statementReport(s, 'failed');
    const file = this.fileOf.get(s.file)!;
    report.error = {
      ...classifyError({ code: 'DRY04', message: `Drydock refused to send this statement: ${reason}. Nothing after it ran.` }, { file: file.file, sql: s.sql, offsets: s.offsets, lines: file.lines }),
      title: 'Refused before sending',
    };
    this.state.fail(report.error);
    return report;
  }

  /** The report of a statement that is not sent: skipped, or simulated without executing (a cancel counts only for a statement the run had not reached). */
  private unsent(s: ParsedStatement, reached = false): StatementReport {
    const cancelled = this.state.cancelled && !reached;
    if (this.failed || cancelled) {
      return statementReport(s, 'skipped', cancelled && !this.failed ? 'not run: the run was cancelled' : 'not run: an earlier statement failed');
    }
    if (s.role === 'wrapper') return statementReport(s, 'skipped', 'transaction wrapper: Drydock runs the files in its own transaction');
    return statementReport(s, 'simulated', `not executed: ${s.outsideTransaction!.reason}; a dry-run cannot run it and roll it back`);
  }

  /** The report a sent statement starts with: ok, or simulated with what ran instead. */
  private sentReport(s: ParsedStatement, sql: string): StatementReport {
    const simulated = this.state.mode.simulatesOutsideTransaction && s.outsideTransaction !== null;
    return statementReport(s, simulated ? 'simulated' : 'ok', simulated ? `ran as: ${sql} (${s.outsideTransaction!.reason})` : undefined);
  }

  /** One statement on its own: its probes' before hooks, the statement, their after hooks. */
  private async runAlone(s: ParsedStatement): Promise<StatementReport> {
    const sql = sqlToRun(this.state.mode, s)!;
    const report = this.sentReport(s, sql);
    const probed = { statement: s, report };
    if (!(await runBeforeProbes(this.state, this.options.probes, probed))) return report;
    // A cancel while the before hooks asked the server found nothing running: honour it here.
    if (this.state.cancelled) return this.unsent(s);
    this.state.running = true;
    this.noteSent([s]);
    const outcome = await this.state.openSession.pipeline([sql]);
    this.state.running = false;
    const broken = await this.transactionBroken([s], outcome);
    await this.settle(probed, outcome.ran[0]!, outcome.error, true, broken?.ended);
    return report;
  }

  /** Quiet statements in one pipeline; then, in order, each one's report and hooks. */
  private async runPipelined(group: readonly ParsedStatement[]): Promise<void> {
    const sqls = group.map((s) => sqlToRun(this.state.mode, s));
    const sent = group.flatMap((s, position) => {
      const sql = sqls[position] ?? null;
      return sql === null ? [] : [{ statement: s, sql }];
    });
    // A cancel while a head's before hooks asked the server found nothing running: honour it here.
    if (this.state.cancelled) {
      for (const s of group) this.record(this.unsent(s));
      this.heads.clear();
      return;
    }
    this.progress(sent[0]!.statement);
    const base = this.done;
    const onStatementDone = (index: number): void => {
      const next = sent[index + 1];
      try {
        if (next) this.options.onProgress?.({ file: next.statement.file, statementIndex: next.statement.index, done: base + index + 1, total: this.all.length, kind: next.statement.kind });
      } catch {
        // Called from inside the driver's reading of the answers: a listener's failure must not break that.
      }
    };
    this.state.running = true;
    this.noteSent(sent.map((x) => x.statement));
    const outcome = await this.state.openSession.pipeline(sent.map((x) => x.sql), { onStatementDone, stop: () => this.state.cancelled });
    this.state.running = false;
    const broken = await this.transactionBroken(sent.slice(0, outcome.ran.length).map((x) => x.statement), outcome);
    // The statements up to the last one answered were reached: a cancel that came later is not theirs.
    const lastAnswered = outcome.ran.length === 0 ? -1 : group.indexOf(sent[outcome.ran.length - 1]!.statement);
    let answered = 0;
    for (const [position, s] of group.entries()) {
      const sql = sqls[position] ?? null;
      // After a statement that ended the transaction, the server went on running what followed it, each on its own.
      const ranOnItsOwn = broken !== null && answered > broken.at && answered < outcome.ran.length;
      const result = (this.failed && !ranOnItsOwn) || sql === null ? undefined : outcome.ran[answered];
      // Unsent, after the failure, or not reached before a cancel (what ran before it is reported as it ran).
      if (sql === null || (this.failed && !ranOnItsOwn) || (!result && this.state.cancelled)) {
        this.record(this.unsent(s, position < lastAnswered));
        continue;
      }
      answered += 1;
      const head = this.heads.get(s);
      this.heads.delete(s);
      const report = head ?? this.sentReport(s, sql);
      const probed = { statement: s, report };
      if (!head) {
        for (const probe of this.options.probes) {
          try {
            await probe.before?.(probed);
          } catch {
            // Quiet hooks do not use the session: a failure of one is the probe's alone.
          }
        }
      }
      if (!result) {
        // The server answered fewer statements than it was sent without an error: never seen, but never taken for a success.
        await this.settle(probed, { rowCount: null, notices: [], durationMs: 0, command: '' }, { code: 'DRY03', message: 'Drydock got no answer for this statement from the server' }, true);
      } else {
        const last = answered === outcome.ran.length;
        await this.settle(probed, result, last ? outcome.error : undefined, last, broken?.at === answered - 1 ? broken.ended : undefined);
        if (ranOnItsOwn) report.note = 'ran after the statement that ended Drydock\'s transaction: outside any transaction, so it stayed (unless it failed)';
      }
      this.record(report);
    }
  }

  /**
   * Fills in the statement's report from its answer, checks the transaction is still open after
   * it (when it is the last one sent so far), and calls the probes' after hooks.
   */
  private async settle(probed: { statement: ParsedStatement; report: StatementReport }, result: PipelinedResult, error: unknown, last: boolean, ended?: TransactionEnded): Promise<void> {
    const { statement: s, report } = probed;
    const run = this.state;
    report.rows = result.rowCount;
    report.notices = result.notices;
    report.durationMs = result.durationMs;
    let failure = error;
    if (ended) {
      run.report.transactionEnded = ended;
      if (ended.effect === 'committed' || ended.effect === 'unknown') run.report.committed = true;
      failure = { code: 'DRY05', message: transactionEndedMessage(ended) };
    }
    const outcome: StatementOutcome = { connectionLost: false, sessionUsable: true };
    if (failure !== undefined) {
      const file = this.fileOf.get(s.file)!;
      report.status = 'failed';
      report.error = classifyError(run.connectionLost ?? failure, { file: file.file, sql: s.sql, offsets: s.offsets, lines: file.lines, doBodyStart: doBodyStart(s.node, s.sql) });
      if (ended) report.error.title = 'The migration ended Drydock\'s transaction';
      report.error.message = maskSecrets(report.error.message, run.secrets);
      run.fail(report.error);
      outcome.error = report.error;
      outcome.connectionLost = run.connectionLost !== null;
      // In a transaction, a failed statement leaves it aborted: nothing more can be asked until the run reopens it.
      outcome.sessionUsable = !outcome.connectionLost && !this.options.inTransaction;
    }
    for (const probe of this.options.probes) {
      try {
        await probe.after?.(probed, outcome);
      } catch {
        // A probe measures or explains; its own failure never changes what the statement did.
      }
    }
  }

  /**
   * Whether the statements just answered broke the run's transaction, read from the protocol's
   * transaction status after them: in a transaction it must still be open; outside one (a
   * no-transaction apply) none may be left open. When it is broken, which statement did it (the
   * first whose command tag ends a transaction, else the last answered) and what became of the
   * statements before it. The send check refuses every statement known to do this; this is what
   * the run reports if one ever gets through anyway, and what it undoes where it can (a prepared
   * transaction it can name is rolled back, one left open is closed).
   */
  private async transactionBroken(answered: readonly ParsedStatement[], outcome: PipelineOutcome): Promise<{ at: number; ended: TransactionEnded } | null> {
    if (outcome.ran.length === 0 || this.state.connectionLost !== null) return null;
    const session = this.state.openSession;
    const status = session.transactionState();
    const lastAt = outcome.ran.length - 1;
    const place = (s: ParsedStatement) => ({ file: s.file, line: s.range.start.line, kind: s.kind });
    if (!this.options.inTransaction) {
      if (status !== 'in-transaction' && status !== 'failed') return null;
      await session.query('ROLLBACK').catch(() => undefined);
      return { at: lastAt, ended: { ...place(answered[lastAt]!), effect: 'opened' } };
    }
    if (status !== 'idle') return null;
    const tags = outcome.ran.map((r) => r.command.split(' ')[0]?.toUpperCase() ?? '');
    const found = tags.findIndex((tag) => tag === 'COMMIT' || tag === 'ROLLBACK' || tag === 'PREPARE');
    const at = found >= 0 ? found : lastAt;
    const s = answered[at]!;
    // What ran after it ran on its own, outside any transaction: committed, unless it failed.
    const ranOutside = lastAt - at - (outcome.error === undefined ? 0 : 1);
    const ranAfter = ranOutside > 0;
    const ended = { ...place(s), effect: ranAfter ? 'committed' : 'unknown', ...(ranAfter ? { ranOutside } : {}) } as TransactionEnded;
    if (found < 0) {
      // A statement that failed as the transaction ended (a COMMIT whose deferred check failed) rolled it back.
      if (outcome.error !== undefined && at === lastAt) ended.effect = 'rolled-back';
      return { at, ended };
    }
    if (tags[at] === 'COMMIT') ended.effect = 'committed';
    else if (tags[at] === 'ROLLBACK') ended.effect = ranAfter ? 'committed' : 'rolled-back';
    else {
      const gid = 'TransactionStmt' in s.node ? s.node.TransactionStmt.gid ?? null : null;
      if (gid !== null) ended.preparedAs = gid;
      // Nothing of the run may stay: the prepared transaction holds everything before it, and its locks.
      const undone = gid !== null && await session.query(`ROLLBACK PREPARED ${quoteLiteral(gid)}`).then(() => true, () => false);
      if (!ranAfter) ended.effect = undone ? 'rolled-back' : 'prepared';
    }
    return { at, ended };
  }
}

/** The run's error message for a statement that ended its transaction. */
function transactionEndedMessage(ended: TransactionEnded): string {
  const what = {
    committed: ended.ranOutside !== undefined
      ? `${ended.ranOutside} statement(s) after it ran outside any transaction and were COMMITTED to the database`
      : 'the statements before it were COMMITTED to the database',
    'rolled-back': ended.preparedAs !== undefined
      ? `it prepared transaction '${ended.preparedAs}', which Drydock rolled back: nothing of the run stayed`
      : 'the statements before it were rolled back',
    prepared: ended.preparedAs !== undefined
      ? `it prepared transaction '${ended.preparedAs}', which still holds the statements before it and their locks: ROLLBACK PREPARED '${ended.preparedAs}' releases them`
      : 'it prepared a transaction, which still holds the statements before it and their locks: pg_prepared_xacts lists it, ROLLBACK PREPARED releases it',
    opened: 'it opened a transaction block that nothing would commit: Drydock rolled it back',
    unknown: 'whether the statements before it were committed is unknown: check the database',
  }[ended.effect];
  return `${ended.kind} ended the transaction Drydock runs the files in (${ended.file}:${ended.line}): ${what}. Nothing after it ran.`;
}

/** What the run sends for a statement: itself, its simulated form, or nothing (wrappers, statements a dry-run cannot simulate). */
export function sqlToRun(mode: RunState['mode'], s: ParsedStatement): string | null {
  if (s.role === 'wrapper') return null;
  if (mode.simulatesOutsideTransaction && s.outsideTransaction !== null) return s.simulatedSql;
  return s.sql;
}

/**
 * The probes' `before` hooks. A probe's failure is its own, not the statement's; should it ever
 * leave the transaction unusable, the run stops with Drydock's own error rather than carry on with
 * a transaction PostgreSQL would not have been in.
 */
async function runBeforeProbes(run: RunState, probes: readonly StatementProbe[], probed: { statement: ParsedStatement; report: StatementReport }): Promise<boolean> {
  for (const probe of probes) {
    try {
      await probe.before?.(probed);
    } catch (err) {
      if (run.openSession.transactionState() !== 'failed') continue;
      probed.report.status = 'failed';
      probed.report.error = classifyError({ code: 'DRY03', message: `Drydock's ${probe.name} measurement failed before this statement ran: ${(err as Error).message}` });
      run.fail(probed.report.error);
      return false;
    }
  }
  return true;
}
