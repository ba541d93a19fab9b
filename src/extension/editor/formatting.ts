// Document and range formatting for SQL files. Core's formatSql does the work and refuses what it
// cannot format without changing meaning; this file only adapts it to the editor.
import * as vscode from 'vscode';
import type { FormatSettings } from '../config';
import { toPositionWithin } from '../convert';
import { formatSqlText } from '../../server/formatting';

/** What registerFormatting needs from the extension context (DrydockContext provides it). */
export interface FormattingHost {
  subscribe(...disposables: vscode.Disposable[]): void;
  config: { readonly formatSettings: FormatSettings };
}

/** The edit that formats `range` of the document, or none (with a message) when core refuses. */
async function formattingEdits(
  document: vscode.TextDocument, range: vscode.Range, options: vscode.FormattingOptions, settings: FormatSettings,
): Promise<vscode.TextEdit[]> {
  const text = document.getText(range);
  const outcome = await formatSqlText(text, options, settings);
  if (!outcome.ok) {
    const where = outcome.position ? ` (line ${toPositionWithin(outcome.position, range.start).line + 1})` : '';
    void vscode.window.showWarningMessage(`Drydock: ${outcome.reason}${where}`);
    return [];
  }
  return outcome.changed ? [vscode.TextEdit.replace(range, outcome.text)] : [];
}

/** Registers the SQL document and range formatters. */
export function registerFormatting(ctx: FormattingHost): void {
  const selector: vscode.DocumentSelector = [{ language: 'sql', scheme: 'file' }, { language: 'sql', scheme: 'untitled' }];
  ctx.subscribe(
    vscode.languages.registerDocumentFormattingEditProvider(selector, {
      provideDocumentFormattingEdits: (document, options) => {
        const whole = new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length));
        return formattingEdits(document, whole, options, ctx.config.formatSettings);
      },
    }),
    vscode.languages.registerDocumentRangeFormattingEditProvider(selector, {
      // A selection is widened to whole lines: formatting half a line would split a statement.
      provideDocumentRangeFormattingEdits: (document, range, options) => {
        const lines = new vscode.Range(range.start.line, 0, range.end.line, document.lineAt(range.end.line).text.length);
        return formattingEdits(document, lines, options, ctx.config.formatSettings);
      },
    }),
  );
}
