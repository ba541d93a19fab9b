// Three diagnostic collections: "drydock" (the rules' findings, refreshed on open and save of a
// migration file, judged with its drydock.json and the other migrations of its folder as `drydock
// check` judges it, with what the last run confirmed or contradicted), "drydock config" (a
// drydock.json that cannot be used, at its line and column) and "drydock run" (each failed
// statement's classified error after a run, cleared on the next run or when the file is edited
// where the error points).
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CONFIG_FILE_NAME } from '../../core/config/drydockConfig';
import type { RunReport } from '../../core/model/report';
import type { DrydockContext } from '../context';
import { configProblemToDiagnostic, errorToDiagnostic, toDiagnostic } from '../convert';
import type { FileChecks } from './fileChecks';
import { lastRunOf, withRunEvidence } from '../../server/lastRun';
import type { ConfigProblem } from '../../server/migrationChecker';
import { ruleDocsUri } from './ruleDocs';

/** SQL files on disk, whatever language mode another extension gave a .sql file (RunDiagnostics decides which are migrations). */
export const MIGRATION_DOCUMENTS: vscode.DocumentSelector = [{ language: 'sql', scheme: 'file' }, { scheme: 'file', pattern: '**/*.sql' }];

/** True for a drydock.json on disk. */
export function isConfigFile(document: vscode.TextDocument): boolean {
  return document.uri.scheme === 'file' && path.basename(document.uri.fsPath) === CONFIG_FILE_NAME;
}

/** Owns the diagnostic collections and decides which files are migrations. */
export class RunDiagnostics implements vscode.Disposable {
  readonly parse = vscode.languages.createDiagnosticCollection('drydock');
  readonly config = vscode.languages.createDiagnosticCollection('drydock config');
  readonly run = vscode.languages.createDiagnosticCollection('drydock run');
  /** Per document, the latest parse request; an older result arriving late is dropped. */
  private readonly generation = new Map<string, number>();

  constructor(private readonly ctx: DrydockContext, readonly checks: FileChecks) {}

  /** True for SQL files on disk matching one of the migrations globs of their workspace folder. */
  isMigrationFile(document: vscode.TextDocument): boolean {
    if (document.uri.scheme !== 'file' || (document.languageId !== 'sql' && !document.fileName.toLowerCase().endsWith('.sql'))) return false;
    const folder = vscode.workspace.getWorkspaceFolder(document.uri);
    if (!folder) return false;
    return this.ctx.config.runSettings.migrationsGlobs.some((glob) => vscode.languages.match({ pattern: new vscode.RelativePattern(folder, glob) }, document) > 0);
  }

  /**
   * Checks a migration file and replaces its diagnostics; validates a drydock.json on its own.
   * `again: false` shows the remembered outcome of the document's version (after a run, for its evidence).
   */
  async check(document: vscode.TextDocument, again = true): Promise<void> {
    if (!this.ctx.config.diagnosticsEnabled) return;
    if (isConfigFile(document)) return again ? this.validateConfig(document) : undefined;
    if (!this.isMigrationFile(document)) return;
    const key = document.uri.toString();
    const generation = (this.generation.get(key) ?? 0) + 1;
    this.generation.set(key, generation);
    try {
      const outcome = await (again ? this.checks.check(document) : this.checks.current(document));
      if (this.generation.get(key) !== generation || document.isClosed) return;
      if (outcome.kind === 'checked') {
        // What the last run concluded about these findings, where the statements are unchanged since.
        const run = lastRunOf(this.ctx.results.reports, document.uri.fsPath, outcome.checked.text);
        const extensionUri = this.ctx.extension.extensionUri;
        this.parse.set(document.uri, withRunEvidence(outcome.checked.diagnostics, run).map((f) => toDiagnostic(f, ruleDocsUri(extensionUri, f.ruleId))));
      } else {
        // Excluded by its drydock.json, or that drydock.json is broken (shown on it): nothing here.
        this.parse.delete(document.uri);
        if (outcome.kind === 'config-error') this.showConfigProblem(outcome.problem);
      }
    } catch (err) {
      this.ctx.log.error(`checking ${document.fileName} failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** Checks every open document again (a drydock.json or the target server changed). */
  checkAll(): void {
    this.config.clear();
    for (const d of vscode.workspace.textDocuments) void this.check(d);
  }

  /** Checks the other open migrations again: the one saved is part of their context. */
  checkOthers(saved: vscode.TextDocument): void {
    for (const d of vscode.workspace.textDocuments) {
      if (d !== saved && !isConfigFile(d)) void this.check(d);
    }
  }

  /** Shows the open migrations' findings again with the latest run's evidence (nothing is checked again). */
  showRunEvidence(): void {
    for (const d of vscode.workspace.textDocuments) void this.check(d, false);
  }

  /** Shows what is wrong with a drydock.json, on it. */
  showConfigProblem(problem: ConfigProblem): void {
    this.config.set(vscode.Uri.file(problem.file), [configProblemToDiagnostic(problem)]);
  }

  private async validateConfig(document: vscode.TextDocument): Promise<void> {
    const problem = await this.checks.checker.validateConfig(document.uri.fsPath, document.getText());
    if (problem) this.showConfigProblem(problem);
    else this.config.delete(document.uri);
  }

  /** Forgets a closed document: its parse diagnostics, its parse generation and its remembered check. */
  closed(document: vscode.TextDocument): void {
    this.parse.delete(document.uri);
    this.generation.delete(document.uri.toString());
    this.checks.forget(document);
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
    this.config.dispose();
    this.run.dispose();
  }
}

/** How long drydock.json events are gathered before open files are checked again (a save fires the watcher and the save event). */
const CONFIG_SETTLE_MS = 50;

/** Wires check-on-open/save, the drydock.json watcher, run-diagnostic clearing and the optional dry-run on save. */
export function registerDiagnostics(ctx: DrydockContext, diagnostics: RunDiagnostics, dryRunOnSave: (document: vscode.TextDocument) => void): void {
  let settle: NodeJS.Timeout | undefined;
  const configChanged = () => {
    clearTimeout(settle);
    settle = setTimeout(() => {
      settle = undefined;
      diagnostics.checks.configChanged();
    }, CONFIG_SETTLE_MS);
  };
  const watcher = vscode.workspace.createFileSystemWatcher(`**/${CONFIG_FILE_NAME}`);
  ctx.subscribe(
    diagnostics,
    diagnostics.checks,
    watcher,
    watcher.onDidCreate(configChanged),
    watcher.onDidChange(configChanged),
    watcher.onDidDelete(configChanged),
    { dispose: () => clearTimeout(settle) },
    diagnostics.checks.onDidChange(() => diagnostics.checkAll()),
    // The server version a connection reported may be the target version: follow the active one.
    ctx.connections.onDidChange(() => diagnostics.checks.dependenciesChanged()),
    vscode.workspace.onDidOpenTextDocument((d) => void diagnostics.check(d)),
    vscode.workspace.onDidSaveTextDocument((d) => {
      if (isConfigFile(d)) configChanged();
      void diagnostics.check(d);
      if (diagnostics.isMigrationFile(d)) diagnostics.checkOthers(d);
      dryRunOnSave(d);
    }),
    // A run's evidence (confirmed, contradicted) changes what the findings say.
    ctx.results.onDidChange(() => diagnostics.showRunEvidence()),
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
