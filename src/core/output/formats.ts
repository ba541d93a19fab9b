// The output formats the CLI offers for `check` and the run commands, as one table.
import type { CheckReport } from '../model/checkReport';
import type { RunReport } from '../model/report';
import { RULES } from '../rules/registry';
import { ruleDocsPath } from '../rules/rule';
import { findingToGithub } from './github';
import { jsonChunks } from './jsonChunks';
import { RUN_RESULT_RULES, runFindings } from './runFindings';
import { findingsToSarif, type SarifRule } from './sarif';
import { formatDiagnostic, painter, reportLines, verdictLine } from './text';

/** The formats, in the order `--help` lists them. */
export const OUTPUT_FORMATS = ['text', 'json', 'sarif', 'github'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** True for a string that names an output format. */
export function isOutputFormat(value: string): value is OutputFormat {
  return (OUTPUT_FORMATS as readonly string[]).includes(value);
}

/** What every renderer may need besides the report. */
export interface RenderOptions {
  color: boolean;
  /** The directory SARIF paths are relative to (the shell's current directory). */
  baseDir: string;
  toolVersion: string;
}

/** The registry's rules as SARIF describes them. */
export function sarifRules(): SarifRule[] {
  return RULES.map((r) => ({ id: r.id, defaultSeverity: r.defaultSeverity, summary: r.summary, help: r.help, docsPath: ruleDocsPath(r.id) }));
}

function checkSummary(report: CheckReport): string {
  const errors = report.diagnostics.filter((d) => d.severity === 'error').length;
  return `${report.statements.length} statements in ${report.files.length} file(s), ${errors} error(s)`;
}

/** Lines, with a line break between each two. */
function* joinedLines(lines: Iterable<string>): Generator<string> {
  let first = true;
  for (const line of lines) {
    yield first ? line : `\n${line}`;
    first = false;
  }
}

/**
 * A check report in the chosen format, in pieces to be written one after the other: concatenated,
 * they are the whole output, of any size (no one string holds it).
 */
export function* checkReportChunks(report: CheckReport, format: OutputFormat, options: RenderOptions): Generator<string> {
  switch (format) {
    case 'json': return yield* jsonChunks(report);
    case 'sarif': return yield* jsonChunks(findingsToSarif(report.diagnostics, { rules: sarifRules(), toolVersion: options.toolVersion, baseDir: options.baseDir }));
    // Annotations, then the summary line the log shows.
    case 'github': return yield* joinedLines([...report.diagnostics.map(findingToGithub), checkSummary(report)]);
    case 'text': {
      const paint = painter(options.color);
      return yield* joinedLines([...report.diagnostics.map((d) => formatDiagnostic(d, paint)), checkSummary(report)]);
    }
  }
}

/** A check report in the chosen format, as one string. */
export function renderCheckReport(report: CheckReport, format: OutputFormat, options: RenderOptions): string {
  return [...checkReportChunks(report, format, options)].join('');
}

/** A check's summary alone, in the chosen format, for when its report could not be rendered (`reason` says why). */
export function renderCheckOutcome(report: CheckReport, format: OutputFormat, reason: string): string {
  const note = `drydock could not write the findings (${reason}); ${checkSummary(report)}`;
  const errors = report.diagnostics.filter((d) => d.severity === 'error').length;
  switch (format) {
    case 'json': return JSON.stringify({ files: report.files, statements: report.statements.length, errors, reportError: reason }, null, 2);
    case 'sarif': return sarifOutcome(errors === 0, note, { errors });
    case 'github': return `::${errors === 0 ? 'warning' : 'error'}::${note}\n${checkSummary(report)}`;
    case 'text': return note;
  }
}

/** A SARIF log without results that says why they are missing. */
function sarifOutcome(successful: boolean, note: string, properties: Record<string, unknown>): string {
  return JSON.stringify({
    version: '2.1.0', $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    runs: [{
      tool: { driver: { name: 'drydock', rules: [] } }, results: [],
      invocations: [{ executionSuccessful: successful, toolExecutionNotifications: [{ level: 'error', message: { text: note } }], properties }],
    }],
  }, null, 2);
}

/** A run report in the chosen format, in pieces to be written one after the other (any size, as checkReportChunks). */
export function* runReportChunks(report: RunReport, format: OutputFormat, options: RenderOptions): Generator<string> {
  switch (format) {
    case 'json': return yield* jsonChunks(report);
    case 'sarif': return yield* jsonChunks(findingsToSarif(runFindings(report), {
      rules: [...sarifRules(), ...RUN_RESULT_RULES], toolVersion: options.toolVersion, baseDir: options.baseDir,
    }));
    // Annotations, then the readable report for the log.
    case 'github': return yield* joinedLines([...runFindings(report).map(findingToGithub), ...reportLines(report, false)]);
    case 'text': return yield* joinedLines(reportLines(report, options.color));
  }
}

/** A run report in the chosen format, as one string. */
export function renderRunReport(report: RunReport, format: OutputFormat, options: RenderOptions): string {
  return [...runReportChunks(report, format, options)].join('');
}

/**
 * A run's outcome alone, in the chosen format, for when its report could not be rendered (`reason`
 * says why): whether it succeeded, committed or rolled back must reach the user whatever happens.
 */
export function renderRunOutcome(report: RunReport, format: OutputFormat, reason: string): string {
  const note = `drydock could not write the full report (${reason}); the run's outcome is:`;
  const e = report.error;
  const error = e ? `${e.label}: ${e.title} (SQLSTATE ${e.sqlstate})${e.file && e.position ? ` at ${e.file}:${e.position.line}:${e.position.column}` : ''}` : null;
  const outcome = { outcome: report.outcome, committed: report.committed, transactional: report.transactional, ...(error ? { error } : {}) };
  const verdict = verdictLine(report, painter(false));
  switch (format) {
    case 'json': return JSON.stringify({ reportVersion: report.reportVersion, mode: report.mode, files: report.files, ...outcome, reportError: reason }, null, 2);
    case 'sarif': return sarifOutcome(report.outcome === 'succeeded', `${note} ${verdict}`, outcome);
    case 'github': return `::${report.outcome === 'succeeded' ? 'warning' : 'error'}::${note} ${verdict}\n${error ? `${error}\n` : ''}${verdict}`;
    case 'text': return `${note}\n${error ? `${error}\n` : ''}${verdict}`;
  }
}
