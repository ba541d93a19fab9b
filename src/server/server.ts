// `drydock lsp`: the Language Server Protocol over stdio, on the same core as the CLI. This file
// only wires: it builds the context, registers each feature's handler, and disposes everything on
// shutdown. A failing handler answers with an error and is logged (masked); nothing a request does
// ends the server.
import os from 'node:os';
import path from 'node:path';
import {
  CodeActionKind, CodeLensRefreshRequest, DidChangeConfigurationNotification, DidChangeWatchedFilesNotification, TextDocumentSyncKind,
  createConnection, type Connection, type InitializeResult, type WorkDoneProgressReporter,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { CONFIG_FILE_NAME } from '../core/config/drydockConfig';
import packageJson from '../../package.json';
import { codeActionsFor } from './codeActions';
import { codeLensesFor } from './codeLens';
import { commandHandlers, executeCommand } from './commands';
import { applyInitialize, createContext, type ServerContext } from './context';
import { Diagnostics } from './diagnostics';
import { formatDocument, formatRange } from './documentFormatting';
import { filePathOf, isConfigUri } from './documents';
import { hoverAt } from './hover';
import { shadowCacheDir } from '../cli/cacheDir';
import { FIX_ALL_KIND, NOTIFICATIONS, REQUESTS, SERVER_COMMANDS, type BlockEventLoopParams, type ChecksSettledParams, type ForgetReportsParams, type PingResult, type TrustParams } from './protocol';
import { Runs } from './runs';

/** How long drydock.json events are gathered before open files are checked again (a save fires the watcher and the save event). */
const CONFIG_SETTLE_MS = 50;

/** The streams the server speaks on (stdio unless a test gives others). */
export interface ServerStreams {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
}

/** What the server answers `initialize` with. */
export function serverCapabilities(): InitializeResult {
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
      hoverProvider: true,
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND] },
      codeLensProvider: { resolveProvider: false },
      documentFormattingProvider: true,
      documentRangeFormattingProvider: true,
      executeCommandProvider: { commands: Object.values(SERVER_COMMANDS) },
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    },
    serverInfo: { name: 'drydock', version: packageJson.version },
  };
}

