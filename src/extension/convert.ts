// Conversions between core's result model (1-based lines/columns in UTF-16 units) and VS Code's
// types (0-based). The only place that knows both.
import * as vscode from 'vscode';
import type { Finding, Fix } from '../core/model/findings';
import type { Position, Range } from '../core/model/positions';
import type { ErrorReport } from '../core/model/report';

const SEVERITIES: Record<Finding['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

/** Core's 1-based position as an editor position. */
export function toPosition(position: Position): vscode.Position {
  return new vscode.Position(Math.max(position.line - 1, 0), Math.max(position.column - 1, 0));
}

/** Core's position inside text that begins at `start` of a document (a selection, say), as a document position. */
export function toPositionWithin(position: Position, start: vscode.Position): vscode.Position {
  const inner = toPosition(position);
  return new vscode.Position(start.line + inner.line, inner.line === 0 ? start.character + inner.character : inner.character);
}

/** Core's range as an editor range. */
export function toRange(range: Range): vscode.Range {
  return new vscode.Range(toPosition(range.start), toPosition(range.end));
}

/** A rule's finding as an editor diagnostic, with the rule id as its code linking to `docs` (the rule's page). */
export function toDiagnostic(finding: Finding, docs?: vscode.Uri): vscode.Diagnostic {
  const diagnostic = new vscode.Diagnostic(toRange(finding.range), finding.message, SEVERITIES[finding.severity]);
  diagnostic.code = docs ? { value: finding.ruleId, target: docs } : finding.ruleId;
  diagnostic.source = 'drydock';
  return diagnostic;
}

/** The rule id a Drydock diagnostic carries as its code (a plain string or `{ value, target }`). */
export function ruleIdOf(diagnostic: vscode.Diagnostic): string | undefined {
  const code = diagnostic.code;
  if (code === undefined) return undefined;
  return typeof code === 'object' ? String(code.value) : String(code);
}

/** A drydock.json problem (1-based line and column) as a diagnostic on that file. */
export function configProblemToDiagnostic(problem: { line: number; column: number; length: number; message: string }): vscode.Diagnostic {
  const start = toPosition({ line: problem.line, column: problem.column });
  const diagnostic = new vscode.Diagnostic(new vscode.Range(start, start.translate(0, problem.length)),
    `${problem.message} — Drydock does not check the migrations this drydock.json governs until it is fixed.`, vscode.DiagnosticSeverity.Error);
  diagnostic.code = 'drydock.json';
  diagnostic.source = 'drydock';
  return diagnostic;
}

/**
 * A fix as a workspace edit: its edits of the finding's file, and the files it creates, each
 * created empty and then given its text (a file's `contents` cannot cross to a remote workbench:
 * code-server refuses it). Applied from the light bulb, VS Code saves the new files
 * (`files.refactoring.autoSave`).
 */
export function toWorkspaceEdit(fix: Fix): vscode.WorkspaceEdit {
  const edit = new vscode.WorkspaceEdit();
  for (const e of fix.edits) edit.replace(vscode.Uri.file(e.file), toRange(e.range), e.newText);
  for (const created of fix.newFiles ?? []) {
    const uri = vscode.Uri.file(created.file);
    edit.createFile(uri, { overwrite: false, ignoreIfExists: false });
    edit.insert(uri, new vscode.Position(0, 0), created.text);
  }
  return edit;
}

/** A run failure as an editor diagnostic: SQLSTATE as code, hint as related information. */
export function errorToDiagnostic(error: ErrorReport, uri: vscode.Uri, fallback: Range): vscode.Diagnostic {
  const range = toRange(error.range ?? fallback);
  const message = `${error.label}: ${error.title}: ${error.message}${error.detail ? `\n${error.detail}` : ''}`;
  const diagnostic = new vscode.Diagnostic(range, message, vscode.DiagnosticSeverity.Error);
  diagnostic.code = error.sqlstate;
  diagnostic.source = 'drydock run';
  if (error.hint) {
    diagnostic.relatedInformation = [new vscode.DiagnosticRelatedInformation(new vscode.Location(uri, range), `Hint: ${error.hint}`)];
  }
  return diagnostic;
}
