// Conversions between core's result model (1-based lines/columns in UTF-16 units) and VS Code's
// types (0-based). The only place that knows both (the language server converts its own to LSP's).
import * as vscode from 'vscode';
import type { Position, Range } from '../core/model/positions';

/** Core's 1-based position as an editor position. */
export function toPosition(position: Position): vscode.Position {
  return new vscode.Position(Math.max(position.line - 1, 0), Math.max(position.column - 1, 0));
}

/** Core's range as an editor range. */
export function toRange(range: Range): vscode.Range {
  return new vscode.Range(toPosition(range.start), toPosition(range.end));
}
