// The output formats the CLI offers for `check` and the run commands, as one table.
import type { CheckReport } from '../model/checkReport';
import type { RunReport } from '../model/report';
import { RULES } from '../rules/registry';
import { ruleDocsPath } from '../rules/rule';
import { findingsToGithub } from './github';
import { RUN_RESULT_RULES, runFindings } from './runFindings';
import { findingsToSarif, type SarifRule } from './sarif';
import { formatDiagnostic, formatReport, painter } from './text';

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

/** A check report in the chosen format. */
export function renderCheckReport(report: CheckReport, format: OutputFormat, options: RenderOptions): string {
  switch (format) {
    case 'json': return JSON.stringify(report, null, 2);
    case 'sarif': return JSON.stringify(findingsToSarif(report.diagnostics, { rules: sarifRules(), toolVersion: options.toolVersion, baseDir: options.baseDir }), null, 2);
    // Annotations, then the summary line the log shows.
    case 'github': return [findingsToGithub(report.diagnostics), checkSummary(report)].filter((l) => l !== '').join('\n');
    case 'text': {
      const paint = painter(options.color);
      return [...report.diagnostics.map((d) => formatDiagnostic(d, paint)), checkSummary(report)].join('\n');
    }
  }
}

/** A run report in the chosen format. */
export function renderRunReport(report: RunReport, format: OutputFormat, options: RenderOptions): string {
  switch (format) {
    case 'json': return JSON.stringify(report, null, 2);
    case 'sarif': return JSON.stringify(findingsToSarif(runFindings(report), {
      rules: [...sarifRules(), ...RUN_RESULT_RULES], toolVersion: options.toolVersion, baseDir: options.baseDir,
    }), null, 2);
    // Annotations, then the readable report for the log.
    case 'github': return [findingsToGithub(runFindings(report)), formatReport(report, false)].filter((l) => l !== '').join('\n');
    case 'text': return formatReport(report, options.color);
  }
}
