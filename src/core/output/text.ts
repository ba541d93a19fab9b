// The readable form of a RunReport for a terminal (colour only when asked for).
import type { Finding } from '../model/findings';
import type { ErrorReport, HistoryFailure, MeasuredLock, RunReport, ShadowReport, StatementReport, VerificationCheck } from '../model/report';
import { durationText } from '../model/quantities';
import { isLockMode, lockModeSql } from '../sql/lockModes';
import { pushAll } from '../model/arrays';
import { indentingContinuations } from './visibleText';

export type Paint = (code: number, text: string) => string;

/** Colours text for a terminal, or leaves it plain. */
export function painter(color: boolean): Paint {
  return color ? (code, text) => `\u001b[${code}m${text}\u001b[0m` : (_code, text) => text;
}

const STATUS_COLORS: Record<string, number> = { ok: 32, failed: 31, skipped: 90, simulated: 36, missing: 31, invalid: 31, mismatch: 31, disabled: 33, 'not-validated': 33, dropped: 90 };

function firstLine(sql: string): string {
  const line = sql.split('\n').find((l) => l.trim() !== '' && !l.trim().startsWith('--')) ?? sql;
  return line.length > 80 ? `${line.slice(0, 77)}...` : line;
}

/** One finding as a gcc-style line (editors and CI parse it): file:line:column: severity: message [rule-id]. */
export function formatDiagnostic(d: Finding, paint: Paint): string {
  const tag = d.severity === 'error' ? paint(31, 'error') : d.severity === 'warning' ? paint(33, 'warning') : 'info';
  return `${d.file}:${d.range.start.line}:${d.range.start.column}: ${tag}: ${d.message} [${d.ruleId}]`;
}

/** An error's labelled details after its headline and message: detail, hint, context, location. */
export function errorDetails(e: ErrorReport): { label: 'Detail' | 'Hint' | 'Context' | 'At'; text: string }[] {
  const details: { label: 'Detail' | 'Hint' | 'Context' | 'At'; text: string }[] = [];
  if (e.detail) details.push({ label: 'Detail', text: e.detail });
  if (e.hint) details.push({ label: 'Hint', text: e.hint });
  if (e.context) details.push({ label: 'Context', text: e.context });
  if (e.file && e.position) details.push({ label: 'At', text: `${e.file}:${e.position.line}:${e.position.column}` });
  return details;
}

// Failures Drydock itself declares with a title of its own (DRY01: a declared object did not
// verify; DRY06: a statement reaches beyond the scratch database). No server sent them.
const DRYDOCK_FAILURES = new Set(['DRY01', 'DRY06']);

/** True for a failure Drydock declared itself: shown by its title, not as a "Database error" with a SQLSTATE. */
export function isDrydockFailure(e: ErrorReport): boolean {
  return DRYDOCK_FAILURES.has(e.sqlstate);
}

/** "Data conflict: Unique violation (SQLSTATE 23505)", or Drydock's own failure by its title alone ("Verification failed"). */
export function errorHeadline(e: ErrorReport): string {
  return isDrydockFailure(e) ? e.title : `${e.label}: ${e.title} (SQLSTATE ${e.sqlstate})`;
}

/** The error as plain text, for the clipboard and logs. */
export function errorAsText(e: ErrorReport): string {
  const headline = isDrydockFailure(e) ? e.title : `${e.label} — SQLSTATE ${e.sqlstate} (${e.title})`;
  return [headline, e.message, ...errorDetails(e).map((d) => `${d.label}: ${d.text}`)].join('\n');
}

