// Quick fixes on a migration's findings: the fix the rule built (preferred), then "Ignore <rule>
// for this statement" and "Ignore <rule> for this file" (core's ignoreFixes, so the comment is the
// one core's ignore reader honours). Built from the document's latest check, never from another
// file's findings; a fix that would create a file that already exists is not offered (applying it
// would fail half-way).
import fs from 'node:fs';
import * as vscode from 'vscode';
import type { Finding, Fix } from '../../core/model/findings';
import type { DrydockContext } from '../context';
import { ruleIdOf, toDiagnostic, toRange, toWorkspaceEdit } from '../convert';
import { checkEngine, type CheckEngine } from '../engine';
import { MIGRATION_DOCUMENTS, type RunDiagnostics } from './diagnostics';
import { ruleDocsUri } from './ruleDocs';

/** Findings an ignore comment cannot sensibly silence: whether the file can run at all, and the ignores' own check. */
function ignorable(core: CheckEngine, finding: Finding): boolean {
  const rule = core.registry.ruleById(finding.ruleId);
  return rule !== undefined && rule.category !== 'runnability' && rule.id !== 'unused-ignore';
}

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
    const actions: vscode.CodeAction[] = [];
    // Two findings of one rule on one statement (two int columns) need one ignore, not two.
    const ignores = new Set<string>();
    for (const finding of outcome.checked.diagnostics) {
      if (finding.file !== file || !toRange(finding.range).intersection(range)) continue;
      const diagnostic = this.diagnosticFor(finding, context.diagnostics);
      if (finding.fix && this.offerable(finding.fix, file)) actions.push(action(finding.fix, diagnostic, true));
      if (!ignorable(core, finding)) continue;
      for (const fix of core.ignoreFixes.ignoreFixes(finding, outcome.checked.analysis)) {
        const key = `${fix.title}@${fix.edits[0]?.offsets.start ?? 0}`;
        if (ignores.has(key)) continue;
        ignores.add(key);
        actions.push(action(fix, diagnostic, false));
      }
    }
    return actions;
  }

  /** The editor's diagnostic for the finding (same rule, same range), else one made from it. */
  private diagnosticFor(finding: Finding, shown: readonly vscode.Diagnostic[]): vscode.Diagnostic {
    const range = toRange(finding.range);
    return shown.find((d) => d.source === 'drydock' && ruleIdOf(d) === finding.ruleId && d.range.isEqual(range))
      ?? toDiagnostic(finding, ruleDocsUri(this.ctx.extension.extensionUri, finding.ruleId));
  }

  /** Only edits of this file, and no file to create that is already there. */
  private offerable(fix: Fix, file: string): boolean {
    return fix.edits.every((e) => e.file === file) && (fix.newFiles ?? []).every((f) => !fs.existsSync(f.file));
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
