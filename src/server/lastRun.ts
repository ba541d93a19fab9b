// What the latest run that included a file measured and concluded about it, for the statements
// whose text is still what ran: the measurement lens, the hover and the diagnostics read it from
// here. An edit makes a statement's measurement stale, so it is dropped rather than shown at a
// place that now holds other SQL (an edit above it shifts offsets too, and drops it until the next
// run). Plain data in, plain data out: no `vscode`.
import type { Finding } from '../core/model/findings';
import type { RunReport, StatementReport } from '../core/model/report';
import { RUN_MODES, type RunMode } from '../core/model/runModes';

/** The latest run's view of one file, limited to the statements unchanged since. */
export interface LastRun {
  mode: RunMode;
  statements: StatementReport[];
  /** The run's findings on those statements, with their `evidence`. */
  findings: Finding[];
}

/** The newest of `reports` (newest first) that ran `file`, as far as `text` still holds what ran. */
export function lastRunOf(reports: readonly RunReport[], file: string, text: string): LastRun | null {
  const report = reports.find((r) => r.statements.some((s) => s.file === file));
  if (!report) return null;
  const statements = report.statements.filter((s) => s.file === file && text.slice(s.offsets.start, s.offsets.end) === s.sql);
  const findings = report.diagnostics.filter((d) => d.file === file && statements.some((s) => s.offsets.start <= d.offsets.start && d.offsets.end <= s.offsets.end));
  return { mode: report.mode, statements, findings };
}

/**
 * The file's findings with what the run concluded about each: a finding the run confirmed carries
 * the run's message (which says what was measured); one it contradicted is downgraded to info and
 * says first that the run contradicted it. Findings the run did not judge stay as they are.
 */
export function withRunEvidence(findings: readonly Finding[], run: LastRun | null): Finding[] {
  if (!run || run.findings.length === 0) return [...findings];
  const title = RUN_MODES[run.mode].title.toLowerCase();
  return findings.map((finding) => {
    const judged = run.findings.find((r) => r.ruleId === finding.ruleId && r.offsets.start === finding.offsets.start && r.offsets.end === finding.offsets.end);
    if (judged?.evidence === 'confirmed') return { ...finding, message: judged.message, evidence: 'confirmed' };
    if (judged?.evidence !== 'contradicted') return finding;
    const evidenced: Finding = { ...finding, severity: 'info', message: `Contradicted by the last ${title}: ${judged.message}`, evidence: 'contradicted' };
    if (finding.severity !== 'info') evidenced.downgradedFrom = finding.severity;
    return evidenced;
  });
}
