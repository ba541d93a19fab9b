// The output formats the CLI offers for `check` and the run commands, as one table.
import type { CheckReport } from '../model/checkReport';
import type { RunReport } from '../model/report';
import { SecretMask } from '../model/secretMask';
import { RULES } from '../rules/registry';
import { ruleDocsPath } from '../rules/rule';
import { findingsToGithub, withoutWorkflowCommands } from './github';
import { RUN_RESULT_RULES, runFindings } from './runFindings';
import { findingsToSarif, type SarifRule } from './sarif';
import { formatDiagnostic, formatReport, painter } from './text';
import { joinIndentingContinuations, visibleReport } from './visibleText';

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
  /** Every password the shell resolved: masked in the report's data before it is rendered, and in what is rendered. */
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

/** A check report in the chosen format, its passwords masked. */
export function renderCheckReport(report: CheckReport, format: OutputFormat, options: RenderOptions): string {
  const mask = new SecretMask(options.secrets);
  return mask.text(renderCheck(mask.deep(report), format, options));
}

function renderCheck(report: CheckReport, format: OutputFormat, options: RenderOptions): string {
  switch (format) {
    case 'json': return JSON.stringify(report, null, 2);
    case 'sarif': return JSON.stringify(findingsToSarif(report.diagnostics, { rules: sarifRules(), toolVersion: options.toolVersion, baseDir: options.baseDir }), null, 2);
    // Annotations, then the summary line the log shows.
    case 'github': return [findingsToGithub(visibleReport(report.diagnostics)), checkSummary(report)].filter((l) => l !== '').join('\n');
    case 'text': {
      const paint = painter(options.color);
      return joinIndentingContinuations([...visibleReport(report.diagnostics).map((d) => formatDiagnostic(d, paint)), checkSummary(report)]);
    }
  }
}

/** A run report in the chosen format, its passwords masked. */
export function renderRunReport(report: RunReport, format: OutputFormat, options: RenderOptions): string {
  const mask = new SecretMask(options.secrets);
  return mask.text(renderRun(mask.deep(report), format, options));
}

function renderRun(report: RunReport, format: OutputFormat, options: RenderOptions): string {
  switch (format) {
    case 'json': return JSON.stringify(report, null, 2);
    case 'sarif': return JSON.stringify(findingsToSarif(runFindings(report), {
      rules: [...sarifRules(), ...RUN_RESULT_RULES], toolVersion: options.toolVersion, baseDir: options.baseDir,
    }), null, 2);
    // Annotations, then the readable report for the log, where no line of it can be a workflow command.
    case 'github': {
      const visible = visibleReport(report);
      return [findingsToGithub(runFindings(visible)), withoutWorkflowCommands(formatReport(visible, false))].filter((l) => l !== '').join('\n');
    }
    case 'text': return formatReport(visibleReport(report), options.color);
  }
}
