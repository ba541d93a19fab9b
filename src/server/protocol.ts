// The contract between the Drydock language server and its clients (the VS Code extension, and any
// editor that wants more than the standard LSP features): the `workspace/executeCommand` ids with
// their argument and result types, the custom notifications, the initializationOptions, and the
// `drydock` settings section the server reads through `workspace/configuration`. Everything here is
// plain JSON: a RunReport is already plain data (core/model/report.ts).
//
// Secrets: a connection's password travels inside the command's arguments (a `WireConnection`), in
// memory, for that one request. The server never stores it, never logs it (its log lines are masked
// with every password it has been handed) and masks every report and result before it answers.
import type { ConnectionSettings, Endpoint } from '../core/db/connection';
import type { ServerIdentity } from '../core/db/identity';
import type { RunReport, ServerInfo } from '../core/model/report';
import type { RunMode } from '../core/model/runModes';
import type { CatalogColumn, CatalogTable } from '../core/templates/catalog';
import type { TemplateKind } from '../core/templates/kinds';
import type { WizardAnswers } from '../core/templates/questions';
import type { MigrationTool } from '../core/templates/tools';

/** The `workspace/executeCommand` ids the server answers (its `executeCommandProvider.commands`). */
export const SERVER_COMMANDS = {
  /** DryRunParams → RunResult. A dry-run on the connection given, else on the shadow. */
  dryRun: 'drydock.server.dryRun',
  /** VerifyParams → RunResult. Read-only checks of what the files declare, on the connection given. */
  verify: 'drydock.server.verify',
  /** ApplyParams → RunResult. Commits; only with a development mark the client confirmed for the server it reaches. */
  apply: 'drydock.server.apply',
  /** IdentifyParams → IdentifyResult. Who a connection reaches (for the client's dev-mark checks). */
  identify: 'drydock.server.identify',
  /** FixQueryParams → FixQueryResult. A run's fix query, read-only and rolled back (on a connection or on the shadow). */
  runFixQuery: 'drydock.server.runFixQuery',
  /** CancelRunParams → CancelRunResult. Cancels runs in flight (as `$/cancelRequest` on the run's request does). */
  cancelRun: 'drydock.server.cancelRun',
  /** ForgetReportsParams → null. The client removed runs from its view: their evidence leaves hovers, lenses and diagnostics. */
  forgetReports: 'drydock.server.forgetReports',
  /** PlanRunParams → PlanRunResult. The files a run would send and their statement count (the apply confirmation names them), without running anything. */
  planRun: 'drydock.server.planRun',
  /** TemplateCatalogParams → TemplateCatalogResult. The tables of the connection given, and one table's columns a template kind can use. */
  templateCatalog: 'drydock.server.templateCatalog',
  /** CheckTemplateParams → CheckTemplateResult. A template's answers checked (and against the connection given): problems, or the default migration name. */
  checkTemplate: 'drydock.server.checkTemplate',
  /** RenderTemplateParams → RenderTemplateResult. Renders a template in the project's migration tool layout and writes its files. */
  renderTemplate: 'drydock.server.renderTemplate',
  /** ShowFileParams → null. Asks the client to show a file (window/showDocument): a quick fix that writes a migration opens it. */
  showFile: 'drydock.server.showFile',
  /** No arguments → null. What an informational lens runs (the measurement above a statement) when the client names no reveal command. */
  noop: 'drydock.server.noop',
} as const;

export type ServerCommand = (typeof SERVER_COMMANDS)[keyof typeof SERVER_COMMANDS];

/** Custom notifications. */
export const NOTIFICATIONS = {
  /** Server → client, RunFinishedParams: every run that produced a report (a command's, or a dry-run on save). */
  runFinished: 'drydock/runFinished',
  /** Client → server, ForgetReportsParams: the same as the forgetReports command, for clients that do not wait. */
  forgetReports: 'drydock/forgetReports',
  /** Client → server, TrustParams: whether the server may start runs on its own (dry-run on save). */
  trust: 'drydock/trust',
} as const;

/**
 * A connection as the client resolved it, password included, for one request. `name` labels it in
 * reports and messages and keys the PostgreSQL major the server remembers for it (the target
 * version of the rules when drydock.json names none).
 */
export interface WireConnection {
  name: string;
  settings: ConnectionSettings;
}

