// The report of a shadow run that never reached the targets: the shadow could not be made (its
// server refused), an earlier migration failed (its error, at its line) or was refused, or the run
// was cancelled while the history was replayed.
import type { RunReport, StatementReport } from '../model/report';
import { classifyError } from '../run/classify';
import { checkFiles } from '../rules/checkMigration';
import { RUN_MODES } from '../model/runModes';
import { parseMigrationSync, type ParsedStatement } from '../parse/parseMigration';
import type { CheckedFile } from '../rules/checkMigration';
import type { MigrationFile } from '../run/runner';
import { statementReport } from '../run/statementLoop';
import type { ReplayFailure } from './replay';

/** How a report skeleton reports one statement of the checked targets. */
export type StatementAs = (s: ParsedStatement, file: CheckedFile) => StatementReport;

/** The skeleton: the targets checked, every statement skipped with `note` (or as `statementAs` says). */
export function notRunReport(targets: readonly MigrationFile[], outcome: RunReport['outcome'], note: string, now?: () => Date, statementAs?: StatementAs): RunReport {
  const checked = checkFiles(targets.map((f) => parseMigrationSync(f.path, f.text, f.toolNoTransaction)), { mode: RUN_MODES['dry-run'] });
  const as: StatementAs = statementAs ?? ((s) => statementReport(s, 'skipped', note));
  return {
    reportVersion: 1, files: targets.map((f) => f.path), mode: 'dry-run', startedAt: (now ?? (() => new Date()))().toISOString(),
    server: null, committed: false, transactional: true, outcome,
    statements: checked.flatMap((f) => f.statements.map((s) => as(s, f))),
    diagnostics: checked.flatMap((f) => f.diagnostics), verification: [], inventory: [], indexUsage: [], leftovers: [],
    timings: { parseMs: 0, connectMs: 0, executeMs: 0, verifyMs: 0, totalMs: 0 },
  };
}

export const NOT_RUN = {
  failed: 'not run: an earlier migration failed in the shadow',
  refused: 'not run: the shadow refused a statement that reaches beyond it (nothing was sent)',
  cancelled: 'not run: the run was cancelled while earlier migrations were replayed',
};

/** A dry-run report whose targets were not run because the history before them did not apply. */
export async function earlierFailureReport(targets: readonly MigrationFile[], failure: ReplayFailure | null, now?: () => Date): Promise<RunReport> {
  const outcome = !failure ? 'cancelled' : failure.refused ? 'refused' : 'failed';
  const report = notRunReport(targets, outcome, NOT_RUN[outcome], now);
  if (failure) report.error = failure.error;
  return report;
}

/** A dry-run report whose shadow could not be made: the error classified (a connection's, a privilege's), never a stack trace. */
export async function unpreparedReport(targets: readonly MigrationFile[], err: unknown, now?: () => Date): Promise<RunReport> {
  const report = notRunReport(targets, 'failed', 'not run: the shadow could not be prepared', now);
  const error = classifyError(err);
  error.message = `the shadow could not be prepared: ${error.message}`;
  report.error = error;
  return report;
}
