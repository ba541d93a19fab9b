// Runs every statement of the files in order, each between the probes' before and after hooks, and
// stops at the first failure (the rest are reported skipped). Statements are sent as they are,
// one after the other in the run's transaction, exactly as `psql -1` would send them: no savepoint
// or anything else between them that could change what PostgreSQL does (a savepoint, for one,
// makes an enum value added earlier in the transaction "unsafe" to use). A probe that needs the
// transaction after a failure asks the run to rebuild it (ProbeRun.reopen).
import { performance } from 'node:perf_hooks';
import { maskSecrets } from '../db/connection';
import type { StatementReport } from '../model/report';
import type { ParsedStatement } from '../parse/parseMigration';
import type { CheckedFile } from '../rules/checkMigration';
import { classifyError } from './classify';
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

/** Runs every statement in order; false once one failed or the run was cancelled. */
export async function runStatements(run: RunState, options: StatementLoopOptions): Promise<boolean> {
  const all = options.files.flatMap((f) => f.statements);
  const fileOf = new Map<string, CheckedFile>();
  for (const f of options.files) if (!fileOf.has(f.file)) fileOf.set(f.file, f);
  const t0 = performance.now();
  let failed = false;
  for (const [done, s] of all.entries()) {
    if (failed || run.cancelled) {
      run.report.statements.push(statementReport(s, 'skipped', run.cancelled && !failed ? 'not run: the run was cancelled' : 'not run: an earlier statement failed'));
      continue;
    }
    if (s.role === 'wrapper') {
      run.report.statements.push(statementReport(s, 'skipped', 'transaction wrapper: Drydock runs the files in its own transaction'));
      continue;
    }
    options.onProgress?.({ file: s.file, statementIndex: s.index, done, total: all.length, kind: s.kind });
    const file = fileOf.get(s.file)!;
    const report = await runStatement(run, file, s, options);
    run.report.statements.push(report);
    failed = report.status === 'failed';
  }
  const succeeded = !failed && !run.cancelled;
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

async function runStatement(run: RunState, file: CheckedFile, s: ParsedStatement, options: StatementLoopOptions): Promise<StatementReport> {
  const session = run.openSession;
  const simulate = run.mode.simulatesOutsideTransaction && s.outsideTransaction !== null;
  const sql = sqlToRun(run.mode, s);
  if (sql === null) {
    return statementReport(s, 'simulated', `not executed: ${s.outsideTransaction!.reason}; a dry-run cannot run it and roll it back`);
  }
  const report = statementReport(s, simulate ? 'simulated' : 'ok', simulate ? `ran as: ${sql} (${s.outsideTransaction!.reason})` : undefined);
  const probed = { statement: s, report };
  if (!(await runBeforeProbes(run, options.probes, probed))) return report;
  const outcome: StatementOutcome = { connectionLost: false, sessionUsable: true };
  const t0 = performance.now();
  try {
    run.running = true;
    const result = await session.query(sql);
    run.running = false;
    report.rows = result.rowCount;
    if (options.inTransaction && session.transactionState() === 'idle') {
      throw Object.assign(new Error('the statement ended the transaction Drydock runs the file in'), { code: '2D000' });
    }
  } catch (err) {
    run.running = false;
    report.status = 'failed';
    report.error = classifyError(run.connectionLost ?? err, { file: file.file, sql: s.sql, offsets: s.offsets, lines: file.lines });
    report.error.message = maskSecrets(report.error.message, run.secrets);
    run.fail(report.error);
    outcome.error = report.error;
    outcome.connectionLost = run.connectionLost !== null;
    // In a transaction, a failed statement leaves it aborted: nothing more can be asked until the run reopens it.
    outcome.sessionUsable = !outcome.connectionLost && !options.inTransaction;
  } finally {
    report.durationMs = performance.now() - t0;
  }
  for (const probe of options.probes) {
    try {
      await probe.after?.(probed, outcome);
    } catch {
      // A probe measures or explains; its own failure never changes what the statement did.
    }
  }
  return report;
}
