// The Drydock language server (dist/server.js, `drydock lsp`) as this extension's client sees it:
// started over stdio in its own process, so parsing, the rules, runs and the PGlite shadow never
// run on the extension host's thread. Diagnostics, hovers, code actions, lenses and formatting come
// from it through vscode-languageclient; the commands ask it for runs with `workspace/executeCommand`.
// When it stops (a crash, a kill) or stops answering (heartbeat.ts: the client then ends it), the
// client starts it again and says so once; requests in flight fail with ServerStoppedError. Its log
// lines are written into the Drydock log in batches (serverLogLines.ts).
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  CloseAction, ErrorAction, ExecuteCommandRequest, LanguageClient, LogMessageNotification, RevealOutputChannelOn, State, TransportKind, WorkDoneProgress,
  type CloseHandlerResult, type ErrorHandlerResult, type LanguageClientOptions, type ServerOptions,
} from 'vscode-languageclient/node';
import {
  NOTIFICATIONS, REQUESTS, SETTINGS_SECTION, type DrydockInitializationOptions, type PingResult, type RunFinishedParams, type ServerCommand,
} from '../../server/protocol';
import { COMMANDS } from '../commands';
import type { Log } from '../log';
import { Heartbeat } from './heartbeat';
import { MIGRATION_DOCUMENTS } from './migrationDocuments';
import { ServerLogLines } from './serverLogLines';
import { ShardedDiagnostics } from './shardedDiagnostics';

/** Restarts allowed within RESTART_WINDOW_MS before the client gives up (a server that dies at start). */
const MAX_RESTARTS = 4;
const RESTART_WINDOW_MS = 3 * 60_000;

/** A request that was in flight when the server stopped. */
export class ServerStoppedError extends Error {
  constructor(hung: boolean) {
    super(hung
      ? 'the Drydock language server stopped answering while this request was in flight; it was ended and is being restarted'
      : 'the Drydock language server stopped while this request was in flight (it is being restarted)');
  }
}

/** What a command request may carry besides its parameters. */
export interface RequestOptions {
  token?: vscode.CancellationToken;
  /** Receives the server's `$/progress` messages for this request. */
  onProgress?: (message: string) => void;
}

/** Owns the LanguageClient: start, restart, requests, the run-finished notification. */
export class DrydockServer implements vscode.Disposable {
  /** Made by start(): activation only registers. */
  private client: LanguageClient | undefined;
  private readonly runFinished = new vscode.EventEmitter<RunFinishedParams>();
  /** Every run the server reports finished (a command's, or its own dry-run on save). */
  readonly onRunFinished = this.runFinished.event;
  /** Increases each time the server stops: a request started under an older generation lost its server. */
  private generation = 0;
  private restarts: number[] = [];
  private progressTokens = 0;
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly serverLog: ServerLogLines;
  /** Where the server's diagnostics go (not the language client's own collection: see shardedDiagnostics.ts). */
  private readonly diagnostics = new ShardedDiagnostics('drydock');
  /** Pings the running server; ends it when it stops answering. */
  readonly heartbeat: Heartbeat;
  /** True from the moment the heartbeat ended a server that stopped answering until its restart is said. */
  private hung = false;
  /** Whether the last stop was a hang (what a request that lost its server says). */
  private lastStopHung = false;

  constructor(private readonly extension: vscode.ExtensionContext, private readonly log: Log) {
    this.serverLog = new ServerLogLines(log);
    this.heartbeat = new Heartbeat(() => this.started.sendRequest<PingResult>(REQUESTS.ping), (pid) => this.endHungServer(pid));
  }

  /** Starts the server process (not awaited by activation: it does no work on this thread beyond the spawn). */
  async start(): Promise<void> {
    try {
      this.client ??= this.createClient();
      await this.client.start();
    } catch (err) {
      this.log.error(`the Drydock language server did not start: ${err instanceof Error ? err.message : String(err)}`);
      void vscode.window.showErrorMessage('Drydock: the language server did not start; see the Drydock output.');
    }
  }