/** A handler that answers `fallback` (and logs) instead of failing for an unexpected reason. */
function guarded<P, R>(ctx: ServerContext, what: string, fallback: R, handler: (params: P) => Promise<R>): (params: P) => Promise<R> {
  return async (params) => {
    try {
      return await handler(params);
    } catch (err) {
      ctx.log.error(`${what} failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
      return fallback;
    }
  };
}

/** Sends console output to the client's log: on stdio, anything written to stdout would break the protocol. */
function redirectConsole(ctx: ServerContext): void {
  const text = (args: unknown[]) => args.map((a) => (a instanceof Error ? a.stack ?? a.message : typeof a === 'string' ? a : JSON.stringify(a))).join(' ');
  console.log = (...args: unknown[]) => ctx.log.info(text(args));
  console.info = console.log;
  console.debug = console.log;
  console.warn = (...args: unknown[]) => ctx.log.warn(text(args));
  console.error = (...args: unknown[]) => ctx.log.error(text(args));
}

/** The test hook that hangs the server: its thread does nothing else for `ms` (a busy wait, as a stuck handler would). */
function blockEventLoop(params: BlockEventLoopParams | undefined): null {
  const until = Date.now() + Math.min(Math.max(Number(params?.ms) || 0, 0), 600_000);
  while (Date.now() < until) {
    // busy: nothing else runs on this thread meanwhile
  }
  return null;
}

/** Starts the language server; it lives until the client sends `exit` (or closes the streams). */
export function startServer(streams: ServerStreams = { input: process.stdin, output: process.stdout }): Connection {
  const connection = createConnection(streams.input, streams.output);
  const { ctx, dispose } = createContext(connection, {
    // dist/server.js and dist/cli.js sit in dist/, the rule docs in docs/ beside it.
    installPath: path.resolve(__dirname, '..'),
    shadowCacheDir: shadowCacheDir(process.env),
    runLenses: null, dryRunOnSave: true, themeIcons: false, trusted: true,
  });
  redirectConsole(ctx);
  lowerOwnPriority(ctx);
  // Nothing the server does may end it: an unexpected failure outside a request is logged.
  const onUnexpected = (err: unknown) => ctx.log.error(`unexpected failure: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
  process.on('uncaughtException', onUnexpected);
  process.on('unhandledRejection', onUnexpected);
  ctx.subscribe({ dispose: () => process.off('uncaughtException', onUnexpected) }, { dispose: () => process.off('unhandledRejection', onUnexpected) });

  const diagnostics = new Diagnostics(ctx);
  const runs = new Runs(ctx, diagnostics);
  ctx.subscribe(diagnostics);
  let codeLensRefresh = false;
  const refreshLenses = () => {
    if (codeLensRefresh) void connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
  };
  const evidenceChanged = () => {
    diagnostics.showRunEvidence();
    refreshLenses();
  };
  const handlers = commandHandlers(ctx, runs, evidenceChanged);

  let settle: NodeJS.Timeout | undefined;
  const configChanged = () => {
    clearTimeout(settle);
    settle = setTimeout(() => {
      settle = undefined;
      diagnostics.checkAll();
    }, CONFIG_SETTLE_MS);
  };
  ctx.subscribe({ dispose: () => clearTimeout(settle) });

  connection.onInitialize((params) => {
    applyInitialize(ctx, params);
    codeLensRefresh = params.capabilities.workspace?.codeLens?.refreshSupport === true;
    dynamic.configuration = params.capabilities.workspace?.didChangeConfiguration?.dynamicRegistration === true;
    dynamic.watchedFiles = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    return serverCapabilities();
  });
  const dynamic = { configuration: false, watchedFiles: false };
  connection.onInitialized(() => {
    // Clients that pull settings send didChangeConfiguration only to a server that registers for it.
    if (dynamic.configuration) void connection.client.register(DidChangeConfigurationNotification.type, { section: 'drydock' }).catch(() => undefined);
    if (dynamic.watchedFiles) void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: `**/${CONFIG_FILE_NAME}` }] }).catch(() => undefined);
    void connection.workspace.onDidChangeWorkspaceFolders(async () => {
      const folders = await connection.workspace.getWorkspaceFolders();
      ctx.documents.setFolders(folders?.map((f) => f.uri) ?? []);
      diagnostics.checkAll();
    });
  });

  const opened = new Map<string, number>();
  const documents = ctx.documents.documents;
  // An edit's check reused the folder's listing, and the folder has changed on disk since: check again.
  ctx.checks.onFolderChanged((file) => {
    for (const document of ctx.documents.all()) if (filePathOf(document.uri) === file) void diagnostics.check(document);
  });
  ctx.subscribe(
    documents.onDidOpen(({ document }) => {
      opened.set(document.uri, document.version);
      void diagnostics.check(document);
    }),
    documents.onDidChangeContent(({ document }) => {
      if (opened.get(document.uri) !== document.version) diagnostics.scheduleCheck(document);
    }),
    documents.onDidSave(({ document }) => {
      if (isConfigUri(document.uri)) configChanged();
      void diagnostics.check(document);
      void afterSave(document);
    }),
    documents.onDidClose(({ document }) => {
      opened.delete(document.uri);
      diagnostics.closed(document.uri);
    }),
  );
  const afterSave = guarded(ctx, 'after save', undefined, async (document: TextDocument) => {
    const settings = await ctx.settings.current();
    if (!ctx.documents.isMigration(document, settings.run.migrationsGlobs)) return;
    diagnostics.checkOthers(document);
    const file = filePathOf(document.uri);
    if (!runs.saveRunsAllowed(settings) || file === null || await runs.shadowLeavesEditor(file)) return;
    // Half-typed SQL is not dry-run: the check's syntax error already says what is wrong.
    const plan = await runs.plan({ targets: [document.uri] });
    if (plan.status === 'planned' && plan.syntaxErrors.length > 0) return;
    const progress: WorkDoneProgressReporter | null = ctx.client.workDoneProgress ? await connection.window.createWorkDoneProgress() : null;
    const result = await runs.run({ mode: 'dry-run', params: { targets: [document.uri] }, trigger: 'save' }, null, progress);
    if (result.status === 'ran') refreshLenses();
  });

  ctx.subscribe(
    connection.onDidChangeWatchedFiles((params) => {
      if (params.changes.some((c) => isConfigUri(c.uri))) configChanged();
    }),
    connection.onDidChangeConfiguration((params) => {
      ctx.settings.changed(params.settings);
      diagnostics.checkAll();
      refreshLenses();
    }),
    connection.onNotification(NOTIFICATIONS.forgetReports, (params: ForgetReportsParams | undefined) => {
      if (ctx.reports.forget(Array.isArray(params?.runIds) ? params.runIds : undefined)) evidenceChanged();
    }),
    connection.onNotification(NOTIFICATIONS.trust, (params: TrustParams | undefined) => {
      ctx.options.trusted = params?.trusted === true;
      refreshLenses();
    }),
    connection.onRequest(REQUESTS.ping, (): PingResult => ({ pid: process.pid })),
    connection.onHover(guarded(ctx, 'hover', null, (params) => hoverAt(ctx, params))),
    connection.onCodeAction(guarded(ctx, 'code actions', [], (params) => codeActionsFor(ctx, params))),
    connection.onCodeLens(guarded(ctx, 'code lenses', [], (params) => codeLensesFor(ctx, params))),
    connection.onDocumentFormatting(guarded(ctx, 'formatting', [], (params) => formatDocument(ctx, params))),
    connection.onDocumentRangeFormatting(guarded(ctx, 'formatting', [], (params) => formatRange(ctx, params))),
    connection.onExecuteCommand(async (params, token, workDone) => {
      let progress: WorkDoneProgressReporter | null = params.workDoneToken !== undefined ? workDone : null;
      const isRun = params.command === SERVER_COMMANDS.dryRun || params.command === SERVER_COMMANDS.verify || params.command === SERVER_COMMANDS.apply;
      if (!progress && isRun && ctx.client.workDoneProgress) progress = await connection.window.createWorkDoneProgress().catch(() => null);
      const result = await executeCommand(ctx, handlers, params, { token, progress });
      if (isRun) refreshLenses();
      return result;
    }),
    connection.onShutdown(async () => {
      runs.cancel();
      dispose();
      // An open PGlite keeps the process alive and may be writing a snapshot: closed before `exit`.
      await runs.closeShadow().catch((err: unknown) => ctx.log.error(`closing the shadow failed: ${err instanceof Error ? err.message : String(err)}`));
    }),
  );
  if (process.env.DRYDOCK_TEST_HOOKS === '1') {
    ctx.subscribe(connection.onRequest(REQUESTS.testBlockEventLoop, blockEventLoop));
    ctx.subscribe(connection.onRequest(REQUESTS.testChecksSettled, async (params: ChecksSettledParams) => {
      await diagnostics.whenSettled(params.uri);
      return null;
    }));
  }
  documents.listen(connection);
  connection.listen();
  return connection;
}

/**
 * Runs the server (and the shadow's worker threads it starts later, which inherit it) below normal
 * CPU priority. Its checks and shadow runs are background work that shares the machine's cores
 * with the editor's own threads: when both want a core, the editor gets it (measured in the VS
 * Code extension host: with two cores busy, its event loop waited for the CPU while nothing of
 * Drydock ran on it). On an idle machine it changes nothing. Lowering needs no privilege.
 */
function lowerOwnPriority(ctx: ServerContext): void {
  try {
    os.setPriority(os.constants.priority.PRIORITY_BELOW_NORMAL);
  } catch (err) {
    ctx.log.warn(`could not lower the server's CPU priority: ${err instanceof Error ? err.message : String(err)}`);
  }
}
