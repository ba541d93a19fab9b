// A run's outcome as findings, for the formats that only speak in findings (SARIF, GitHub
// annotations): the rules' findings, the failed statement's classified error, and each failed
// verification check at the statement that declared the object.
import type { Finding } from '../model/findings';
import type { RunReport } from '../model/report';
import type { SarifRule } from './sarif';
import { errorHeadline, lockText } from './text';

/** The two kinds of result a run adds to the rules' findings. */
export const RUN_RESULT_RULES: readonly SarifRule[] = [
  { id: 'run-failure', defaultSeverity: 'error', summary: 'A statement failed when the migration ran on PostgreSQL.', help: 'See the SQLSTATE, hint and fix query in the message.', docsPath: 'README.md' },
  { id: 'verification-failure', defaultSeverity: 'error', summary: 'An object the migration declares is missing, invalid or different after it ran.', help: 'See the verification detail in the message.', docsPath: 'README.md' },
  { id: 'reference-unavailable', defaultSeverity: 'info', summary: 'The reference connection could not be read, so there is no production estimate.', help: 'Check the reference connection.', docsPath: 'README.md' },
  { id: 'measured-impact', defaultSeverity: 'info', summary: 'What the statement was measured to lock, rewrite and scan when the migration ran (and, with a reference, what that costs in production).', help: 'See the docs page of the rule that judges the statement for the safe alternative.', docsPath: 'README.md' },
];

/** One line of what was measured for a statement, or null when it touched no existing table. */
function measuredText(s: RunReport['statements'][number]): string | null {
  const parts = [
    ...s.locks.filter((l) => !l.createdInRun).map(lockText),
    ...s.rewrites.map((r) => `rewrites ${r.kind} ${r.relation}`),
    ...s.scans.map((sc) => `scans ${sc.relation} (${sc.reason})`),
    ...(s.impact ?? []).map((i) => `on the reference: ${i.summary}`),
  ];
  return parts.length > 0 ? parts.join('; ') : null;
}

/** Every finding a run report holds, in file order of the run. */
export function runFindings(report: RunReport): Finding[] {
  const findings = [...report.diagnostics];
  for (const s of report.statements) {
    const e = s.error;
    if (!e) continue;
    const range = e.range ?? s.range;
    findings.push({
      ruleId: 'run-failure', severity: 'error', file: e.file ?? s.file, range, offsets: s.offsets,
      message: `${errorHeadline(e)}: ${e.message}${e.detail ? ` (${e.detail})` : ''}`,
      help: e.hint ?? '',
    });
  }
  // A measurement a rule's finding already carries (confirmed or contradicted) is not repeated on its own.
  const compared = report.diagnostics.filter((d) => d.evidence === 'confirmed' || d.evidence === 'contradicted');
  for (const s of report.statements) {
    const text = measuredText(s);
    if (!text || compared.some((d) => d.file === s.file && s.offsets.start <= d.offsets.start && d.offsets.end <= s.offsets.end)) continue;
    findings.push({ ruleId: 'measured-impact', severity: 'info', file: s.file, range: s.range, offsets: s.offsets, message: `measured: ${text}`, help: '', evidence: 'measured' });
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
