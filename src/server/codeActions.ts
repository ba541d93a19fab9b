// textDocument/codeAction on a migration: a quick fix per fix of the findings under the cursor or
// selection (server/quickFixes.ts chooses them), and `source.fixAll.drydock` applying the safe
// mechanical fixes of the whole file at once (offered when the client asks for that kind).
import { CodeActionKind, type CodeAction, type CodeActionParams, type Command, type Diagnostic } from 'vscode-languageserver/node';
import type { Finding } from '../core/model/findings';
import type { ProvedFailure } from '../core/rules/fixes/evidenceFixes';
import type { ServerContext } from './context';
import { filePathOf } from './documents';
import { checkEngine } from './engine';
import { errorToDiagnostic, fileUri, findingToDiagnostic, fixToWorkspaceEdit, toLspTextEdit } from './lspConvert';
import { lastRunOf } from './lastRun';
import { FIX_ALL_KIND, SERVER_COMMANDS, type ShowFileParams } from './protocol';
import { quickFixesAt } from './quickFixes';
import { fixAllOf } from '../core/rules/fixes/fixAll';

/** True when the client asked for kinds that include `kind` (or for any). */
function wanted(only: readonly string[] | undefined, kind: string): boolean {
  return !only || only.some((o) => kind === o || kind.startsWith(`${o}.`));
}

/**
 * True when the client asked for source actions by kind (the Source Action menu, fix all on save).
 * A lightbulb's request names no kind, and an editor lists no source action there: fix all's
 * edits of the whole file would be built, sent and converted for nothing on every cursor move.
 */
function askedFor(only: readonly string[] | undefined, kind: string): boolean {
  return only !== undefined && wanted(only, kind);
}

/** The client's diagnostic for the finding (same rule, same range), else one made from it. */
function diagnosticFor(ctx: ServerContext, finding: Finding, shown: readonly Diagnostic[]): Diagnostic {
  const made = findingToDiagnostic(finding, ctx.docsLink);
  return shown.find((d) => d.source === 'drydock' && d.code === finding.ruleId
    && d.range.start.line === made.range.start.line && d.range.start.character === made.range.start.character
    && d.range.end.line === made.range.end.line && d.range.end.character === made.range.end.character) ?? made;
}

/** The client's diagnostic of the run's failure (same SQLSTATE, same start), else one made from it. */
function runDiagnosticFor(failure: ProvedFailure, file: string, finding: Finding, shown: readonly Diagnostic[]): Diagnostic {
  const made = errorToDiagnostic(failure.error, file, finding.range);
  return shown.find((d) => d.source === made.source && d.code === made.code
    && d.range.start.line === made.range.start.line && d.range.start.character === made.range.start.character) ?? made;
}

/** The LSP position (0-based line, UTF-16 character) of `offset` in `text`. */
function positionIn(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

/** The code actions for a range of a migration file. */
export async function codeActionsFor(ctx: ServerContext, params: CodeActionParams): Promise<CodeAction[]> {
  const document = ctx.documents.get(params.textDocument.uri);
  const file = document ? filePathOf(document.uri) : null;
  if (!document || file === null) return [];
  const settings = await ctx.settings.current();
  if (!settings.diagnosticsEnabled || !ctx.documents.isMigration(document, settings.run.migrationsGlobs)) return [];
  const only = params.context.only;
  const quickFixes = wanted(only, CodeActionKind.QuickFix);
  const fixAll = askedFor(only, FIX_ALL_KIND);
  if (!quickFixes && !fixAll) return [];
  const outcome = await ctx.checks.current(document);
  if (outcome.kind !== 'checked') return [];
  const findings = outcome.checked.diagnostics;
  const actions: CodeAction[] = [];
  if (quickFixes) {
    const core = await checkEngine();
    // The statements the last run saw fail, as long as their text is still what ran.
    const failures = (lastRunOf(ctx.reports.reports, file, document.getText())?.statements ?? [])
      .flatMap((s) => (s.status === 'failed' && s.error ? [{ offsets: s.offsets, error: s.error }] : []));
    const offered = quickFixesAt(core, outcome.checked, findings, file, document.offsetAt(params.range.start), document.offsetAt(params.range.end), failures);
    for (const { finding, fix, preferred, failure } of offered) {
      // A fix that moves a statement to a new file needs a client that creates files; half of it would lose the statement.
      if ((fix.newFiles ?? []).length > 0 && !ctx.client.createFiles) continue;
      // The migration the fix writes is opened after the edit (as the git extension opens what it creates).
      // The one the author must complete opens at that place (a plan's backfill value), else the first.
      const created = fix.newFiles?.find((f) => f.cursor !== undefined) ?? fix.newFiles?.[0];
      const at = created?.cursor !== undefined ? positionIn(created.text, created.cursor) : undefined;
      const show: Command | undefined = created && ctx.client.showDocument
        ? { title: 'Open the new migration', command: SERVER_COMMANDS.showFile, arguments: [{ uri: fileUri(created.file), ...(at ? { selection: { start: at, end: at } } : {}) } satisfies ShowFileParams] }
        : undefined;
      actions.push({
        title: fix.title, kind: CodeActionKind.QuickFix, isPreferred: preferred,
        diagnostics: [failure ? runDiagnosticFor(failure, file, finding, params.context.diagnostics) : diagnosticFor(ctx, finding, params.context.diagnostics)],
        edit: fixToWorkspaceEdit(fix, ctx.client.documentChanges, document.version),
        ...(show ? { command: show } : {}),
      });
    }
  }
  if (fixAll) {
    // One document's edits: a fix that writes a new migration is left to its quick fix (and to `drydock check --fix`).
    const edits = fixAllOf(findings, file, { newFiles: false }).edits;
    if (edits.length > 0) {
      actions.push({ title: 'Drydock: fix all safe findings', kind: FIX_ALL_KIND, edit: { changes: { [document.uri]: edits.map(toLspTextEdit) } } });
    }
  }
  return actions;
}
