// textDocument/formatting and rangeFormatting for SQL documents: core's formatSql through
// server/formatting.ts; a refusal (it cannot format without changing meaning) is shown, not applied.
import type { DocumentFormattingParams, DocumentRangeFormattingParams, Range, TextEdit } from 'vscode-languageserver/node';
import type { ServerContext } from './context';
import { formatSqlText } from './formatting';

async function formattingEdits(ctx: ServerContext, uri: string, range: Range | null, options: DocumentFormattingParams['options']): Promise<TextEdit[]> {
  const document = ctx.documents.get(uri);
  if (!document) return [];
  const whole: Range = { start: { line: 0, character: 0 }, end: document.positionAt(document.getText().length) };
  // A selection is widened to whole lines: formatting half a line would split a statement.
  const target: Range = range ? { start: { line: range.start.line, character: 0 }, end: document.positionAt(lineEnd(document.getText(), document.offsetAt({ line: range.end.line, character: 0 }))) } : whole;
  const text = document.getText(target);
  const outcome = await formatSqlText(text, options, (await ctx.settings.current()).format);
  if (!outcome.ok) {
    const where = outcome.position ? ` (line ${target.start.line + outcome.position.line})` : '';
    void ctx.connection.window.showWarningMessage(`Drydock: ${outcome.reason}${where}`);
    return [];
  }
  return outcome.changed ? [{ range: target, newText: outcome.text }] : [];
}

function lineEnd(text: string, from: number): number {
  const newline = text.indexOf('\n', from);
  const end = newline < 0 ? text.length : newline;
  return end > from && text[end - 1] === '\r' ? end - 1 : end;
}

/** The edit that formats the whole document. */
export function formatDocument(ctx: ServerContext, params: DocumentFormattingParams): Promise<TextEdit[]> {
  return formattingEdits(ctx, params.textDocument.uri, null, params.options);
}

/** The edit that formats the lines of a range. */
export function formatRange(ctx: ServerContext, params: DocumentRangeFormattingParams): Promise<TextEdit[]> {
  return formattingEdits(ctx, params.textDocument.uri, params.range, params.options);
}