function formatError(e: ErrorReport, paint: Paint, indent: string): string[] {
  const headline = isDrydockFailure(e) ? paint(31, e.title) : `${paint(31, `${e.label}: ${e.title}`)} (SQLSTATE ${e.sqlstate})`;
  const lines = [`${indent}${headline}${e.file && e.position ? ` at ${e.file}:${e.position.line}:${e.position.column}` : ''}`,
    `${indent}  ${e.message}`];
  // The location is already in the headline; a terminal gets the context's first line only.
  for (const d of errorDetails(e)) if (d.label !== 'At') lines.push(`${indent}  ${d.label.toLowerCase()}: ${d.text.split('\n')[0]}`);
  if (e.fixQuery) {
    lines.push(`${indent}  fix query:`);
    for (const l of e.fixQuery.split('\n')) lines.push(`${indent}    ${l}`);
    if (e.fixRows) {
      lines.push(`${indent}  it returns ${e.fixRows.length} row(s)${e.fixRows.length ? ':' : ''}`);
      for (const row of e.fixRows.slice(0, 10)) lines.push(`${indent}    ${JSON.stringify(row)}`);
    }
  }
  return lines;
}

/** "ACCESS EXCLUSIVE on orders (blocks reads and writes) held 1.8 s while 12 later statements ran". */
export function lockText(l: MeasuredLock): string {
  const mode = isLockMode(l.mode) ? lockModeSql(l.mode) : l.mode;
  const held = l.createdInRun ? 'new in this run: nobody waits for it' : `held ${durationText(l.heldMs)}${l.heldWhile > 0 ? ` while ${l.heldWhile} later statement${l.heldWhile === 1 ? '' : 's'} ran` : ''}`;
  return `${mode} on ${l.relation} (blocks ${l.blocks}) ${held}${l.simulated ? ' [CONCURRENTLY: measured without it]' : ''}`;
}

function measurementLines(s: StatementReport, paint: Paint): string[] {
  const indent = '            ';
  return [
    ...s.locks.filter((l) => !l.createdInRun).map((l) => `${indent}${paint(35, 'lock')} ${lockText(l)}`),
    ...s.rewrites.map((r) => `${indent}${paint(35, 'rewrite')} ${r.kind} ${r.relation}`),
    ...s.scans.map((sc) => `${indent}${paint(35, 'scan')} ${sc.relation}: ${sc.reason} (${sc.rows} rows)`),
    ...(s.impact ?? []).map((i) => `${indent}${paint(33, 'impact')} ${i.summary}`),
  ];
}

function formatStatement(s: StatementReport, paint: Paint): string[] {
  const status = paint(STATUS_COLORS[s.status] ?? 0, s.status.padEnd(9));
  const rows = s.rows !== null && s.rows > 0 ? `, ${s.rows} rows` : '';
  const lines = [`  ${status} ${s.file}:${s.range.start.line}  ${s.kind.padEnd(20)} ${s.durationMs.toFixed(1)} ms${rows}  ${paint(90, firstLine(s.sql))}`];
  if (s.note && s.status !== 'skipped') lines.push(`            ${paint(90, s.note)}`);
  for (const n of s.notices) lines.push(`            ${n.severity}: ${n.message}`);
  pushAll(lines, measurementLines(s, paint));
  if (s.error) pushAll(lines, formatError(s.error, paint, '            '));
  return lines;
}

function formatCheck(c: VerificationCheck, paint: Paint): string {
  return `  ${paint(STATUS_COLORS[c.status] ?? 90, c.status.padEnd(13))} ${c.kind.padEnd(10)} ${c.name}${c.table ? ` on ${c.table}` : ''}: ${c.detail}`;
}

function serverLine(report: RunReport): string {
  const shadow = report.shadow;
  if (shadow?.kind === 'pglite') return `server: ${shadow.label} (shadow)`;
  if (!report.server) return 'not connected';
  const server = `PostgreSQL ${report.server.version}, ${report.server.user}@${report.server.database}`;
  return shadow ? `${server}, ${shadow.label}` : server;
}

/** What a missing backend capability means for the run, in the report's words. */
const LACKING: Record<string, string> = {
  cancel: 'cancel a running statement',
  timeouts: 'enforce lock_timeout/statement_timeout',
  concurrentSessions: 'open a second session (lock contention)',
};

