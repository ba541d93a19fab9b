// Conversions between core's result model (1-based lines/columns in UTF-16 units, which LSP's
// default position encoding also counts) and LSP's types (0-based). The only place in the server
// that knows both.
import { pathToFileURL } from 'node:url';
import { DiagnosticSeverity, type Diagnostic, type Position as LspPosition, type Range as LspRange, type TextEdit as LspTextEdit, type WorkspaceEdit } from 'vscode-languageserver/node';
import type { Finding, Fix, TextEdit } from '../core/model/findings';
import type { Position, Range } from '../core/model/positions';
import type { ErrorReport } from '../core/model/report';
import type { WireConfigProblem } from './protocol';

const SEVERITIES: Record<Finding['severity'], DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

/** A file path as the URI clients use for it. */
export function fileUri(file: string): string {
  return pathToFileURL(file).toString();
}

/** Core's 1-based position as an LSP position. */
export function toLspPosition(position: Position): LspPosition {
  return { line: Math.max(position.line - 1, 0), character: Math.max(position.column - 1, 0) };
}

/** Core's range as an LSP range. */
export function toLspRange(range: Range): LspRange {
  return { start: toLspPosition(range.start), end: toLspPosition(range.end) };
}

/**
 * A rule's finding as a diagnostic: the rule id as its code (code actions read it back), linking to
 * its docs page. Nothing else rides along: every byte is converted and sent again by the editor on
 * each publish, and the code actions find the finding in the server's own check of that version.
 */
export function findingToDiagnostic(finding: Finding, docsLink: (ruleId: string) => string): Diagnostic {
  return {
    range: toLspRange(finding.range), message: finding.message, severity: SEVERITIES[finding.severity],
    code: finding.ruleId, codeDescription: { href: docsLink(finding.ruleId) }, source: 'drydock',
  };
}

/** A drydock.json problem as a diagnostic on that file. */
export function configProblemToDiagnostic(problem: WireConfigProblem): Diagnostic {
  const start = toLspPosition({ line: problem.line, column: problem.column });
  return {
    range: { start, end: { line: start.line, character: start.character + problem.length } },
    message: `${problem.message} — Drydock does not check the migrations this drydock.json governs until it is fixed.`,
    severity: DiagnosticSeverity.Error, code: 'drydock.json', source: 'drydock',
  };
}

/** A run failure as a diagnostic: SQLSTATE as code, the hint as related information. */
export function errorToDiagnostic(error: ErrorReport, file: string, fallback: Range): Diagnostic {
  const range = toLspRange(error.range ?? fallback);
  const diagnostic: Diagnostic = {
    range, severity: DiagnosticSeverity.Error, code: error.sqlstate, source: 'drydock run',
    message: `${error.label}: ${error.title}: ${error.message}${error.detail ? `\n${error.detail}` : ''}`,
  };
  if (error.hint) diagnostic.relatedInformation = [{ location: { uri: fileUri(file), range }, message: `Hint: ${error.hint}` }];
  return diagnostic;
}

/** Core's text edit as an LSP one. */
export function toLspTextEdit(edit: TextEdit): LspTextEdit {
  return { range: toLspRange(edit.range), newText: edit.newText };
}

/**
 * A fix as a workspace edit: with document changes (when the client takes them) the files it
 * creates are created and then given their text; otherwise only its edits of existing files.
 */
export function fixToWorkspaceEdit(fix: Fix, documentChanges: boolean, version: number | null): WorkspaceEdit {
  const byFile = new Map<string, LspTextEdit[]>();
  for (const e of fix.edits) byFile.set(e.file, [...(byFile.get(e.file) ?? []), toLspTextEdit(e)]);
  if (!documentChanges) return { changes: Object.fromEntries([...byFile].map(([file, edits]) => [fileUri(file), edits])) };
  return {
    documentChanges: [
      ...[...byFile].map(([file, edits]) => ({ textDocument: { uri: fileUri(file), version }, edits })),
      ...(fix.newFiles ?? []).flatMap((created) => [
        { kind: 'create' as const, uri: fileUri(created.file), options: { overwrite: false, ignoreIfExists: false } },
        { textDocument: { uri: fileUri(created.file), version: null }, edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: created.text }] },
      ]),
    ],
  };
}
