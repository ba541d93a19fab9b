// Everything a feature needs, built once in activate() and passed to each registerX(ctx). Two
// lifetimes: `subscribe` ties a disposable to the extension; the language server (`server`) lives
// in its own process, restarted when it stops, and is stopped (awaited) on deactivate.
import * as vscode from 'vscode';
import { NOTIFICATIONS } from '../server/protocol';
import { DrydockServer } from './client/languageServer';
import { Config } from './config';
import { Connections } from './connections/connections';
import { DevMarks, PasswordStore } from './connections/secrets';
import { Log } from './log';
import { editorPrompts, type Prompts } from './prompts';
import { ResultsStore } from './results/results';
import { RunController } from './run/runController';

/** The services every feature of the extension is built from. */
export interface DrydockContext {
  readonly extension: vscode.ExtensionContext;
  readonly config: Config;
  readonly passwords: PasswordStore;
  readonly devMarks: DevMarks;
  readonly log: Log;
  readonly connections: Connections;
  /** The Drydock language server: checks, hovers, fixes, lenses and every run happen there. */
  readonly server: DrydockServer;
  readonly results: ResultsStore;
  readonly runs: RunController;
  /** Modal questions; tests replace it through the extension's `_private` exports. */
  prompts: Prompts;
  /** Ties a disposable to the extension's lifetime. */
  subscribe(...disposables: vscode.Disposable[]): void;
}

/** Builds the context; does no I/O (settings and secrets are read when a feature asks; the server is started by activate). */
export function createContext(extension: vscode.ExtensionContext): DrydockContext {
  const subscribe = (...disposables: vscode.Disposable[]) => extension.subscriptions.push(...disposables);
  const config = new Config();
  const log = new Log();
  const passwords = new PasswordStore(extension.secrets);
  const connections = new Connections(config, passwords, log);
  const server = new DrydockServer(extension, log);
  // Runs that leave the view leave the server's evidence (hovers, lenses, diagnostics) too.
  const results = new ResultsStore(() => config.maxRuns, (runIds) => void server.notify(NOTIFICATIONS.forgetReports, runIds ? { runIds } : {}));
  const runs = new RunController();
  subscribe(log, connections, server, results, runs);
  return {
    extension, config, passwords, devMarks: new DevMarks(extension.globalState), log, connections, server, results, runs,
    prompts: editorPrompts, subscribe,
  };
}
