// The hover on a statement of a migration file, in VS Code (the text is the language server's:
// server/hoverText.ts): what it locks, what that blocks, the findings, and what the last run measured.
import * as vscode from 'vscode';
import type { StatementInfo } from '../../core/rules/statementInfo';
import { statementHoverMarkdown as hoverText, type Measured } from '../../server/hoverText';
import type { DrydockContext } from '../context';
import { toRange } from '../convert';
import { checkEngine } from '../../server/engine';
import { MIGRATION_DOCUMENTS, type RunDiagnostics } from './diagnostics';
import { lastRunOf, withRunEvidence } from '../../server/lastRun';
import { ruleDocsUri } from './ruleDocs';

/** The hover's markdown for a statement (the server's text, with VS Code's theme icons). */
export function statementHoverMarkdown(info: StatementInfo, measured: Measured | null, extensionUri: vscode.Uri): vscode.MarkdownString {
  return new vscode.MarkdownString(hoverText(info, measured, { themeIcons: true, docsLink: (ruleId) => ruleDocsUri(extensionUri, ruleId).toString() }), true);
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
