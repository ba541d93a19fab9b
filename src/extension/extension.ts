// Activation: build one context, register each feature, and return the API tests use. Nothing
// here connects, reads files or loads the parser; features do that when a command or save asks.
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { registerCodeLens } from './codeLens';
import { COMMANDS } from './commands';
import { registerConnectionCommands } from './connectionCommands';
import { createContext, type DrydockContext } from './context';
import { registerDiagnostics, RunDiagnostics } from './diagnostics';
import { registerDryRunOnSave } from './dryRunOnSave';
import { registerFormatting } from './formatting';
import { registerNewMigration } from './newMigration';
import { registerResultActions } from './resultActions';
import { RunResultsTreeProvider } from './resultsTree';
import { MigrationRunner, registerRunCommands } from './runCommands';
import { registerStatusBar, type StatusBar } from './statusBar';

/** What activate() returns. `_private` exists for the extension-host tests only. */
export interface DrydockApi {
  _private: {
    context: DrydockContext;
    tree: RunResultsTreeProvider;
    diagnostics: RunDiagnostics;
    statusBar: StatusBar;
    commandIds: readonly string[];
  };
}

/** Called by VS Code on the first SQL file, Drydock command or view; returns the API. */
export function activate(extension: vscode.ExtensionContext): DrydockApi | undefined {
  const started = performance.now();
  try {
    const ctx = createContext(extension);
    const tree = new RunResultsTreeProvider(ctx.results);
    ctx.subscribe(tree, vscode.window.createTreeView('drydock.runs', { treeDataProvider: tree, showCollapseAll: true }));
    const statusBar = registerStatusBar(ctx);
    const diagnostics = new RunDiagnostics(ctx);
    const runner = new MigrationRunner(ctx, diagnostics, statusBar);
    registerRunCommands(ctx, runner);
    registerConnectionCommands(ctx);
    registerResultActions(ctx, runner);
    registerDiagnostics(ctx, diagnostics, registerDryRunOnSave(ctx, runner, (d) => diagnostics.isMigrationFile(d)));
    registerCodeLens(ctx);
    registerFormatting(ctx);
    registerNewMigration(ctx);
    ctx.log.channel.debug(`activated in ${(performance.now() - started).toFixed(1)} ms`);
    return { _private: { context: ctx, tree, diagnostics, statusBar, commandIds: Object.values(COMMANDS) } };
  } catch (err) {
    // VS Code shows nothing when activation throws; say it.
    const message = err instanceof Error ? err.message : String(err);
    void vscode.window.showErrorMessage(`Drydock failed to start: ${message}`);
    return undefined;
  }
}

/** Nothing to do: everything is disposed through context.subscriptions. */
export function deactivate(): void {}
