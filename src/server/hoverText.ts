// The hover on a statement of a migration file, as markdown text: first, when the latest run
// measured this statement (its text unchanged since), what was measured (or that it failed, and so
// nothing was); then what it locks (PostgreSQL's lock name and the table), what that lock blocks,
// whether the table is rewritten or read in full, predicted from the text; then one line per
// finding (its rule, what the run concluded, the docs page; the message is the diagnostic's). Plain text in and out:
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

function predictedSection(info: StatementInfo, measured: boolean): string {
  let md = `**${info.kind}**${measured ? ' · predicted from the text' : ''}\n\n`;
  md += plainMarkdown(info.summary || 'Takes no lock that keeps other sessions from reading or writing a table.');
  md += '\n\n';
  if (info.newTables.length > 0) {
    const one = info.newTables.length === 1;
    md += plainMarkdown(`${info.newTables.join(', ')} ${one ? 'is' : 'are'} created earlier in this migration: nobody can be waiting for ${one ? 'it' : 'them'} yet.`);
    md += '\n\n';
  }
  return md;
}

/**
 * One line per finding: its rule, severity, what the run concluded and the docs page, with the
 * rule's summary. The finding's message is left out: the editor shows the diagnostic beside the
 * hover already, and repeating it made a wall of the same text twice.
 */
function findingsSection(info: StatementInfo, style: HoverStyle): string {
  if (info.findings.length === 0) return '';
  let md = '---\n\n';
  for (const { finding, ruleSummary } of info.findings) {
    const icon = style.themeIcons ? `$(${finding.severity === 'error' ? 'error' : finding.severity === 'warning' ? 'warning' : 'info'}) ` : '';
    const summary = ruleSummary ? ` — ${plainMarkdown(ruleSummary)}` : '';
    md += `- ${icon}\`${finding.ruleId}\` (${finding.severity})${evidenceLabel(finding)} · [docs](${style.docsLink(finding.ruleId)})${summary}\n`;
  }
  return `${md}\n`;
}

/** What the last run measured for the statement: first in the hover, since it is evidence and the rest is prediction. */
function measuredSection(measured: Measured, style: HoverStyle): string {
  const s = measured.statement;
  const run = RUN_MODES[measured.mode].title.toLowerCase();
  const pulse = style.themeIcons ? '$(pulse) ' : '';
  if (s.status === 'failed') {
    const why = s.error ? ` (SQLSTATE ${s.error.sqlstate}, ${s.error.title})` : '';
    return `${style.themeIcons ? '$(error) ' : ''}**Failed in the last ${run}**${plainMarkdown(why)}: nothing was measured; what follows is predicted from the text.\n\n---\n\n`;
  }
  // A statement a dry-run cannot run and roll back (a DO block that COMMITs) is 'simulated' without
  // having run: nothing was measured, and "no lock, no rewrite" would be a claim about nothing.
  if (s.status === 'skipped' || (s.status === 'simulated' && s.note?.startsWith('not executed'))) {
    return `**Not run by the last ${run}**${s.note ? ` (${plainMarkdown(s.note)})` : ''}: nothing was measured.\n\n---\n\n`;
  }
  const lines = [
    ...s.locks.filter((l) => !l.createdInRun).map(lockText),
    ...s.rewrites.map((r) => `rewrote ${r.kind} ${r.relation}`),
    ...s.scans.map((sc) => `read all of ${sc.relation}: ${sc.reason} (${sc.rows} row version${sc.rows === 1 ? '' : 's'} read)`),
    ...(s.impact ?? []).map((i) => `on the reference: ${i.summary}`),
  ];
  let md = `${pulse}**Measured by the last ${run}**${s.status === 'simulated' ? ' (simulated)' : ''}\n\n`;
  if (lines.length === 0) md += plainMarkdown('No lock on an existing table, no rewrite, no full scan.') + '\n';
  for (const line of lines) md += `- ${plainMarkdown(line)}\n`;
  return `${md}\n---\n\n`;
}

/** The hover's markdown for a statement: the measurement first when there is one, then the prediction and the findings' rules. */
export function statementHoverMarkdown(info: StatementInfo, measured: Measured | null, style: HoverStyle): string {
  return (measured ? measuredSection(measured, style) : '') + predictedSection(info, measured !== null) + findingsSection(info, style);
}
