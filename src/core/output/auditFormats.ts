// An audit report in each of the CLI's formats: text (the findings gcc-style, the migrations that
// did not dry-run or apply, failed verification, and the claims per rule), json (the report),
// sarif (every finding with its evidence, failures and measurements as results; the claims in the
// run's properties) and github (annotations, then the text for the log).
import type { AuditReport, AuditSummary, ClaimCount } from '../model/auditReport';
import type { Finding } from '../model/findings';
import type { RunReport } from '../model/report';
import { escapeData, findingToGithub, withoutWorkflowCommands } from './github';
import { findingsFormatChunks, findingsFormatOutcome, joinedLines, oneLine, sarifOptionsOf, sarifOutcome, sarifRules, shownData, type OutputFormat, type RenderOptions } from './formats';
import { jsonChunks } from './jsonChunks';
import { RUN_RESULT_RULES, runFindings } from './runFindings';
import { findingsToSarif } from './sarif';
import { errorDetails, formatDiagnostic, painter, type Paint } from './text';
import { indentingContinuations } from './visibleText';

const FAILING_CHECKS = new Set(['missing', 'invalid', 'mismatch', 'disabled']);

/** The audit as one run report, for the formats that speak in findings (runFindings reads it). */
function asRunReport(report: AuditReport): RunReport {
  return {
    reportVersion: 1, files: report.migrations.map((m) => m.file), mode: 'dry-run', startedAt: report.startedAt, server: report.server,
    committed: false, transactional: true, outcome: report.outcome, statements: report.statements, diagnostics: report.diagnostics,
    verification: report.verification, inventory: [], indexUsage: [], leftovers: [],
    timings: { parseMs: 0, connectMs: 0, executeMs: report.timings.dryRunMs, verifyMs: 0, totalMs: report.timings.totalMs },
  };
}

/** Every result of the audit: the findings, failed statements, measurements, failed checks, and the migration its tool could not apply. */
function auditFindings(report: AuditReport): Finding[] {
  const findings = runFindings(asRunReport(report));
  const e = report.error;
  if (e && !report.statements.some((s) => s.error === e)) {
    const at = e.position ?? { line: 1, column: 1 };
    findings.push({
      ruleId: 'run-failure', severity: 'error', file: e.file ?? report.folder, range: e.range ?? { start: at, end: at }, offsets: { start: 0, end: 0 },
      message: `${e.label}: ${e.title} (SQLSTATE ${e.sqlstate}): ${e.message}`, help: e.hint ?? '',
    });
  }
  return findings;
}

function percent(part: number, whole: number): string {
  return whole === 0 ? '0 %' : `${((100 * part) / whole).toFixed(part > 0 && part * 1000 < whole ? 2 : 1)} %`;
}

/** The table of claims per rule, and the totals of the measurable ones. */
function claimLines(claims: readonly ClaimCount[]): string[] {
  if (claims.length === 0) return ['Claims: no findings'];
  const lines = [`Claims per rule (measured in each migration's dry-run)`, `  ${'rule'.padEnd(46)} ${'findings'.padStart(8)} ${'confirmed'.padStart(9)} ${'contradicted'.padStart(12)} ${'not measured'.padStart(12)}`];
  for (const c of claims) {
    const measured = c.claim === null ? `${'–'.padStart(9)} ${'–'.padStart(12)} ${'–'.padStart(12)}` : `${String(c.confirmed).padStart(9)} ${String(c.contradicted).padStart(12)} ${String(c.notMeasured).padStart(12)}`;
    lines.push(`  ${c.ruleId.padEnd(46)} ${String(c.findings).padStart(8)} ${measured}${c.claim === null ? '  (claims nothing measurable)' : `  (${c.claim})`}`);
  }
  const measurable = claims.filter((c) => c.claim !== null);
  const sum = (pick: (c: ClaimCount) => number) => measurable.reduce((n, c) => n + pick(c), 0);
  const claimed = sum((c) => c.findings);
  const contradicted = sum((c) => c.contradicted);
  lines.push(`  measurable claims: ${claimed}; confirmed ${sum((c) => c.confirmed)}, contradicted ${contradicted} (${percent(contradicted, claimed)}), not measured ${sum((c) => c.notMeasured)}`);
  return lines;
}

/** The summary in one line, as the text report ends and a README quotes it. */
export function summaryLine(s: AuditSummary): string {
  const percent = s.contradictedPercent === 0 ? '0' : s.contradictedPercent.toFixed(s.contradictedPercent < 0.1 ? 3 : 2);
  return `${s.migrations} migration(s), ${s.statementsMeasured} of ${s.statements} statement(s) measured, ${s.findings} finding(s); `
    + `measurable claims ${s.measurableClaims}: confirmed ${s.confirmed}, contradicted ${s.contradicted} (${percent} %), not measured ${s.notMeasured}`;
}

function serverText(report: AuditReport): string {
  if (!report.server) return 'no shadow';
  return report.shadow.startsWith('PGlite') ? `${report.shadow} (shadow)` : `PostgreSQL ${report.server.version}, ${report.shadow}`;
}

