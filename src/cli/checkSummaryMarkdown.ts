// A check report as Markdown, for a CI job's summary page and a pull-request comment: the verdict,
// the counts, and the findings in a table (the first ones; the rest counted).
import type { CheckReport } from '../core/model/checkReport';
import type { Finding } from '../core/model/findings';
import { relativeToBase } from '../core/output/relativePath';

const SHOWN = 50;
const ICONS: Record<Finding['severity'], string> = { error: '🛑 error', warning: '⚠️ warning', info: 'ℹ️ info' };

/** Text inside a Markdown table cell: pipes escaped, one line, HTML not interpreted, not too long. */
function cell(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim();
  const cut = one.length > 300 ? `${one.slice(0, 297)}…` : one;
  return cut.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\|/g, '\\|').replace(/`/g, '\\`');
}

/** The Markdown summary of a check of the migrations changed since `base` (or of all of them). */
export function checkSummaryMarkdown(report: CheckReport, options: { baseDir: string; base: string | null; docsBaseUri: string }): string {
  const count = (s: Finding['severity']) => report.diagnostics.filter((d) => d.severity === s).length;
  const errors = count('error');
  const scope = options.base ? `the ${report.files.length} migration file(s) changed since \`${cell(options.base.slice(0, 12))}\`` : `${report.files.length} migration file(s)`;
  const lines = [
    `### ${errors > 0 ? '🛑' : '✅'} Drydock: ${errors} error(s), ${count('warning')} warning(s), ${count('info')} note(s)`,
    '',
    `Checked ${scope}.`,
  ];
  if (report.files.length === 0) lines.push('', 'No migration changed: nothing to judge.');
  const shown = [...report.diagnostics].sort((a, b) => ['error', 'warning', 'info'].indexOf(a.severity) - ['error', 'warning', 'info'].indexOf(b.severity)).slice(0, SHOWN);
  if (shown.length > 0) {
    lines.push('', '| | Where | Rule | Finding |', '|---|---|---|---|');
    for (const d of shown) {
      const docs = new URL(`docs/rules/${d.ruleId}.md`, options.docsBaseUri).href;
      lines.push(`| ${ICONS[d.severity]} | \`${cell(relativeToBase(d.file, options.baseDir))}:${d.range.start.line}\` | [${cell(d.ruleId)}](${docs}) | ${cell(d.message)} |`);
    }
    if (report.diagnostics.length > SHOWN) lines.push('', `… and ${report.diagnostics.length - SHOWN} more (see the job's log).`);
  }
  return `${lines.join('\n')}\n`;
}