function shadowLine(s: ShadowReport): string {
  const cached = s.restored > 0 ? `${s.restored} from the snapshot cache, ` : '';
  const lacks = s.lacks.length > 0 ? `; this shadow cannot ${s.lacks.map((l) => LACKING[l] ?? l).join(', ')}` : '';
  const undone = s.undone?.length ? `; Drydock undid what the run left on the shadow's server: dropped ${s.undone.join(', ')}` : '';
  return `shadow: ${s.history} earlier ${s.tool} migration(s) applied first (${cached}${s.replayed} replayed in ${s.replayMs.toFixed(0)} ms, boot ${s.bootMs.toFixed(0)} ms)${lacks}${undone}`;
}

/** What the files ran on after an earlier migration failed, in one sentence. */
export function historyFailureOutcome(h: HistoryFailure): string {
  const applied = `${h.applied} earlier migration${h.applied === 1 ? '' : 's'} applied`;
  const notApplied = [h.file, ...h.notApplied];
  const skipped = `not applied: ${notApplied.slice(0, 5).join(', ')}${notApplied.length > 5 ? ` and ${notApplied.length - 5} more` : ''}`;
  return h.filesRan
    ? `the files were dry-run anyway, on the state before ${h.file} (${applied}; ${skipped})`
    : 'the files were not run';
}

/** An earlier migration's failure, said as the history's before anything about the files. */
function historyLines(h: HistoryFailure, paint: Paint): string[] {
  return [
    paint(33, `history: earlier migration ${h.file} failed; this is the history's error, not the files'`),
    ...formatError(h.error, paint, '  '),
    `  ${historyFailureOutcome(h)}`,
  ];
}

/** True when the report's error is the history's failure (the files were not run): shown as the history's, not again as the run's. */
export function isHistoryError(report: RunReport): boolean {
  const h = report.historyFailure;
  return h !== undefined && report.error !== undefined && report.error.message === h.error.message && report.error.sqlstate === h.error.sqlstate;
}

/** The last line of a run's report: its outcome, whether it committed, and how long it took. */
export function verdictLine(report: RunReport, paint: Paint): string {
  const verdict = report.outcome === 'succeeded' ? paint(32, 'succeeded') : paint(31, report.outcome);
  const ended = report.transactionEnded;
  const committedBy = ended && report.committed ? ` by ${ended.file}:${ended.line} (${ended.kind}), ${ended.effect === 'unknown' ? 'perhaps' : 'in part'}` : '';
  // Refused before connecting: nothing was sent, so nothing was rolled back either.
  const nothingSent = report.outcome === 'refused' && report.server === null;
  const txn = report.committed ? paint(33, `committed${committedBy}`) : nothingSent ? 'nothing sent'
    : report.mode === 'apply' && !report.transactional ? 'not committed' : 'rolled back';
  // A shadow's server changed outside the shadow is no rollback, whatever became of the files.
  const changed = report.shadow?.serverChanged ?? [];
  const ending = changed.length > 0 ? paint(33, `the shadow's server was changed (${changed.join(', ')})`) : report.mode === 'verify' ? 'read only' : txn;
  const history = report.historyFailure?.filesRan ? paint(33, `; the history failed at ${report.historyFailure.file} (the files ran on the state before it)`) : '';
  return `${verdict}: ${ending}, ${report.timings.totalMs.toFixed(0)} ms${history}`;
}