  private createClient(): LanguageClient {
    const { extension } = this;
    const module = extension.asAbsolutePath(path.join('dist', 'server.js'));
    const serverOptions: ServerOptions = {
      run: { module, transport: TransportKind.stdio },
      debug: { module, transport: TransportKind.stdio, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
    };
    const initializationOptions: DrydockInitializationOptions = {
      installPath: extension.extensionUri.fsPath,
      storagePath: extension.globalStorageUri.fsPath,
      runLenses: { dryRun: COMMANDS.dryRunMigration, apply: COMMANDS.applyMigration, verify: COMMANDS.verifyMigration, reveal: COMMANDS.revealResult },
      // The extension keeps the dry-run-on-save policy (trust, dev marks, passwords) and asks for the run itself.
      dryRunOnSave: false,
      trusted: vscode.workspace.isTrusted,
      themeIcons: true,
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: [...MIGRATION_DOCUMENTS, { scheme: 'file', pattern: '**/drydock.json' }],
      synchronize: {
        configurationSection: SETTINGS_SECTION,
        // drydock.json and the other migrations of a folder are part of every file's check.
        fileEvents: [vscode.workspace.createFileSystemWatcher('**/drydock.json'), vscode.workspace.createFileSystemWatcher('**/*.sql')],
      },
      // The client's own collection stays empty: handleDiagnostics below sets them a slice per turn.
      diagnosticCollectionName: 'drydock-client',
      outputChannel: this.log.channel,
      // A failed request is the command's to say (once, in its own words), not the client's.
      revealOutputChannelOn: RevealOutputChannelOn.Never,
      initializationOptions,
      errorHandler: { error: () => this.transportError(), closed: () => this.closed() },
      middleware: {
        // The server names a lens's file by its URI string; the run commands take a vscode.Uri, as the Explorer passes it.
        provideCodeLenses: async (document, token, next) => (await next(document, token))?.map(withUriArguments),
        // The server writes theme icons ($(pulse)) into hovers for this client; a converted MarkdownString shows them only when told to.
        provideHover: async (document, position, token, next) => withThemeIcons(await next(document, position, token)),
        handleDiagnostics: (uri, diagnostics) => this.diagnostics.set(uri, diagnostics),
      },
    };
    const client = new LanguageClient('drydock', 'Drydock', serverOptions, clientOptions);
    this.subscriptions.push(
      client.onNotification(NOTIFICATIONS.runFinished, (params: RunFinishedParams) => this.runFinished.fire(params)),
      // Replaces the language client's own handler (registered first): see serverLogLines.ts.
      client.onNotification(LogMessageNotification.type, (params) => this.serverLog.add(params)),
      client.onDidChangeState(({ newState }) => {
        if (newState === State.Running) this.heartbeat.start();
        else this.heartbeat.stop();
        // A stopped server's diagnostics go with it (the language client clears its own the same way).
        if (newState === State.Stopped) this.diagnostics.clear();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => void this.notify(NOTIFICATIONS.trust, { trusted: true })),
    );
    return client;
  }

  /** The client, once start() made it. */
  private get started(): LanguageClient {
    if (!this.client) throw new Error('the Drydock language server has not been started');
    return this.client;
  }

  /** Resolves once every diagnostics list the server sent so far is set in VS Code. */
  diagnosticsWritten(): Promise<void> {
    return this.diagnostics.whenWritten();
  }

  /** Sends a custom request (protocol.ts's REQUESTS) to the running server. */
  request<R>(method: string, params?: unknown): Promise<R> {
    return this.started.sendRequest<R>(method, params);
  }

  /** Runs one of the server's commands (protocol.ts's SERVER_COMMANDS) and returns its result. */
  async execute<R>(command: ServerCommand, params: unknown, options: RequestOptions = {}): Promise<R> {
    const generation = this.generation;
    const workDoneToken = options.onProgress ? `drydock-progress-${++this.progressTokens}` : undefined;
    const progress = workDoneToken && options.onProgress ? this.progressListener(workDoneToken, options.onProgress) : undefined;
    try {
      return await this.started.sendRequest(ExecuteCommandRequest.type, { command, arguments: [params], ...(workDoneToken ? { workDoneToken } : {}) }, options.token) as R;
    } catch (err) {
      if (this.generation !== generation || this.client?.state !== State.Running) throw new ServerStoppedError(this.lastStopHung || this.hung);
      throw err;
    } finally {
      progress?.dispose();
    }
  }

  /** Sends a notification once the server runs (dropped when it cannot start). */
  async notify(method: string, params: unknown): Promise<void> {
    try {
      await this.started.sendNotification(method, params);
    } catch (err) {
      this.log.warn(`could not tell the language server ${method}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** True while the server runs (not while it starts or restarts). */
  get running(): boolean {
    return this.client?.state === State.Running;
  }

  private progressListener(token: string, report: (message: string) => void): vscode.Disposable {
    return this.started.onProgress(WorkDoneProgress.type, token, (value) => {
      if (value.kind !== 'end' && value.message) report(value.message);
    });
  }

  private transportError(): ErrorHandlerResult {
    // A broken pipe shows up as `closed` too, which decides about restarting.
    return { action: ErrorAction.Continue, handled: true };
  }

  /** No answer to a ping in time: end the server's process, so the close path restarts it and fails what was in flight. */
  private endHungServer(pid: number | undefined): void {
    const seconds = Math.round(this.heartbeat.timing.timeoutMs / 1000);
    if (pid === undefined) {
      this.log.error(`the Drydock language server has not answered for ${seconds} s and never said its process id; reload the window if it stays unresponsive`);
      return;
    }
    this.hung = true;
    this.log.error(`the Drydock language server has not answered for ${seconds} s; ending it (process ${pid})`);
    try {
      process.kill(pid, 'SIGKILL');
    } catch (err) {
      this.hung = false;
      this.log.error(`could not end the language server: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** The server's process ended: fail what was in flight, restart it, say so once. */
  private closed(): CloseHandlerResult {
    this.generation += 1;
    this.heartbeat.stop();
    this.lastStopHung = this.hung;
    this.hung = false;
    const now = Date.now();
    this.restarts = [...this.restarts.filter((t) => now - t < RESTART_WINDOW_MS), now];
    if (this.restarts.length > MAX_RESTARTS) {
      const message = `Drydock: the language server stopped ${this.restarts.length} times in ${RESTART_WINDOW_MS / 60_000} minutes and is not restarted again; reload the window to try again (the Drydock output may say why).`;
      this.log.error(message);
      void vscode.window.showErrorMessage(message);
      return { action: CloseAction.DoNotRestart, handled: true };
    }
    const what = this.lastStopHung ? 'stopped answering' : 'stopped';
    this.log.error(`the Drydock language server ${what}; restarting it`);
    void vscode.window.showWarningMessage(`Drydock: the language server ${what} and was restarted. A run in flight failed; diagnostics are coming back.`);
    return { action: CloseAction.Restart, handled: true };
  }

  /** Stops the server (deactivate awaits it, so its PGlite is closed by its own exit path). */
  async stop(): Promise<void> {
    const { client } = this;
    if (client && (client.state === State.Running || client.state === State.Starting)) await client.stop(5_000).catch(() => undefined);
  }

  dispose(): void {
    this.heartbeat.stop();
    this.serverLog.dispose();
    this.diagnostics.dispose();
    for (const s of this.subscriptions) s.dispose();
    this.runFinished.dispose();
    void this.stop();
  }
}

/** A lens whose first argument is a file URI string, with that argument as a vscode.Uri. */
function withUriArguments(lens: vscode.CodeLens): vscode.CodeLens {
  const [first, ...rest] = lens.command?.arguments ?? [];
  if (lens.command && typeof first === 'string' && first.startsWith('file:')) lens.command.arguments = [vscode.Uri.parse(first), ...rest];
  return lens;
}

/** The hover with its markdown allowed to show theme icons (the language client converts it with them off). */
function withThemeIcons(hover: vscode.Hover | null | undefined): vscode.Hover | null | undefined {
  for (const content of hover?.contents ?? []) if (content instanceof vscode.MarkdownString) content.supportThemeIcons = true;
  return hover;
}
