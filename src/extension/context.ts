// Everything a feature needs, built once in activate() and passed to each registerX(ctx). Two
// lifetimes: `subscribe` ties a disposable to the extension; `backend.subscribe` ties one to the
// current backend (the active connection's), disposed when that changes and on deactivate.
import * as vscode from 'vscode';
import { Config } from './config';
import { BackendLifetime } from './connections/backendLifetime';
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
  /** The current backend's lifetime. */
  readonly backend: BackendLifetime;
  readonly results: ResultsStore;
  readonly runs: RunController;
  /** Modal questions; tests replace it through the extension's `_private` exports. */
  prompts: Prompts;
  /** Ties a disposable to the extension's lifetime. */
  subscribe(...disposables: vscode.Disposable[]): void;
}

/** Builds the context; does no I/O (settings and secrets are read when a feature asks). */
export function createContext(extension: vscode.ExtensionContext): DrydockContext {
  const subscribe = (...disposables: vscode.Disposable[]) => extension.subscriptions.push(...disposables);
  const config = new Config();
  const log = new Log();
  const passwords = new PasswordStore(extension.secrets);
  const connections = new Connections(config, passwords, log);
  const backend = new BackendLifetime(connections, log);
  const results = new ResultsStore(() => config.maxRuns);
  const runs = new RunController();
  subscribe(log, connections, backend, results, runs);
  return {
    extension, config, passwords, devMarks: new DevMarks(extension.globalState), log, connections, backend, results, runs,
    prompts: editorPrompts, subscribe,
  };
}
