// The output formats the CLI offers for `check` and the run commands, as one table.
import type { CheckReport } from '../model/checkReport';
import type { Finding } from '../model/findings';
import { mapStringsDeep } from '../model/deepStrings';
import type { RunReport } from '../model/report';
import { SecretMask } from '../model/secretMask';
import { RULES } from '../rules/registry';
import { ruleDocsPath } from '../rules/rule';
import type { SourceOf } from './fingerprints';
import { escapeData, findingToGithub, withoutWorkflowCommands } from './github';
import { findingsToGitlab } from './gitlab';
import { findingsToJunit, xmlText } from './junit';
import { jsonChunks } from './jsonChunks';
import { RUN_RESULT_RULES, runFindings } from './runFindings';
import { findingsToSarif, type SarifRule } from './sarif';
import { errorHeadline, formatDiagnostic, painter, reportLines, verdictLine } from './text';
import { indentingContinuations, visibleText, withoutRunnerCommands } from './visibleText';

/** The formats, in the order `--help` lists them. */
export const OUTPUT_FORMATS = ['text', 'json', 'sarif', 'github', 'gitlab', 'junit'] as const;
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
  /** Every password the shell resolved: masked in the report's data before it is rendered. */
  secrets: readonly string[];
  /** The absolute URI the rules' docs pages (docs/rules/<id>.md) resolve against: SARIF's helpUri (the shells always give it). */
  docsBaseUri?: string;
  /** The files' text as read, for the fingerprints of SARIF and GitLab (without it they hash the messages). */
  sourceOf?: SourceOf;
}

/** The options SARIF's renderer takes from the render options. */
export function sarifOptionsOf(options: RenderOptions): { toolVersion: string; baseDir: string; docsBaseUri?: string; sourceOf?: SourceOf } {
  return {
    toolVersion: options.toolVersion, baseDir: options.baseDir,
    ...(options.docsBaseUri ? { docsBaseUri: options.docsBaseUri } : {}), ...(options.sourceOf ? { sourceOf: options.sourceOf } : {}),
  };
}

/** The findings over the files in one of the formats that speak only in findings and files (GitLab, JUnit). */
export function* findingsFormatChunks(format: 'gitlab' | 'junit', files: readonly string[], findings: readonly Finding[], options: RenderOptions): Generator<string> {
  if (format === 'gitlab') return yield* jsonChunks(findingsToGitlab(findings, { baseDir: options.baseDir, ...(options.sourceOf ? { sourceOf: options.sourceOf } : {}) }));
  return yield* joinedLines(findingsToJunit(files, findings, { baseDir: options.baseDir }));
}

/**
 * What GitLab and JUnit show when a report could not be rendered: one issue, or one testcase,
 * saying why, failed unless the outcome was a success.
 */