/** What every run command takes. */
export interface RunParams {
  /** File or folder URIs (file: scheme), as the user chose them. A folder runs its migrations in the tool's order. */
  targets: string[];
  /** Run the folder's migrations before the (single) target file first (Dry-Run Folder up to this File). */
  upTo?: boolean;
  /** Where to run; absent for dry-run means the shadow (drydock.shadowConnection's server, else PGlite). */
  connection?: WireConnection;
  /** drydock.referenceConnection, resolved by the client: read-only statistics for production estimates. */
  reference?: WireConnection;
  /** The shadow's server, resolved by the client (drydock.shadowConnection with its password); else the setting as the server's environment resolves it. */
  shadowConnection?: WireConnection;
  /** The client's id for the run, so cancelRun can name it before the response arrives. */
  runId?: string;
}

export type DryRunParams = RunParams;
export type VerifyParams = RunParams & { connection: WireConnection };

/** Apply: the client asserts the user confirmed this server as a development database. */
export interface ApplyParams extends RunParams {
  connection: WireConnection;
  /**
   * The server identity the connection's development mark is bound to. The server identifies the
   * server the connection reaches now and refuses when it differs; the runner checks it again on
   * its own connection before sending anything.
   */
  confirmedDevMark: ServerIdentity;
}

/** A drydock.json that cannot be used, at the place it is wrong (1-based line and column). */
export interface WireConfigProblem {
  file: string;
  line: number;
  column: number;
  length: number;
  message: string;
}

/** What a run command answers. A refusal means nothing was sent to any database. */
export type RunResult =
  | { status: 'ran'; runId: string; request: RunRequestSummary; report: RunReport; connectionLabel: string }
  | { status: 'refused'; reason: string; configProblem?: WireConfigProblem };

/** What a run was asked for, so the client can show and repeat it. */
export interface RunRequestSummary {
  mode: RunMode;
  targets: string[];
  upTo: boolean;
  /** The connection's name, or SHADOW_CONNECTION_NAME. */
  connectionName: string;
}

/** The connection name shadow runs carry. */
export const SHADOW_CONNECTION_NAME = 'shadow';

export interface IdentifyParams {
  connection: WireConnection;
}

export interface IdentifyResult {
  identity: ServerIdentity;
  server: ServerInfo;
  /** Where the connection points (host, port, database, user): what a dev mark is bound to besides the identity. */
  endpoint: Endpoint;
}

export interface FixQueryParams {
  sql: string;
  /** The database to read; absent: the shadow of the run `runId` names (its history replayed again, read-only). */
  connection?: WireConnection;
  runId?: string;
}

export interface FixQueryResult {
  fields: string[];
  rows: Record<string, unknown>[];
}

export interface PlanRunParams {
  targets: string[];
  upTo?: boolean;
}

/** A file of a planned run that does not parse (a dry-run on save waits for it to parse). */
export interface PlannedSyntaxError {
  file: string;
  /** 1-based. */
  line: number;
  message: string;
}

/** The files (absolute paths, in run order) and the number of statements they hold; or why the run would be refused. */
export type PlanRunResult =
  | { status: 'planned'; files: string[]; statements: number; syntaxErrors: PlannedSyntaxError[] }
  | { status: 'refused'; reason: string; configProblem?: WireConfigProblem };

export interface TemplateCatalogParams {
  connection: WireConnection;
  /** The table (as SQL text: CatalogTable.sql, or as typed) whose columns to list; absent: tables only. */
  table?: string;
  /** With `table`: only the columns this kind can use, the likeliest first. */
  kind?: TemplateKind;
}

export interface TemplateCatalogResult {
  /** Empty when `table` was given (only its columns were read). */
  tables: CatalogTable[];
  /** The columns of `table` (empty when none was given or it does not exist). */
  columns: CatalogColumn[];
}

export interface CheckTemplateParams {
  kind: TemplateKind;
  answers: WizardAnswers;
  /** Where the table and columns must exist; absent: the answers are only checked for shape. */
  connection?: WireConnection;
}

export type CheckTemplateResult =
  | { status: 'ok'; defaultName: string }
  | { status: 'invalid'; problems: string[] };

export interface RenderTemplateParams {
  /** The project root (file: URI): the migration tool is detected there and the files are written below it. */
  folder: string;
  /** The project's name (a new sqitch plan records it). */
  project: string;
  kind: TemplateKind;
  answers: WizardAnswers;
  name?: string;
  /** The folder the author started from, relative to `folder` ('.' for the root): flat layouts write there. */
  clickedDir?: string;
  /** A tool, or 'auto' / absent to detect it. */
  tool?: MigrationTool | 'auto';
}