/** How the readable report shows the rules' findings: each one, or only how many (a later run of the same files, as the demo's apply). */
export interface ReportTextOptions {
  findings: 'listed' | 'counted';
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "18 errors, 2 warnings, 10 info", or "none". */
function findingCounts(findings: readonly Finding[]): string {
  const count = (severity: Finding['severity']) => findings.filter((d) => d.severity === severity).length;
  const parts = [[count('error'), 'error'], [count('warning'), 'warning']] as const;
  const shown = parts.filter(([n]) => n > 0).map(([n, word]) => plural(n, word));
  const info = findings.length - count('error') - count('warning');
  if (info > 0) shown.push(`${info} info`);
  return shown.length > 0 ? shown.join(', ') : 'none';
}

// The order the counts are given in: what ran, what failed, what did not run.
const STATEMENT_STATUSES: readonly StatementReport['status'][] = ['ok', 'simulated', 'failed', 'skipped'];

/** "19 statements (16 ok, 1 failed, 2 skipped)". */
function statementCounts(report: RunReport): string {
  const parts = STATEMENT_STATUSES.map((status) => [status, report.statements.filter((s) => s.status === status).length] as const)
    .filter(([, n]) => n > 0).map(([status, n]) => `${n} ${status}`);
  return `${plural(report.statements.length, 'statement')}${parts.length > 0 ? ` (${parts.join(', ')})` : ''}`;
}

/**
 * The report's first line, its verdict: what ran where, the outcome and where it failed, and the
 * counts (statements, declared objects verified, the rules' findings). A rule's error does not make
 * a run fail (the run's outcome is what PostgreSQL did; `drydock check` is the gate for the rules),
 * and the line says so whenever both stand in one report.
 */
export function summaryLine(report: RunReport, paint: Paint): string {
  const e = report.error;
  const where = e?.file ? ` at ${e.file}${e.position ? `:${e.position.line}` : ''}` : '';
  const cause = e ? ` (${isDrydockFailure(e) ? e.title : `${e.title}, SQLSTATE ${e.sqlstate}`})` : '';
  const outcome = report.outcome === 'succeeded' ? paint(32, 'succeeded') : paint(31, `${report.outcome}${where}${cause}`);
  const ended = report.mode === 'verify' ? 'read only' : report.committed ? 'committed'
    : report.server === null && report.shadow === undefined ? 'nothing sent' : report.mode === 'apply' && !report.transactional ? 'not committed' : 'rolled back';
  const verified = report.verification.filter((c) => c.status === 'ok').length;
  const counts = [plural(report.files.length, 'file'), statementCounts(report)];
  if (report.verification.length > 0) counts.push(`${verified} of ${report.verification.length} declared objects verified`);
  const errors = report.diagnostics.filter((d) => d.severity === 'error').length;
  const advice = errors > 0 && report.outcome === 'succeeded' ? ' (rule findings: they did not stop the run; drydock check fails on them)' : '';
  const findings = `findings: ${findingCounts(report.diagnostics)}${advice}`;
  // An earlier migration's failure is the history's, not the files' outcome: said next to it.
  const history = report.historyFailure ? paint(33, ` (the history failed at ${report.historyFailure.file}${report.historyFailure.filesRan ? '; the files ran on the state before it' : ''})`) : '';
  return `${paint(1, `drydock ${report.mode}`)}: ${outcome}${history}, ${ended} · ${counts.join(', ')} · ${findings} · ${serverLine(report)}`;
}

/** The lines of a run's readable report, verdict first (any number of them; its strings as given: the renderers make them visible and mask them first). */
export function reportLines(report: RunReport, color: boolean, options: ReportTextOptions = { findings: 'listed' }): string[] {
  const paint = painter(color);
  const out: string[] = [summaryLine(report, paint)];
  out.push(`files: ${report.files.join(', ')}`);
  if (report.shadow) out.push(shadowLine(report.shadow));
  if (report.historyFailure) pushAll(out, historyLines(report.historyFailure, paint));
  if (options.findings === 'listed' && report.diagnostics.length > 0) {
    out.push('Findings:');
    for (const d of report.diagnostics) out.push(formatDiagnostic(d, paint));
  }
  if (report.statements.length > 0) {
    out.push('Statements:');
    for (const s of report.statements) pushAll(out, formatStatement(s, paint));
  }
  if (report.verification.length > 0) {
    out.push('Verification:');
    for (const c of report.verification) out.push(formatCheck(c, paint));
  }
  for (const leftover of report.leftovers) out.push(paint(33, `left behind: ${leftover}`));
  if (report.error && !isHistoryError(report) && !report.statements.some((s) => s.error === report.error)) pushAll(out, formatError(report.error, paint, ''));
  out.push(verdictLine(report, paint));
  return out;
}

/** A multi-line summary of a run, each value's own line breaks indented under the line it belongs to. */
export function formatReport(report: RunReport, color: boolean, options?: ReportTextOptions): string {
  return [...indentingContinuations(reportLines(report, color, options))].join('\n');
}
