// The hover on a statement of a migration file: what it locks (PostgreSQL's lock name and the
// table), what that lock blocks, whether the table is rewritten or read in full, the findings on
// it with their rule's explanation and docs page — predicted from the text, as the rules judge it
// — and, when the latest run measured this statement (its text unchanged since), what was measured
// and whether it confirmed or contradicted each finding.
import * as vscode from 'vscode';
import type { Finding } from '../../core/model/findings';
import type { StatementReport } from '../../core/model/report';
import { RUN_MODES, type RunMode } from '../../core/model/runModes';
import { lockText } from '../../core/output/text';
import type { StatementInfo } from '../../core/rules/statementInfo';
import type { DrydockContext } from '../context';
import { toRange } from '../convert';
import { checkEngine } from '../engine';
import { MIGRATION_DOCUMENTS, type RunDiagnostics } from './diagnostics';
import { lastRunOf, withRunEvidence } from './lastRun';
import { ruleDocsUri } from './ruleDocs';

/** The measurement of the latest run for the statement holding `offset`, with that run's mode. */
interface Measured {
  mode: RunMode;
  statement: StatementReport;
}

/** What the run concluded about a finding, as the hover's heading line says it. */
function evidenceLabel(finding: Finding): string {
  if (finding.evidence === 'confirmed') return ' · **confirmed by the last run**';
  if (finding.evidence === 'contradicted') return ` · **contradicted by the last run**${finding.downgradedFrom ? ` (downgraded from ${finding.downgradedFrom})` : ''}`;
  return '';
}

/**
 * Text as markdown that reads as written. MarkdownString.appendText would also turn every space
 * into &nbsp;, so a long message could not wrap in the hover.
 */
function plain(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, '\\$&');
}

function predictedSection(md: vscode.MarkdownString, info: StatementInfo): void {
  md.appendMarkdown(`**${info.kind}**\n\n`);
  if (info.summary) md.appendMarkdown(plain(info.summary));
  else md.appendMarkdown(plain('Takes no lock that keeps other sessions from reading or writing a table.'));
  md.appendMarkdown('\n\n');
  if (info.newTables.length > 0) {
    md.appendMarkdown(plain(`${info.newTables.join(', ')} ${info.newTables.length === 1 ? 'is' : 'are'} created earlier in this migration: nobody can be waiting for ${info.newTables.length === 1 ? 'it' : 'them'} yet.`));
    md.appendMarkdown('\n\n');
  }
}

function findingsSection(md: vscode.MarkdownString, info: StatementInfo, extensionUri: vscode.Uri): void {
  for (const { finding, ruleSummary, help } of info.findings) {
    md.appendMarkdown('---\n\n');
    md.appendMarkdown(`$(${finding.severity === 'error' ? 'error' : finding.severity === 'warning' ? 'warning' : 'info'}) \`${finding.ruleId}\` (${finding.severity})${evidenceLabel(finding)} · [docs](${ruleDocsUri(extensionUri, finding.ruleId).toString()})\n\n`);
    md.appendMarkdown(plain(finding.message));
    md.appendMarkdown('\n\n');
    if (help && help !== finding.message) {
      md.appendMarkdown('*');
      md.appendMarkdown(plain(help));
      md.appendMarkdown('*\n\n');
    }
    if (ruleSummary) {
      md.appendMarkdown('Rule: ');
      md.appendMarkdown(plain(ruleSummary));
      md.appendMarkdown('\n\n');
    }
  }
}

function measuredSection(md: vscode.MarkdownString, measured: Measured): void {
  const s = measured.statement;
  const lines = [
    ...s.locks.filter((l) => !l.createdInRun).map(lockText),
    ...s.rewrites.map((r) => `rewrote ${r.kind} ${r.relation}`),
    ...s.scans.map((sc) => `read all of ${sc.relation}: ${sc.reason} (${sc.rows} rows)`),
    ...(s.impact ?? []).map((i) => `on the reference: ${i.summary}`),
  ];
  md.appendMarkdown('---\n\n');
  md.appendMarkdown(`$(pulse) **Measured by the last ${RUN_MODES[measured.mode].title.toLowerCase()}**\n\n`);
  if (lines.length === 0) md.appendMarkdown(plain('No lock on an existing table, no rewrite, no full scan.'));
  for (const line of lines) {
    md.appendMarkdown('- ');
    md.appendMarkdown(plain(line));
    md.appendMarkdown('\n');
  }
}

/** The hover's markdown for a statement: prediction, findings, and the measurement when there is one. */
export function statementHoverMarkdown(info: StatementInfo, measured: Measured | null, extensionUri: vscode.Uri): vscode.MarkdownString {
  const md = new vscode.MarkdownString('', true);
  predictedSection(md, info);
  findingsSection(md, info, extensionUri);
  if (measured) measuredSection(md, measured);
  return md;
}

class MigrationHoverProvider implements vscode.HoverProvider {
  constructor(private readonly ctx: DrydockContext, private readonly diagnostics: RunDiagnostics) {}

  async provideHover(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
    if (!this.diagnostics.isMigrationFile(document)) return undefined;
    const outcome = await this.diagnostics.checks.current(document);
    if (outcome.kind !== 'checked' || document.isClosed) return undefined;
    const core = await checkEngine();
    const offset = document.offsetAt(position);
    // The findings as the diagnostics show them: with what the last run concluded about each.
    const run = lastRunOf(this.ctx.results.reports, document.uri.fsPath, outcome.checked.text);
    const checked = { ...outcome.checked, diagnostics: withRunEvidence(outcome.checked.diagnostics, run) };
    const info = core.statementInfo.statementInfoAt(checked, offset);
    if (!info) return undefined;
    const statement = run?.statements.find((s) => s.offsets.start <= offset && offset <= s.offsets.end);
    const measured = run && statement ? { mode: run.mode, statement } : null;
    return new vscode.Hover(statementHoverMarkdown(info, measured, this.ctx.extension.extensionUri), toRange(info.range));
  }
}

/** Registers the statement hover for migration files. */
export function registerHover(ctx: DrydockContext, diagnostics: RunDiagnostics): void {
  ctx.subscribe(vscode.languages.registerHoverProvider(MIGRATION_DOCUMENTS, new MigrationHoverProvider(ctx, diagnostics)));
}