export interface RenderTemplateResult {
  tool: MigrationTool;
  /** Why that tool (detection evidence). */
  evidence: string[];
  /** The files written (file: URIs), in the order the tool's layout renders them. */
  files: string[];
  /** The index in `files` of the migration to open. */
  main: number;
}

export interface CancelRunParams {
  /** The run to cancel; absent: every run in flight. */
  runId?: string;
}

export interface CancelRunResult {
  cancelled: number;
}

/** The file to show (a file: URI). */
export interface ShowFileParams {
  uri: string;
  /** Where to put the cursor (LSP positions): the place a fix left for the author to complete. */
  selection?: { start: { line: number; character: number }; end: { line: number; character: number } };
}

export interface ForgetReportsParams {
  /** Runs to forget; absent: all of them. */
  runIds?: string[];
}

export interface RunFinishedParams {
  runId: string;
  request: RunRequestSummary;
  report: RunReport;
  connectionLabel: string;
  /** 'command': a run command's; 'save': the server's own dry-run on save. */
  trigger: 'command' | 'save';
}

export interface TrustParams {
  trusted: boolean;
}

/** Commands the static "Dry-run · Apply · Verify" lenses run; the client handles them (arguments: [fileUri]). */
export interface RunLensCommands {
  dryRun: string;
  apply: string;
  verify: string;
  /** What the measurement lens above a statement runs (arguments: [filePath, core Range]); absent: SERVER_COMMANDS.noop. */
  reveal?: string;
}

/** `initializationOptions` the server understands (all optional). */
export interface DrydockInitializationOptions {
  /** Where Drydock is installed: rule docs links point to `<installPath>/docs/rules/<id>.md`. Default: the folder above the server's bundle. */
  installPath?: string;
  /** A folder the server may write to: shadow snapshots go under `<storagePath>/shadow`. Default: the user's cache folder (as the CLI). */
  storagePath?: string;
  /**
   * The static run lenses at the top of a migration, as commands the client handles. Absent: one
   * "Dry-run on the shadow" lens running the server's own dryRun command.
   */
  runLenses?: RunLensCommands;
  /** false: the server never dry-runs on save (the client does it itself). Default true (drydock.dryRunOnSave decides). */
  dryRunOnSave?: boolean;
  /** false: the workspace is not trusted: no run starts on the server's own initiative until `drydock/trust` says so. Default true. */
  trusted?: boolean;
  /** Markdown icons in hovers as VS Code's `$(name)` theme icons (default false: plain words). */
  themeIcons?: boolean;
}

/** The `drydock` section of `workspace/configuration`: the keys of package.json's contributes.configuration. */
export interface DrydockSettingsSection {
  connections?: unknown[];
  activeConnection?: string;
  lockTimeoutMs?: number | string;
  statementTimeoutMs?: number | string;
  runFixQueries?: boolean;
  migrationsGlobs?: string[];
  diagnostics?: { enabled?: boolean };
  dryRunOnSave?: boolean | null;
  shadowConnection?: string;
  results?: { maxRuns?: number };
  migrationTool?: string;
  format?: { keywordCase?: string; indent?: number | null; lineWidth?: number };
  referenceConnection?: string;
  /** SQL the project's own migration runner sends first on its session, sent first on the shadow's replay (the CLI's --shadow-setup). */
  shadowSetup?: string[];
}

/** Custom requests. */
export const REQUESTS = {
  /** Client → server, no params → PingResult: the client's hang detection (answered from the server's event loop). */
  ping: 'drydock/ping',
  /**
   * Client → server, BlockEventLoopParams → null. Test hook, only when the server's environment has
   * DRYDOCK_TEST_HOOKS=1: holds the server's thread for `ms`, as a hang would.
   */
  testBlockEventLoop: 'drydock/test/blockEventLoop',
  /**
   * Client → server, ChecksSettledParams → null. Test hook, only with DRYDOCK_TEST_HOOKS=1: answered
   * once the document has no check scheduled or running, after its last publish (tests wait for a
   * check by this, not by a quiet period).
   */
  testChecksSettled: 'drydock/test/checksSettled',
} as const;

export interface ChecksSettledParams {
  uri: string;
}

export interface PingResult {
  /** The server's process id (the client ends a server that stops answering). */
  pid: number;
}

export interface BlockEventLoopParams {
  ms: number;
}

/** The configuration section name. */
export const SETTINGS_SECTION = 'drydock';

/** The code action kind of "fix everything safe and mechanical in this file". */
export const FIX_ALL_KIND = 'source.fixAll.drydock';
