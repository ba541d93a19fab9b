// A run's outcome as findings, for the formats that only speak in findings (SARIF, GitHub
// annotations): the rules' findings, the failed statement's classified error, and each failed
// verification check at the statement that declared the object.
import type { Finding } from '../model/findings';
import type { RunReport } from '../model/report';
import type { SarifRule } from './sarif';

/** The two kinds of result a run adds to the rules' findings. */
export const RUN_RESULT_RULES: readonly SarifRule[] = [
  { id: 'run-failure', defaultSeverity: 'error', summary: 'A statement failed when the migration ran on PostgreSQL.', help: 'See the SQLSTATE, hint and fix query in the message.' },
  { id: 'verification-failure', defaultSeverity: 'error', summary: 'An object the migration declares is missing, invalid or different after it ran.', help: 'See the verification detail in the message.' },
];

/** Every finding a run report holds, in file order of the run. */
export function runFindings(report: RunReport): Finding[] {
  const findings = [...report.diagnostics];
  for (const s of report.statements) {
    const e = s.error;
    if (!e) continue;
    const range = e.range ?? s.range;
    findings.push({
      ruleId: 'run-failure', severity: 'error', file: e.file ?? s.file, range, offsets: s.offsets,
      message: `${e.label}: ${e.title} (SQLSTATE ${e.sqlstate}): ${e.message}${e.detail ? ` (${e.detail})` : ''}`,
      help: e.hint ?? '',
    });
  }
  const failing = new Set(['missing', 'invalid', 'mismatch', 'disabled']);
  for (const check of report.verification) {
    if (!failing.has(check.status)) continue;
    const declaring = report.statements.find((s) => s.file === check.file && s.index === check.statementIndex);
    findings.push({
      ruleId: 'verification-failure', severity: 'error', file: check.file,
      range: declaring?.range ?? { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } },
      offsets: declaring?.offsets ?? { start: 0, end: 0 },
      message: `${check.kind} ${check.name}${check.table ? ` on ${check.table}` : ''} is ${check.status}: ${check.detail}`,
      help: '',
    });
  }
  return findings;
}
