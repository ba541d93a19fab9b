// The hover on a statement of a migration file, as markdown text: what it locks (PostgreSQL's lock
// name and the table), what that lock blocks, whether the table is rewritten or read in full, the
// findings on it with their rule's explanation and docs page — predicted from the text, as the
// rules judge it — and, when the latest run measured this statement (its text unchanged since),
// what was measured and whether it confirmed or contradicted each finding. Plain text in and out:
// the language server and the VS Code extension show the same hover.
import type { Finding } from '../core/model/findings';
import type { StatementReport } from '../core/model/report';
import { RUN_MODES, type RunMode } from '../core/model/runModes';
import { lockText } from '../core/output/text';
import type { StatementInfo } from '../core/rules/statementInfo';

/** The measurement of the latest run for the statement under the cursor, with that run's mode. */
export interface Measured {
  mode: RunMode;
  statement: StatementReport;
}

/** How the hover is written for one client. */
export interface HoverStyle {
  /** The link to a rule's docs page. */
  docsLink(ruleId: string): string;
  /** VS Code's `$(name)` theme icons; other editors get plain words. */
  themeIcons: boolean;
}

/** What the run concluded about a finding, as the hover's heading line says it. */
function evidenceLabel(finding: Finding): string {
  if (finding.evidence === 'confirmed') return ' · **confirmed by the last run**';
  if (finding.evidence === 'contradicted') return ` · **contradicted by the last run**${finding.downgradedFrom ? ` (downgraded from ${finding.downgradedFrom})` : ''}`;
  return '';
}

/** Text as markdown that reads as written (every markdown character escaped, spaces kept so long messages wrap). */
export function plainMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, '\\$&');
}

function predictedSection(info: StatementInfo): string {
  let md = `**${info.kind}**\n\n`;
  md += plainMarkdown(info.summary || 'Takes no lock that keeps other sessions from reading or writing a table.');
  md += '\n\n';
  if (info.newTables.length > 0) {
    const one = info.newTables.length === 1;
    md += plainMarkdown(`${info.newTables.join(', ')} ${one ? 'is' : 'are'} created earlier in this migration: nobody can be waiting for ${one ? 'it' : 'them'} yet.`);
    md += '\n\n';
  }
  return md;
}

function findingsSection(info: StatementInfo, style: HoverStyle): string {
  let md = '';
  for (const { finding, ruleSummary, help } of info.findings) {
    const icon = style.themeIcons ? `$(${finding.severity === 'error' ? 'error' : finding.severity === 'warning' ? 'warning' : 'info'}) ` : '';
    md += '---\n\n';
    md += `${icon}\`${finding.ruleId}\` (${finding.severity})${evidenceLabel(finding)} · [docs](${style.docsLink(finding.ruleId)})\n\n`;
    md += plainMarkdown(finding.message) + '\n\n';
    if (help && help !== finding.message) md += `*${plainMarkdown(help)}*\n\n`;
    if (ruleSummary) md += `Rule: ${plainMarkdown(ruleSummary)}\n\n`;
  }
  return md;
}

function measuredSection(measured: Measured, style: HoverStyle): string {
  const s = measured.statement;
  const lines = [
    ...s.locks.filter((l) => !l.createdInRun).map(lockText),
    ...s.rewrites.map((r) => `rewrote ${r.kind} ${r.relation}`),
    ...s.scans.map((sc) => `read all of ${sc.relation}: ${sc.reason} (${sc.rows} rows)`),
    ...(s.impact ?? []).map((i) => `on the reference: ${i.summary}`),
  ];
  let md = '---\n\n';
  md += `${style.themeIcons ? '$(pulse) ' : ''}**Measured by the last ${RUN_MODES[measured.mode].title.toLowerCase()}**\n\n`;
  if (lines.length === 0) md += plainMarkdown('No lock on an existing table, no rewrite, no full scan.');
  for (const line of lines) md += `- ${plainMarkdown(line)}\n`;
  return md;
}

/** The hover's markdown for a statement: prediction, findings, and the measurement when there is one. */
export function statementHoverMarkdown(info: StatementInfo, measured: Measured | null, style: HoverStyle): string {
  return predictedSection(info) + findingsSection(info, style) + (measured ? measuredSection(measured, style) : '');
}
