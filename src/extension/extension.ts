// Activation: build one context, register each feature, and return the API tests use. Nothing
// here connects, reads files or loads the parser; features do that when a command or save asks.
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { registerNewMigration } from './authoring/newMigration';
import { COMMANDS } from './commands';
import { registerConnectionCommands } from './connections/connectionCommands';
import { registerStatusBar, type StatusBar } from './connections/statusBar';
import { createContext, type DrydockContext } from './context';
import { registerCodeActions, type MigrationCodeActionProvider } from './editor/codeActions';
import { registerCodeLens } from './editor/codeLens';
import { registerDiagnostics, RunDiagnostics } from './editor/diagnostics';
import { FileChecks } from './editor/fileChecks';
import { registerFormatting } from './editor/formatting';
import { registerHover } from './editor/hover';
import { registerMeasurementLens } from './editor/measurementLens';
import { registerResultActions } from './results/resultActions';
import { RunResultsTreeProvider } from './results/resultsTree';
import { registerDryRunOnSave } from './run/dryRunOnSave';
import { MigrationRunner, registerRunCommands } from './run/runCommands';
import { ExtensionShadow } from './run/shadow';

/** What activate() returns. `_private` exists for the extension-host tests only. */
export interface DrydockApi {
  _private: {
    context: DrydockContext;
    tree: RunResultsTreeProvider;
    diagnostics: RunDiagnostics;
    codeActions: MigrationCodeActionProvider;
    statusBar: StatusBar;
    shadow: ExtensionShadow;
    commandIds: readonly string[];
  };
}

/** Called by VS Code on the first SQL file, Drydock command or view; returns the API. */
let active: DrydockContext | undefined;

export function activate(extension: vscode.ExtensionContext): DrydockApi | undefined {
  const started = performance.now();
  try {
    const ctx = createContext(extension);
    active = ctx;
    const tree = new RunResultsTreeProvider(ctx.results);
    ctx.subscribe(tree, vscode.window.createTreeView('drydock.runs', { treeDataProvider: tree, showCollapseAll: true }));
    const statusBar = registerStatusBar(ctx);
    const diagnostics = new RunDiagnostics(ctx, new FileChecks(ctx));
    const shadow = new ExtensionShadow(ctx);
    const runner = new MigrationRunner(ctx, diagnostics, statusBar, shadow);
    registerRunCommands(ctx, runner);
    registerConnectionCommands(ctx);
    registerResultActions(ctx, runner);
    registerDiagnostics(ctx, diagnostics, registerDryRunOnSave(ctx, runner, (d) => diagnostics.isMigrationFile(d)));
    const codeActions = registerCodeActions(ctx, diagnostics);
    registerHover(ctx, diagnostics);
    registerCodeLens(ctx);
    registerMeasurementLens(ctx);
    registerFormatting(ctx);
    registerNewMigration(ctx);
    ctx.log.channel.debug(`activated in ${(performance.now() - started).toFixed(1)} ms`);
    return { _private: { context: ctx, tree, diagnostics, codeActions, statusBar, shadow, commandIds: Object.values(COMMANDS) } };
  } catch (err) {
    // VS Code shows nothing when activation throws; say it.
    const message = err instanceof Error ? err.message : String(err);
    void vscode.window.showErrorMessage(`Drydock failed to start: ${message}`);
    return undefined;
  }
}

/** Ends the backend's lifetime and waits for it (an in-process database must be closed); the rest goes with context.subscriptions. */
export async function deactivate(): Promise<void> {
  await active?.backend.end();
  active = undefined;
}
