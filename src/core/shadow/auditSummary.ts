// An audit's figures for a history, the ones its README line quotes: what was measured, what was
// found, and the share of the measurable claims the measurement contradicted (issue 19 asks for
// at most 1 % on every real history).
import type { AuditReport, AuditSummary } from '../model/auditReport';
import { claimTotals } from './auditClaims';

/** The summary of an audit report (its migrations, statements, findings and claims as they stand). */
export function summarizeAudit(report: Pick<AuditReport, 'migrations' | 'statements' | 'diagnostics' | 'claims'>): AuditSummary {
  const totals = claimTotals(report.claims);
  // Measured: the statement's tables were compared before and after it; a simulated statement
  // (CONCURRENTLY run without it) measured another statement's effects, so it is not counted.
  const measured = report.statements.filter((s) => s.status !== 'simulated' && s.measuredRelations !== undefined).length;
  return {
    migrations: report.migrations.length,
    statements: report.statements.length,
    statementsMeasured: measured,
    findings: report.diagnostics.length,
    measurableClaims: totals.claimed,
    confirmed: totals.confirmed,
    contradicted: totals.contradicted,
    notMeasured: totals.notMeasured,
    contradictedPercent: totals.claimed === 0 ? 0 : (100 * totals.contradicted) / totals.claimed,
  };
}
