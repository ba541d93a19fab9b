// Everything a feature of the server needs, built once in startServer() and passed to each
// registerX(ctx). `subscribe` ties a disposable to the server's life: all are disposed on shutdown.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ClientCapabilities, Connection, Disposable, InitializeParams } from 'vscode-languageserver/node';
import { ruleDocsPath } from '../core/rules/rule';
import { FileChecks } from './checks';
import { OpenDocuments } from './documents';
import { ServerLog } from './log';
import type { DrydockInitializationOptions, RunLensCommands } from './protocol';
import { ReportStore } from './reports';
import { activeConnectionOf, SettingsSource } from './settings';

/** The initializationOptions with their defaults filled in. */
export interface ServerOptions {
  installPath: string;
  /** Where shadow snapshots are kept. */
  shadowCacheDir: string;
  runLenses: RunLensCommands | null;
  dryRunOnSave: boolean;
  themeIcons: boolean;
  /** Mutable: `drydock/trust` changes it. */
  trusted: boolean;
}

/** What the client can do, as far as the server cares. */
export interface ClientAbilities {
  configuration: boolean;
  /** Workspace edits with document changes and file creation (fixes that move a statement to a new file). */
  createFiles: boolean;
  documentChanges: boolean;
  /** window/showDocument: a quick fix that writes a migration opens it. */
  showDocument: boolean;
  workDoneProgress: boolean;
}

/** The services every feature of the server is built from. */
export interface ServerContext {
  readonly connection: Connection;
  readonly log: ServerLog;
  readonly settings: SettingsSource;
  readonly documents: OpenDocuments;
  readonly checks: FileChecks;
  readonly reports: ReportStore;
  options: ServerOptions;
  client: ClientAbilities;
  /** The link to a rule's docs page. */
  docsLink(ruleId: string): string;
  /** Ties a disposable to the server's life. */
  subscribe(...disposables: Disposable[]): void;
}

/** Builds the context before `initialize` (options and abilities are filled in when it arrives). */
export function createContext(connection: Connection, defaults: ServerOptions): { ctx: ServerContext; dispose(): void } {
  const disposables: Disposable[] = [];
  const docsLinks = new Map<string, string>();
  const log = new ServerLog(connection);
  const abilities: ClientAbilities = { configuration: false, createFiles: false, documentChanges: false, showDocument: false, workDoneProgress: false };
  const settings = new SettingsSource(connection, () => abilities.configuration, (message) => log.warn(message));
  const documents = new OpenDocuments();
  const ctx: ServerContext = {
    connection, log, settings, documents,
    checks: new FileChecks(documents, log, () => activeConnectionOf(settings.latest)),
    reports: new ReportStore(() => settings.latest.maxRuns),
    options: defaults,
    client: abilities,
    docsLink: (ruleId) => {
      // Asked once per diagnostic on every publish: each rule's link is made once.
      const key = `${ctx.options.installPath}\0${ruleId}`;
      let link = docsLinks.get(key);
      if (link === undefined) docsLinks.set(key, link = pathToFileURL(path.join(ctx.options.installPath, ...ruleDocsPath(ruleId).split('/'))).toString());
      return link;
    },
    subscribe: (...more) => disposables.push(...more),
  };
  return {
    ctx,
    dispose: () => {
      for (const d of disposables.splice(0).reverse()) {
        try {
          d.dispose();
        } catch {
          // shutting down: the others are still disposed
        }
      }
    },
  };
}

/** The options and abilities from `initialize`. */
export function applyInitialize(ctx: ServerContext, params: InitializeParams): void {
  const given = (params.initializationOptions ?? {}) as DrydockInitializationOptions;
  const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
  const storage = str(given.storagePath);
  ctx.options = {
    installPath: str(given.installPath) ?? ctx.options.installPath,
    shadowCacheDir: storage ? path.join(storage, 'shadow') : ctx.options.shadowCacheDir,
    runLenses: isRunLenses(given.runLenses) ? given.runLenses : null,
    dryRunOnSave: given.dryRunOnSave !== false,
    themeIcons: given.themeIcons === true,
    trusted: given.trusted !== false,
  };
  const caps: ClientCapabilities = params.capabilities;
  ctx.client.configuration = caps.workspace?.configuration === true;
  ctx.client.documentChanges = caps.workspace?.workspaceEdit?.documentChanges === true;
  ctx.client.createFiles = ctx.client.documentChanges && (caps.workspace?.workspaceEdit?.resourceOperations ?? []).includes('create');
  ctx.client.workDoneProgress = caps.window?.workDoneProgress === true;
  ctx.client.showDocument = caps.window?.showDocument?.support === true;
  const folders = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
  ctx.documents.setFolders(folders);
}

function isRunLenses(value: unknown): value is RunLensCommands {
  const v = value as Partial<RunLensCommands> | null | undefined;
  return typeof v?.dryRun === 'string' && typeof v.apply === 'string' && typeof v.verify === 'string';
}
