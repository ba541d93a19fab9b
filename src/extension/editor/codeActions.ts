// Quick fixes on a migration's findings, in VS Code: which fixes are offered is the language
// server's choice (server/quickFixes.ts); this file turns them into code actions.
import * as vscode from 'vscode';
import type { Finding, Fix } from '../../core/model/findings';
import { quickFixesAt } from '../../server/quickFixes';
import type { DrydockContext } from '../context';
import { ruleIdOf, toDiagnostic, toRange, toWorkspaceEdit } from '../convert';
import { checkEngine } from '../../server/engine';
import { MIGRATION_DOCUMENTS, type RunDiagnostics } from './diagnostics';
import { ruleDocsUri } from './ruleDocs';

/** Offers a code action per fix of the findings under the cursor or selection. */
export class MigrationCodeActionProvider implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };

  constructor(private readonly ctx: DrydockContext, private readonly diagnostics: RunDiagnostics) {}

  async provideCodeActions(document: vscode.TextDocument, range: vscode.Range | vscode.Selection, context: vscode.CodeActionContext): Promise<vscode.CodeAction[]> {
    if (context.only && !vscode.CodeActionKind.QuickFix.intersects(context.only)) return [];
    if (!this.ctx.config.diagnosticsEnabled || !this.diagnostics.isMigrationFile(document)) return [];
    const outcome = await this.diagnostics.checks.current(document);
    if (outcome.kind !== 'checked') return [];
    const core = await checkEngine();
    const file = document.uri.fsPath;
    const offered = quickFixesAt(core, outcome.checked, outcome.checked.diagnostics, file, document.offsetAt(range.start), document.offsetAt(range.end));
    const actions = offered.map(({ finding, fix, preferred }) => action(fix, this.diagnosticFor(finding, context.diagnostics), preferred));
    return actions;
  }

  /** The editor's diagnostic for the finding (same rule, same range), else one made from it. */
  private diagnosticFor(finding: Finding, shown: readonly vscode.Diagnostic[]): vscode.Diagnostic {
    const range = toRange(finding.range);
    return shown.find((d) => d.source === 'drydock' && ruleIdOf(d) === finding.ruleId && d.range.isEqual(range))
      ?? toDiagnostic(finding, ruleDocsUri(this.ctx.extension.extensionUri, finding.ruleId));
  }
}

function action(fix: Fix, diagnostic: vscode.Diagnostic, preferred: boolean): vscode.CodeAction {
  const codeAction = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
  codeAction.edit = toWorkspaceEdit(fix);
  codeAction.diagnostics = [diagnostic];
  codeAction.isPreferred = preferred;
  return codeAction;
}

/** Registers the quick fixes for migration files; returns the provider (tests see the diagnostics each action fixes, which VS Code's command does not return). */
export function registerCodeActions(ctx: DrydockContext, diagnostics: RunDiagnostics): MigrationCodeActionProvider {
  const provider = new MigrationCodeActionProvider(ctx, diagnostics);
  ctx.subscribe(vscode.languages.registerCodeActionsProvider(MIGRATION_DOCUMENTS, provider, MigrationCodeActionProvider.metadata));
  return provider;
}
