// Two diagnostic collections: "drydock" (the parser's findings, refreshed on open and save of a
// migration file) and "drydock run" (each failed statement's classified error after a run,
// cleared on the next run or when the file is edited where the error points).
import * as vscode from 'vscode';
import type { RunReport } from '../../core/model/report';
import type { DrydockContext } from '../context';
import { errorToDiagnostic, toDiagnostic } from '../convert';
import { checkFile } from '../engine';

/** Owns both diagnostic collections and decides which files are migrations. */
export class RunDiagnostics implements vscode.Disposable {
  readonly parse = vscode.languages.createDiagnosticCollection('drydock');
  readonly run = vscode.languages.createDiagnosticCollection('drydock run');
  /** Per document, the latest parse request; an older result arriving late is dropped. */
  private readonly generation = new Map<string, number>();

  constructor(private readonly ctx: DrydockContext) {}

  /** True for SQL files on disk matching one of the migrations globs of their workspace folder. */
  isMigrationFile(document: vscode.TextDocument): boolean {
    if (document.uri.scheme !== 'file' || (document.languageId !== 'sql' && !document.fileName.toLowerCase().endsWith('.sql'))) return false;
    const folder = vscode.workspace.getWorkspaceFolder(document.uri);
    if (!folder) return false;
    return this.ctx.config.runSettings.migrationsGlobs.some((glob) => vscode.languages.match({ pattern: new vscode.RelativePattern(folder, glob) }, document) > 0);
  }

  /** Parses a migration file and replaces its parse diagnostics. */
  async check(document: vscode.TextDocument): Promise<void> {
    if (!this.ctx.config.diagnosticsEnabled || !this.isMigrationFile(document)) return;
    const key = document.uri.toString();
    const generation = (this.generation.get(key) ?? 0) + 1;
    this.generation.set(key, generation);
    try {
      const parsed = await checkFile(document.uri.fsPath, document.getText());
      if (this.generation.get(key) !== generation || document.isClosed) return;
      this.parse.set(document.uri, parsed.diagnostics.map(toDiagnostic));
    } catch (err) {
      this.ctx.log.error(`parsing ${document.fileName} failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** Forgets a closed document: its parse diagnostics and its parse generation. */
  closed(document: vscode.TextDocument): void {
    this.parse.delete(document.uri);
    this.generation.delete(document.uri.toString());
  }

  clearRunDiagnostics(): void {
    this.run.clear();
  }

  /** Turns each failed statement's error into a diagnostic at the place it points to. */
  showRunDiagnostics(report: RunReport): void {
    const byFile = new Map<string, vscode.Diagnostic[]>();
    for (const statement of report.statements) {
      if (!statement.error) continue;
      const file = statement.error.file ?? statement.file;
      const uri = vscode.Uri.file(file);
      const list = byFile.get(file) ?? [];
      list.push(errorToDiagnostic(statement.error, uri, statement.range));
      byFile.set(file, list);
    }
    for (const [file, list] of byFile) this.run.set(vscode.Uri.file(file), list);
  }

  /** Drops run diagnostics the edit touches: they describe text that is no longer there. */
  onEdit(event: vscode.TextDocumentChangeEvent): void {
    const existing = this.run.get(event.document.uri);
    if (!existing || existing.length === 0 || event.contentChanges.length === 0) return;
    const kept = existing.filter((d) => !event.contentChanges.some((c) => c.range.intersection(d.range.with(undefined, d.range.end.translate(0, 1))) !== undefined));
    if (kept.length !== existing.length) this.run.set(event.document.uri, kept);
  }

  dispose(): void {
    this.parse.dispose();
    this.run.dispose();
  }
}

/** Wires parse-on-open/save, run-diagnostic clearing and the optional dry-run on save. */
export function registerDiagnostics(ctx: DrydockContext, diagnostics: RunDiagnostics, dryRunOnSave: (document: vscode.TextDocument) => void): void {
  ctx.subscribe(
    diagnostics,
    vscode.workspace.onDidOpenTextDocument((d) => void diagnostics.check(d)),
    vscode.workspace.onDidSaveTextDocument((d) => {
      void diagnostics.check(d);
      dryRunOnSave(d);
    }),
    vscode.workspace.onDidChangeTextDocument((e) => diagnostics.onEdit(e)),
    vscode.workspace.onDidCloseTextDocument((d) => diagnostics.closed(d)),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (ctx.config.affects(e, 'migrationsGlobs') || ctx.config.affects(e, 'diagnostics')) {
        diagnostics.parse.clear();
        for (const d of vscode.workspace.textDocuments) void diagnostics.check(d);
      }
    }),
  );
  // Documents already open when the extension activated: checked after activation returns, so the
  // parser load is not part of activation.
  setTimeout(() => {
    for (const d of vscode.workspace.textDocuments) void diagnostics.check(d);
  }, 0);
}
