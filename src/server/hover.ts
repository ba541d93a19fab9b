// textDocument/hover on a statement of a migration file: the lock it takes and what that blocks,
// the findings on it, and what the last run measured (server/hoverText.ts writes it).
import type { Hover, HoverParams } from 'vscode-languageserver/node';
import type { ServerContext } from './context';
import { filePathOf } from './documents';
import { checkEngine } from './engine';
import { statementHoverMarkdown } from './hoverText';
import { lastRunOf, withRunEvidence } from './lastRun';
import { toLspRange } from './lspConvert';

/** The hover for the statement under the cursor, or null between statements and outside migrations. */
export async function hoverAt(ctx: ServerContext, params: HoverParams): Promise<Hover | null> {
  const document = ctx.documents.get(params.textDocument.uri);
  const file = document ? filePathOf(document.uri) : null;
  if (!document || file === null) return null;
  const settings = await ctx.settings.current();
  if (!ctx.documents.isMigration(document, settings.run.migrationsGlobs)) return null;
  const outcome = await ctx.checks.current(document);
  if (outcome.kind !== 'checked') return null;
  const core = await checkEngine();
  const offset = document.offsetAt(params.position);
  // The findings as the diagnostics show them: with what the last run concluded about each.
  const run = lastRunOf(ctx.reports.reports, file, outcome.checked.text);
  const checked = { ...outcome.checked, diagnostics: withRunEvidence(outcome.checked.diagnostics, run) };
  const info = core.statementInfo.statementInfoAt(checked, offset);
  if (!info) return null;
  const statement = run?.statements.find((s) => s.offsets.start <= offset && offset <= s.offsets.end);
  const measured = run && statement ? { mode: run.mode, statement } : null;
  const value = statementHoverMarkdown(info, measured, { docsLink: ctx.docsLink, themeIcons: ctx.options.themeIcons });
  return { contents: { kind: 'markdown', value }, range: toLspRange(info.range) };
}