export function findingsFormatOutcome(format: 'gitlab' | 'junit', successful: boolean, note: string): string {
  if (format === 'gitlab') {
    return JSON.stringify([{
      description: note, check_name: 'drydock-report', fingerprint: 'drydock-report-outcome',
      severity: successful ? 'info' : 'blocker', location: { path: '.', lines: { begin: 1 } },
    }], null, 2);
  }
  const failure = successful ? '/>' : `><failure message="${xmlText(note)}"/></testcase>`;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="drydock" tests="1" failures="${successful ? 0 : 1}" errors="0"><testsuite name="drydock" tests="1" failures="${successful ? 0 : 1}" errors="0"><testcase classname="drydock" name="report"${failure}</testsuite></testsuites>`;
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
export function* joinedLines(lines: Iterable<string>): Generator<string> {
  let first = true;
  for (const line of lines) {
    yield first ? line : `\n${line}`;
    first = false;
  }
}

/**
 * The report's data as a format may show it, in one pass over every string: passwords masked (no
 * format's escaping or cut can then show one; what the renderers add besides is Drydock's own
 * text), for the readable formats every control character made visible, and for text, which lands
 * in CI logs unprotected, what a runner would take for a command escaped.
 */
export function shownData<T>(report: T, format: OutputFormat, secrets: readonly string[]): T {
  const mask = new SecretMask(secrets);
  if (format === 'text') return mapStringsDeep(report, (text) => withoutRunnerCommands(visibleText(mask.text(text))));
  if (format === 'github') return mapStringsDeep(report, (text) => visibleText(mask.text(text)));
  return mapStringsDeep(report, (text) => mask.text(text));
}

/**
 * A check report in the chosen format, in pieces to be written one after the other: concatenated,
 * they are the whole output, of any size (no one string holds it). Its passwords are masked in its
 * data before it is rendered.
 */
export function* checkReportChunks(given: CheckReport, format: OutputFormat, options: RenderOptions): Generator<string> {
  const report = shownData(given, format, options.secrets);
  switch (format) {
    case 'json': return yield* jsonChunks(report);
    case 'sarif': return yield* jsonChunks(findingsToSarif(report.diagnostics, { rules: sarifRules(), ...sarifOptionsOf(options) }));
    case 'gitlab': case 'junit': return yield* findingsFormatChunks(format, report.files, report.diagnostics, options);
    // Annotations, then the summary line the log shows.
    case 'github': return yield* joinedLines([...report.diagnostics.map(findingToGithub), checkSummary(report)]);
    case 'text': {
      const paint = painter(options.color);
      return yield* joinedLines(indentingContinuations([...report.diagnostics.map((d) => formatDiagnostic(d, paint)), checkSummary(report)]));
    }
  }
}

/** A check report in the chosen format, as one string. */
export function renderCheckReport(report: CheckReport, format: OutputFormat, options: RenderOptions): string {
  return [...checkReportChunks(report, format, options)].join('');
}

/** A check's summary alone, in the chosen format, for when its report could not be rendered (`reason` says why). */
export function renderCheckOutcome(report: CheckReport, format: OutputFormat, given: string): string {
  const reason = oneLine(given);
  const note = `drydock could not write the findings (${reason}); ${checkSummary(report)}`;
  const errors = report.diagnostics.filter((d) => d.severity === 'error').length;
  switch (format) {
    case 'json': return JSON.stringify({ files: report.files, statements: report.statements.length, errors, reportError: reason }, null, 2);
    case 'sarif': return sarifOutcome(errors === 0, note, { errors });
    case 'github': return `::${errors === 0 ? 'warning' : 'error'}::${escapeData(note)}\n${checkSummary(report)}`;
    case 'gitlab': case 'junit': return findingsFormatOutcome(format, errors === 0, note);
    case 'text': return note;
  }
}

/** Text from outside Drydock on one visible line: nothing in it can start a line of its own (or a workflow command). */
export function oneLine(text: string): string {
  return withoutRunnerCommands(visibleText(text).replace(/\n/g, '\\n'));
}

/** A SARIF log without results that says why they are missing. */
export function sarifOutcome(successful: boolean, note: string, properties: Record<string, unknown>): string {
  return JSON.stringify({
    version: '2.1.0', $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    runs: [{
      tool: { driver: { name: 'drydock', rules: [] } }, results: [],
      invocations: [{ executionSuccessful: successful, toolExecutionNotifications: [{ level: 'error', message: { text: note } }], properties }],
    }],
  }, null, 2);
}

/** A run report in the chosen format, in pieces to be written one after the other (any size, masked, as checkReportChunks). */
export function* runReportChunks(given: RunReport, format: OutputFormat, options: RenderOptions): Generator<string> {
  const report = shownData(given, format, options.secrets);
  switch (format) {
    case 'json': return yield* jsonChunks(report);
    case 'sarif': return yield* jsonChunks(findingsToSarif(runFindings(report), { rules: [...sarifRules(), ...RUN_RESULT_RULES], ...sarifOptionsOf(options) }));
    case 'gitlab': case 'junit': return yield* findingsFormatChunks(format, report.files, runFindings(report), options);
    // Annotations, then the readable report for the log, where no line of it can be a workflow command.
    case 'github': return yield* joinedLines([...runFindings(report).map(findingToGithub), ...withoutWorkflowCommands([...indentingContinuations(reportLines(report, false))])]);
    case 'text': return yield* joinedLines(indentingContinuations(reportLines(report, options.color)));
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
export function renderRunOutcome(report: RunReport, format: OutputFormat, given: string): string {
  const reason = oneLine(given);
  const note = `drydock could not write the full report (${reason}); the run's outcome is:`;
  const e = report.error;
  const error = e ? oneLine(`${errorHeadline(e)}${e.file && e.position ? ` at ${e.file}:${e.position.line}:${e.position.column}` : ''}`) : null;
  const outcome = { outcome: report.outcome, committed: report.committed, transactional: report.transactional, ...(error ? { error } : {}) };
  const verdict = verdictLine(report, painter(false));
  switch (format) {
    case 'json': return JSON.stringify({ reportVersion: report.reportVersion, mode: report.mode, files: report.files, ...outcome, reportError: reason }, null, 2);
    case 'sarif': return sarifOutcome(report.outcome === 'succeeded', `${note} ${verdict}`, outcome);
    case 'github': return `::${report.outcome === 'succeeded' ? 'warning' : 'error'}::${escapeData(`${note} ${verdict}`)}\n${error ? `${error}\n` : ''}${verdict}`;
    case 'gitlab': case 'junit': return findingsFormatOutcome(format, report.outcome === 'succeeded', `${note} ${verdict}${error ? ` ${error}` : ''}`);
    case 'text': return `${note}\n${error ? `${error}\n` : ''}${verdict}`;
  }
}
