// The report of a shadow run that never reached the targets: an earlier migration failed (its
// error, at its line), or the run was cancelled while the history was replayed.
import type { RunReport } from '../model/report';
import { checkFiles } from '../rules/checkMigration';
import { RUN_MODES } from '../model/runModes';
import { parseMigrationSync } from '../parse/parseMigration';
import type { MigrationFile } from '../run/runner';
import { statementReport } from '../run/statementLoop';
import type { ReplayFailure } from './replay';

/** A dry-run report whose targets were not run because the history before them did not apply. */
export async function earlierFailureReport(targets: readonly MigrationFile[], failure: ReplayFailure | null, now?: () => Date): Promise<RunReport> {
  const checked = checkFiles(targets.map((f) => parseMigrationSync(f.path, f.text, f.toolNoTransaction)), { mode: RUN_MODES['dry-run'] });
  const note = failure ? 'not run: an earlier migration failed in the shadow' : 'not run: the run was cancelled while earlier migrations were replayed';
  const report: RunReport = {
    reportVersion: 1, files: targets.map((f) => f.path), mode: 'dry-run', startedAt: (now ?? (() => new Date()))().toISOString(),
    server: null, committed: false, transactional: true, outcome: failure ? 'failed' : 'cancelled',
    statements: checked.flatMap((f) => f.statements.map((s) => statementReport(s, 'skipped', note))),
    diagnostics: checked.flatMap((f) => f.diagnostics), verification: [], inventory: [], indexUsage: [], leftovers: [],
    timings: { parseMs: 0, connectMs: 0, executeMs: 0, verifyMs: 0, totalMs: 0 },
  };
  if (failure) report.error = failure.error;
  return report;
}
