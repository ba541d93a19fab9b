// textDocument/codeLens on a migration: the static run lenses at the top ("Dry-run · Apply ·
// Verify" as commands the client handles, or one "Dry-run on the shadow" the server runs itself),
// and above each statement the last run measured taking a lock on an existing table, rewriting or
// scanning one, what was measured (while the statement's text is unchanged since the run).
import type { CodeLens, CodeLensParams } from 'vscode-languageserver/node';
import type { ServerContext } from './context';
import { filePathOf } from './documents';
import { lastRunOf } from './lastRun';
import { toLspPosition } from './lspConvert';
import { measurementSummary } from './measurement';
import { SERVER_COMMANDS, type DryRunParams } from './protocol';

const TOP = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** The lenses of a migration file. */
export async function codeLensesFor(ctx: ServerContext, params: CodeLensParams): Promise<CodeLens[]> {
  const document = ctx.documents.get(params.textDocument.uri);
  const file = document ? filePathOf(document.uri) : null;
  if (!document || file === null) return [];
  const settings = await ctx.settings.current();
  if (!ctx.documents.isMigration(document, settings.run.migrationsGlobs)) return [];
  const lenses: CodeLens[] = [];
  const icons = ctx.options.themeIcons;
  const commands = ctx.options.runLenses;
  // Runs are for trusted workspaces only.
  if (ctx.options.trusted && commands) {
    const lens = (title: string, command: string): CodeLens => ({ range: TOP, command: { title, command, arguments: [document.uri] } });
    lenses.push(lens(`${icons ? '$(beaker) ' : ''}Dry-run`, commands.dryRun), lens(`${icons ? '$(cloud-upload) ' : ''}Apply`, commands.apply), lens(`${icons ? '$(checklist) ' : ''}Verify`, commands.verify));
  } else if (ctx.options.trusted) {
    const args: DryRunParams = { targets: [document.uri] };
    lenses.push({ range: TOP, command: { title: 'Drydock: dry-run on the shadow', command: SERVER_COMMANDS.dryRun, arguments: [args] } });
  }
  for (const s of lastRunOf(ctx.reports.reports, file, document.getText())?.statements ?? []) {
    const summary = measurementSummary(s);
    if (!summary) continue;
    const at = toLspPosition(s.range.start);
    lenses.push({
      range: { start: at, end: at },
      command: commands?.reveal
        ? { title: `${icons ? '$(pulse) ' : ''}${summary}`, command: commands.reveal, arguments: [s.file, s.range] }
        : { title: `measured: ${summary}`, command: SERVER_COMMANDS.noop },
    });
  }
  return lenses;
}
