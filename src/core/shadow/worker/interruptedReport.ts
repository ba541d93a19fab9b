// The report of a worker-shadow run that did not end by itself: cancelled, stopped at
// statement_timeout, or its worker crashed. The worker is gone with everything it measured, so the
// report is rebuilt on the owner's side from what the worker said last: which earlier migration
// or which statement of the targets was running. That one gets the error (57014, as PostgreSQL
// reports a cancelled or timed-out statement; 58000 for a crash), at its place in the file.
import type { ErrorReport, RunReport, ServerInfo, ShadowReport } from '../../model/report';
import { loadParser, type ParsedStatement } from '../../parse/parseMigration';
import { classifyError } from '../../run/classify';
import type { MigrationFile } from '../../run/runner';
import { statementReport } from '../../run/statementLoop';
import type { CheckedFile } from '../../rules/checkMigration';
import { NOT_RUN, notRunReport } from '../shadowReport';

/** Why the run ended early. */
export type Interruption =
  | { kind: 'cancelled' }
  | { kind: 'timed-out'; limitMs: number }
  | { kind: 'crashed'; reason: string };

/** What the worker said it was doing last. */
export type RunningAt =
  | { phase: 'preparing' }
  | { phase: 'replay'; file: string }
  | { phase: 'prepared' }
  | { phase: 'statement'; file: string; statementIndex: number; sinceMs: number };

/** What the owner knows of the shadow when the run ended. */
export interface KnownShadow {
  shadow: ShadowReport | null;
  server: ServerInfo | null;
}

/** The error fields PostgreSQL (or Drydock, for a crash) would report. */
function fieldsOf(why: Interruption): { code: string; message: string; detail?: string } {
  switch (why.kind) {
    case 'cancelled':
      return { code: '57014', message: 'canceling statement due to user request' };
    case 'timed-out':
      return {
        code: '57014', message: 'canceling statement due to statement timeout',
        detail: `PGlite cannot stop a statement from inside: Drydock ended the shadow's worker after statement_timeout (${why.limitMs} ms); the next run starts from the last snapshot`,
      };
    case 'crashed':
      return { code: '58000', message: `the PGlite shadow's worker stopped: ${why.reason}`, detail: 'the next run starts a new worker from the last snapshot' };
  }
}

const LOST = 'ran before the shadow was ended; what it measured was lost with it';

/** Statements of the targets: those before the running one ran, it failed, the rest did not run. */
function atStatement(at: Extract<RunningAt, { phase: 'statement' }>, why: Interruption, fields: ReturnType<typeof fieldsOf>) {
  let reached = false;
  let error: ErrorReport | null = null;
  const after = why.kind === 'cancelled' ? 'not run: the run was cancelled' : 'not run: an earlier statement failed';
  const as = (s: ParsedStatement, file: CheckedFile) => {
    if (reached) return statementReport(s, 'skipped', after);
    if (s.file === at.file && s.index === at.statementIndex) {
      reached = true;
      const report = statementReport(s, 'failed');
      error = classifyError(fields, { file: file.file, sql: s.sql, offsets: s.offsets, lines: file.lines });
      report.error = error;
      report.durationMs = performance.now() - at.sinceMs;
      return report;
    }
    if (s.role === 'wrapper') return statementReport(s, 'skipped', 'transaction wrapper: Drydock runs the files in its own transaction');
    return statementReport(s, s.outsideTransaction ? 'simulated' : 'ok', LOST);
  };
  return { as, error: () => error };
}

/** The report of a run that ended early, `at` where the worker said it was. */
export async function interruptedReport(targets: readonly MigrationFile[], at: RunningAt, why: Interruption, startedAt: Date, known: KnownShadow): Promise<RunReport> {
  await loadParser();
  const outcome: RunReport['outcome'] = why.kind === 'cancelled' ? 'cancelled' : 'failed';
  const fields = fieldsOf(why);
  const now = () => startedAt;
  let report: RunReport;
  if (at.phase === 'statement') {
    const statements = atStatement(at, why, fields);
    report = notRunReport(targets, outcome, NOT_RUN.cancelled, now, statements.as);
    report.error = statements.error() ?? classifyError(fields);
  } else if (at.phase === 'replay') {
    report = notRunReport(targets, outcome, why.kind === 'cancelled' ? NOT_RUN.cancelled : NOT_RUN.failed, now);
    report.error = { ...classifyError({ ...fields, message: `earlier migration ${at.file}: ${fields.message}` }), file: at.file };
  } else {
    const note = why.kind === 'cancelled' ? 'not run: the run was cancelled' : 'not run: the shadow\'s worker stopped';
    report = notRunReport(targets, outcome, note, now);
    // Cancelled before anything ran: nothing to point at (as the in-thread shadow reports it).
    if (why.kind !== 'cancelled') report.error = classifyError(fields);
  }
  report.server = known.server;
  if (known.shadow) report.shadow = known.shadow;
  return report;
}
