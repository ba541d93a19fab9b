// Activation: build one context, start the language server (its own process: every check, fix,
// hover and run happens there), register each feature, and return the API tests use. Nothing here
// connects, reads migrations or loads the parser.
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { registerNewMigration } from './authoring/newMigration';
import { COMMANDS } from './commands';
import { registerConnectionCommands } from './connections/connectionCommands';
import { registerStatusBar, type StatusBar } from './connections/statusBar';
import { createContext, type DrydockContext } from './context';
import { registerResultActions } from './results/resultActions';
import { RunResultsTreeProvider, type ResultNode } from './results/resultsTree';
import { registerDryRunOnSave, type SaveRuns } from './run/dryRunOnSave';
import { RunNotices } from './run/runNotices';
import { MigrationRunner, registerRunCommands } from './run/runCommands';

/** What activate() returns. `_private` exists for the extension-host tests only. */
export interface DrydockApi {
  _private: {
    context: DrydockContext;
    tree: RunResultsTreeProvider;
    treeView: vscode.TreeView<ResultNode>;
    statusBar: StatusBar;
    notices: RunNotices;
    saves: SaveRuns;
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
    const treeView = vscode.window.createTreeView('drydock.runs', { treeDataProvider: tree, showCollapseAll: true });
    const notices = new RunNotices(ctx, treeView);
    ctx.subscribe(tree, treeView, notices);
    const statusBar = registerStatusBar(ctx);
    const runner = new MigrationRunner(ctx, statusBar, notices);
    registerRunCommands(ctx, runner);
    const saves = registerDryRunOnSave(ctx, runner);
    registerConnectionCommands(ctx);
    registerResultActions(ctx, runner);
    registerNewMigration(ctx);
    // Not awaited: the server answers the editor's requests once it is up.
    void ctx.server.start();
    ctx.log.channel.debug(`activated in ${(performance.now() - started).toFixed(1)} ms`);
    return { _private: { context: ctx, tree, treeView, statusBar, notices, saves, commandIds: Object.values(COMMANDS) } };
  } catch (err) {
    // VS Code shows nothing when activation throws; say it.
    const message = err instanceof Error ? err.message : String(err);
    void vscode.window.showErrorMessage(`Drydock failed to start: ${message}`);
    return undefined;
  }
}

/** Stops the language server and waits for it (its PGlite shadow closes as it exits); the rest goes with context.subscriptions. */
export async function deactivate(): Promise<void> {
  await active?.server.stop();
  active = undefined;
}