/** The last line: the outcome, how many migrations dry-ran and applied, and how long it took. */
function auditVerdict(report: AuditReport, paint: Paint): string {
  const verdict = report.outcome === 'succeeded' ? paint(32, 'succeeded') : paint(31, report.outcome);
  const applied = report.migrations.filter((m) => m.applied).length;
  const dryRan = report.migrations.filter((m) => m.dryRun === 'succeeded').length;
  return `${verdict}: ${dryRan} of ${report.migrations.length} migration(s) dry-run, ${applied} applied as ${report.tool} applies them, nothing kept; ${report.timings.totalMs.toFixed(0)} ms`;
}

/** The lines of an audit's readable report (its strings as given: the caller makes them visible and masks them first). */
export function auditLines(report: AuditReport, color: boolean): string[] {
  const paint = painter(color);
  const out = [`${paint(1, 'drydock audit')} ${report.folder} (${report.tool}, ${report.migrations.length} migration(s), ${serverText(report)}; judged for PostgreSQL ${report.judgedFor})`];
  for (const d of report.diagnostics) out.push(formatDiagnostic(d, paint));
  const troubled = report.migrations.filter((m) => m.dryRun !== 'succeeded' || m.applyError || !m.applied);
  if (troubled.length > 0) {
    out.push('Migrations:');
    for (const m of troubled) {
      const what = m.applyError ? paint(31, 'not applied') : !m.applied ? paint(90, 'not reached') : paint(m.dryRun === 'refused' ? 33 : 31, `dry-run ${m.dryRun}`);
      const error = m.applyError ?? m.dryRunError;
      out.push(`  ${what} ${m.file}${error ? `: ${error.label}: ${error.title} (SQLSTATE ${error.sqlstate}): ${error.message}` : ''}`);
      for (const d of error ? errorDetails(error) : []) if (d.label !== 'At') out.push(`      ${d.label.toLowerCase()}: ${d.text.split('\n')[0]}`);
    }
  }
  const failing = report.verification.filter((c) => FAILING_CHECKS.has(c.status));
  out.push(`Verification: ${report.verification.length} check(s) of declared objects, ${failing.length} failed`);
  for (const c of failing) out.push(`  ${paint(31, c.status.padEnd(13))} ${c.kind.padEnd(10)} ${c.name}${c.table ? ` on ${c.table}` : ''}: ${c.detail} [${c.file}]`);
  if (report.error && report.migrations.every((m) => !m.applyError)) out.push(paint(31, `${report.error.label}: ${report.error.title} (SQLSTATE ${report.error.sqlstate}): ${report.error.message}`));
  out.push(...claimLines(report.claims));
  out.push(`Summary: ${summaryLine(report.summary)}`);
  out.push(auditVerdict(report, paint));
  return out;
}

/** An audit report in the chosen format, in pieces (any size, passwords masked, as runReportChunks). */
export function* auditReportChunks(given: AuditReport, format: OutputFormat, options: RenderOptions): Generator<string> {
  const report = shownData(given, format, options.secrets);
  switch (format) {
    case 'json': return yield* jsonChunks(report);
    case 'sarif': {
      const log = findingsToSarif(auditFindings(report), { rules: [...sarifRules(), ...RUN_RESULT_RULES], ...sarifOptionsOf(options) });
      // The claims per rule travel in the run's property bag (the same names as in JSON).
      const runs = log.runs as Record<string, unknown>[];
      runs[0]!.properties = { audit: { folder: report.folder, tool: report.tool, outcome: report.outcome, judgedFor: report.judgedFor, claims: report.claims, summary: report.summary } };
      return yield* jsonChunks(log);
    }
    case 'github': return yield* joinedLines([...auditFindings(report).map(findingToGithub), ...withoutWorkflowCommands([...indentingContinuations(auditLines(report, false))])]);
    case 'gitlab': case 'junit': {
      const findings = auditFindings(report);
      return yield* findingsFormatChunks(format, [...new Set(findings.map((f) => f.file))], findings, options);
    }
    case 'text': return yield* joinedLines(indentingContinuations(auditLines(report, options.color)));
  }
}

/** An audit's outcome alone, in the chosen format, for when its report could not be rendered (`reason` says why). */
export function renderAuditOutcome(report: AuditReport, format: OutputFormat, given: string): string {
  const reason = oneLine(given);
  const verdict = auditVerdict(report, painter(false));
  const note = `drydock could not write the full audit (${reason}); its outcome is: ${verdict}`;
  switch (format) {
    case 'json': return JSON.stringify({ auditVersion: report.auditVersion, folder: report.folder, outcome: report.outcome, claims: report.claims, summary: report.summary, reportError: reason }, null, 2);
    case 'sarif': return sarifOutcome(report.outcome === 'succeeded', note, { outcome: report.outcome });
    case 'github': return `::${report.outcome === 'succeeded' ? 'warning' : 'error'}::${escapeData(note)}\n${verdict}`;
    case 'gitlab': case 'junit': return findingsFormatOutcome(format, report.outcome === 'succeeded', note);
    case 'text': return note;
  }
}
