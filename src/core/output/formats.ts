// The output formats the CLI offers for `check` and the run commands, as one table.
import type { CheckReport } from '../model/checkReport';
import { mapStringsDeep } from '../model/deepStrings';
import type { RunReport } from '../model/report';
import { SecretMask } from '../model/secretMask';
import { RULES } from '../rules/registry';
import { ruleDocsPath } from '../rules/rule';
import { findingsToGithub, withoutWorkflowCommands } from './github';
import { RUN_RESULT_RULES, runFindings } from './runFindings';
import { findingsToSarif, type SarifRule } from './sarif';
import { formatDiagnostic, formatReport, painter } from './text';
import { joinIndentingContinuations, visibleText } from './visibleText';

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
  /** Every password the shell resolved: masked in the report's data before it is rendered. */
  secrets: readonly string[];
}

/** The registry's rules as SARIF describes them. */
export function sarifRules(): SarifRule[] {
  return RULES.map((r) => ({ id: r.id, defaultSeverity: r.defaultSeverity, summary: r.summary, help: r.help, docsPath: ruleDocsPath(r.id) }));
}

function checkSummary(report: CheckReport): string {
  const errors = report.diagnostics.filter((d) => d.severity === 'error').length;
  return `${report.statements.length} statements in ${report.files.length} file(s), ${errors} error(s)`;
}

/**
 * The report's data as a format may show it, in one pass over every string: passwords masked (no
 * format's escaping or cut can then show one; what the renderers add besides is Drydock's own
 * text), and for the readable formats every control character made visible.
 */
function shownData<T>(report: T, format: OutputFormat, secrets: readonly string[]): T {
  const mask = new SecretMask(secrets);
  const readable = format === 'text' || format === 'github';
  return mapStringsDeep(report, readable ? (text) => visibleText(mask.text(text)) : (text) => mask.text(text));
}

/** A check report in the chosen format, its passwords masked in its data before it is rendered. */
export function renderCheckReport(report: CheckReport, format: OutputFormat, options: RenderOptions): string {
  return renderCheck(shownData(report, format, options.secrets), format, options);
}

function renderCheck(report: CheckReport, format: OutputFormat, options: RenderOptions): string {
  switch (format) {
    case 'json': return JSON.stringify(report, null, 2);
    case 'sarif': return JSON.stringify(findingsToSarif(report.diagnostics, { rules: sarifRules(), toolVersion: options.toolVersion, baseDir: options.baseDir }), null, 2);
    // Annotations, then the summary line the log shows.
    case 'github': return [findingsToGithub(report.diagnostics), checkSummary(report)].filter((l) => l !== '').join('\n');
    case 'text': {
      const paint = painter(options.color);
      return joinIndentingContinuations([...report.diagnostics.map((d) => formatDiagnostic(d, paint)), checkSummary(report)]);
    }
  }
}

/** A run report in the chosen format, its passwords masked in its data before it is rendered. */
export function renderRunReport(report: RunReport, format: OutputFormat, options: RenderOptions): string {
  return renderRun(shownData(report, format, options.secrets), format, options);
}

function renderRun(report: RunReport, format: OutputFormat, options: RenderOptions): string {
  switch (format) {
    case 'json': return JSON.stringify(report, null, 2);
    case 'sarif': return JSON.stringify(findingsToSarif(runFindings(report), {
      rules: [...sarifRules(), ...RUN_RESULT_RULES], toolVersion: options.toolVersion, baseDir: options.baseDir,
    }), null, 2);
    // Annotations, then the readable report for the log, where no line of it can be a workflow command.
    case 'github': return [findingsToGithub(runFindings(report)), withoutWorkflowCommands(formatReport(report, false))].filter((l) => l !== '').join('\n');
    case 'text': return formatReport(report, options.color);
  }
}
