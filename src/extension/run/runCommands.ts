// Dry-Run, Apply, Verify and Dry-Run Folder up to this File: collect the files, the connection and
// (for apply) the dev mark and the user's confirmation, then run core with progress and
// cancellation, and hand the report to the results view and diagnostics. In Restricted Mode the
// commands' disabled handlers run instead (commands.ts chooses).
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DatabaseBackend } from '../../core/db/backend';
import type { ServerIdentity } from '../../core/db/identity';
import { DEFAULT_LINT_SETTINGS, type LintSettings } from '../../core/model/lintSettings';
import type { RunReport } from '../../core/model/report';
import { RUN_MODES, type RunMode } from '../../core/model/runModes';
import { classifyError } from '../../core/run/classify';
import type { MigrationFile } from '../../core/run/runner';
import { COMMANDS, refuseWith, registerCommands, type StatefulCommand } from '../commands';
import type { ResolvedConnection } from '../connections/connections';
import type { StatusBar } from '../connections/statusBar';
import type { DrydockContext } from '../context';
import type { RunDiagnostics } from '../editor/diagnostics';
import { checkFile, pgBackendFor, runFiles, runShadow } from '../../server/engine';
import { endingOf, type RunRequest } from '../results/results';
import { checkApplyAllowed } from './applyGuard';
import { filesToRun, readMigrationFiles } from '../../server/migrationFiles';
import { SHADOW_CONNECTION, type ExtensionShadow } from './shadow';

/** The files a run over `targets` covers, with their text (an open editor's, with unsaved edits, wins over the disk's). */
async function filesOf(targets: readonly vscode.Uri[], upTo: boolean): Promise<MigrationFile[]> {
  const openText = (file: string) => vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === file)?.getText();
  return readMigrationFiles(await filesToRun(targets.map((t) => t.fsPath), upTo), openText);
}

/** Options a caller (dry-run on save, re-run) can pass; commands from menus pass none. */
export interface RunCall {
  /** Do not show notifications for the outcome (dry-run on save). */
  quiet?: boolean;
}

/** What to run: the request (files, mode, connection name) as the user asked for it. */
export type RunAsk = Omit<RunRequest, 'connectionName'> & { connectionName?: string };

/** A run with everything settled, ready to execute. */
interface PreparedRun {
  request: RunRequest;
  files: MigrationFile[];
  connection: ResolvedConnection;
  backend: DatabaseBackend;
  call: RunCall;
  expectedServer?: ServerIdentity;
  signal: AbortSignal;
  /** drydock.referenceConnection's database, read-only, for production estimates. */
  reference?: DatabaseBackend;
  /** Each file's rules settings from its drydock.json, as its diagnostics use them. */
  lintSettings: (file: string) => LintSettings;
}

/** Runs migrations for the commands, re-run and dry-run on save. */
export class MigrationRunner {
  constructor(private readonly ctx: DrydockContext, private readonly diagnostics: RunDiagnostics, private readonly statusBar: StatusBar,
    private readonly shadow: ExtensionShadow) {}

  /** Runs a request; resolves with the report, or undefined when nothing ran (refused before connecting). */
  async run(ask: RunAsk, call: RunCall = {}): Promise<RunReport | undefined> {
    const { ctx } = this;
    if (ask.targets.length === 0) {
      void vscode.window.showWarningMessage('Open a .sql migration (or choose one in the Explorer) to run it.');
      return undefined;
    }
    if (ctx.runs.busy) {
      if (!call.quiet) void vscode.window.showWarningMessage('A Drydock run is already in progress (Drydock: Cancel Run stops it).');
      return undefined;
    }
    // Claimed before the first await, so another run (a click, a save) cannot start meanwhile.
    const signal = ctx.runs.start();
    try {
      return await this.claimedRun(ask, call, signal);
    } finally {
      ctx.runs.finish();
    }
  }

  /** The rest of run() once the run is claimed: connection, files, apply approval, execution. */
  private async claimedRun(ask: RunAsk, call: RunCall, signal: AbortSignal): Promise<RunReport | undefined> {
    const { ctx } = this;
    const connection = ask.connectionName === SHADOW_CONNECTION ? undefined : await ctx.connections.resolve(ask.connectionName);
    // Nothing configured at all: a dry-run goes to the shadow instead of failing to connect.
    if (!connection && ask.mode === 'dry-run' && (ask.connectionName === SHADOW_CONNECTION || ctx.connections.activeName() === undefined)) {
      return this.executeShadow(ask, call, signal);
    }
    if (!connection) {
      // Not awaited: the notification may stay open, and the run claim must not wait for it.
      void vscode.window.showWarningMessage('No Drydock connection is selected.', 'Add Connection', 'Select Connection').then((choice) => {
        if (choice) void vscode.commands.executeCommand(choice === 'Add Connection' ? COMMANDS.addConnection : COMMANDS.selectConnection);
      });
      return undefined;
    }
    const files = await filesOf(ask.targets, ask.upTo);
    if (files.length === 0) {
      void vscode.window.showWarningMessage('No .sql files to run there.');
      return undefined;
    }
    const lintSettings = await this.lintSettingsFor(files, call);
    if (!lintSettings) return undefined;
    const request: RunRequest = { mode: ask.mode, targets: ask.targets, upTo: ask.upTo, connectionName: connection.name };
    const backend = await pgBackendFor(connection.settings);
    const prepared: PreparedRun = { request, files, connection, backend, call, signal, lintSettings };
    const reference = await this.referenceBackend();
    if (reference) prepared.reference = reference;
    if (RUN_MODES[ask.mode].needsDevMark) {
      const expectedServer = await this.approveApply(prepared);
      if (!expectedServer) return undefined;
      prepared.expectedServer = expectedServer;
    }
    return this.execute(prepared);
  }

  /**
   * The apply guard, then the modal confirmation naming server, database, user and statement count.
   * Resolves to the dev mark's server identity, which the run checks again on its own connection
   * (the guard's connection is another one), or undefined when the apply must not go ahead.
   */
  private async approveApply({ connection, backend, files, call }: PreparedRun): Promise<ServerIdentity | undefined> {
    const { ctx } = this;
    let verdict;
    try {
      verdict = await checkApplyAllowed(connection, backend, ctx.devMarks);
    } catch (err) {
      this.runFailed(err, connection.name, call);
      return undefined;
    }
    if (!verdict.allowed) {
      ctx.log.warn(verdict.reason);
      if (!call.quiet) void vscode.window.showErrorMessage(verdict.reason);
      return undefined;
    }
    const parsed = await Promise.all(files.map((f) => checkFile(f.path, f.text)));
    const count = parsed.reduce((n, p) => n + p.statements.filter((s) => s.role === 'statement').length, 0);
    const { identity, server } = verdict;
    const question = `Apply ${count} statement${count === 1 ? '' : 's'} to database "${identity.database}" on ${connection.endpoint}?`;
    const detail = [
      `Connection: ${connection.name}`,
      `Server: ${connection.endpoint} (PostgreSQL ${server.version}, system identifier ${identity.systemIdentifier})`,
      `Database: ${identity.database}`,
      `User: ${server.user}`,
      `Files: ${files.map((f) => path.basename(f.path)).join(', ')}`,
      'The changes will be committed.',
    ].join('\n');
    if (!(await ctx.prompts.confirm(question, detail, 'Apply'))) {
      ctx.log.info(`apply of ${files.length} file(s) not confirmed`);
      return undefined;
    }
    const marked = ctx.devMarks.get(connection.name);
    if (!marked) ctx.log.warn(`Apply refused: connection "${connection.name}" lost its development-database mark while the confirmation was open.`);
    return marked?.server;
  }

  /**
   * The rules' settings of each file, read as the diagnostics read them (drydock.json above it, the
   * connection's server version when it names none); undefined, and the problem shown on the
   * drydock.json, when one is broken: the run is refused rather than judged by defaults.
   */
  private async lintSettingsFor(files: readonly MigrationFile[], call: RunCall): Promise<((file: string) => LintSettings) | undefined> {
    const settings = await this.diagnostics.checks.checker.lintSettingsFor(files.map((f) => f.path));
    if (settings instanceof Map) return (file) => settings.get(file) ?? DEFAULT_LINT_SETTINGS;
    const reason = `invalid drydock.json: ${vscode.workspace.asRelativePath(settings.file, false)}:${settings.line}:${settings.column}: ${settings.message}`;
    this.ctx.log.error(`run refused: ${reason}`);
    this.diagnostics.showConfigProblem(settings);
    if (!call.quiet) void vscode.window.showErrorMessage(`Drydock: ${reason}`);
    return undefined;
  }

  /** The reference connection's backend (read-only from its first statement), when one is configured. */
  private async referenceBackend(): Promise<DatabaseBackend | undefined> {
    const name = this.ctx.config.referenceConnection;
    if (!name) return undefined;
    const reference = await this.ctx.connections.resolve(name);
    if (!reference) {
      this.ctx.log.warn(`drydock.referenceConnection names "${name}", which is not a configured connection; no production estimates`);
      return undefined;
    }
    return pgBackendFor({ ...reference.settings, readOnly: true });
  }

  private async execute({ request, files, connection, backend, call, expectedServer, signal, reference, lintSettings }: PreparedRun): Promise<RunReport | undefined> {
    const { ctx } = this;
    const mode = request.mode;
    const names = files.map((f) => path.basename(f.path)).join(', ');
    ctx.log.info(`${mode} ${names} on ${connection.name} (${connection.label})`);
    this.diagnostics.clearRunDiagnostics();
    let report: RunReport;
    try {
      report = await vscode.window.withProgress({
        location: call.quiet ? vscode.ProgressLocation.Window : vscode.ProgressLocation.Notification,
        title: `Drydock: ${RUN_MODES[mode].title} ${names}`,
        cancellable: true,
      }, (progress, token) => {
        // Lives as long as this run.
        const cancellation = token.onCancellationRequested(() => ctx.runs.cancel());
        let reported = 0;
        return runFiles(files, {
          mode, backend, settings: ctx.config.runSettings, lintSettings, signal, ...(expectedServer ? { expectedServer } : {}), ...(reference ? { reference } : {}),
          onProgress: (p) => {
            const increment = p.total > 0 ? ((p.done - reported) / p.total) * 100 : 0;
            reported = p.done;
            progress.report({ message: `statement ${p.done + 1} of ${p.total}: ${p.kind}`, increment });
          },
        }).finally(() => cancellation.dispose());
      });
    } catch (err) {
      return this.runFailed(err, connection.name, call);
    }
    // Masked as data before the view, the diagnostics or a message shows (or shortens) any of it.
    report = ctx.log.maskDeep(report);
    ctx.results.add(request, report, connection.label);
    this.diagnostics.showRunDiagnostics(report);
    this.diagnostics.checks.recordServer(connection.name, report.server);
    this.statusBar.reportRun(connection.name, report);
    this.logReport(report);
    if (!call.quiet) this.announce(report);
    return report;
  }

  /**
   * A dry-run on the shadow: the file's earlier migrations replayed (PGlite in this process, or a
   * scratch database on drydock.shadowConnection), then the file in a transaction rolled back.
   */
  private async executeShadow(ask: RunAsk, call: RunCall, signal: AbortSignal): Promise<RunReport | undefined> {
    const { ctx } = this;
    const files = await filesOf(ask.targets, false);
    if (files.length === 0) {
      void vscode.window.showWarningMessage('No .sql files to run there.');
      return undefined;
    }
    const lintSettings = await this.lintSettingsFor(files, call);
    if (!lintSettings) return undefined;
    const request: RunRequest = { mode: 'dry-run', targets: ask.targets, upTo: ask.upTo, connectionName: SHADOW_CONNECTION };
    const names = files.map((f) => path.basename(f.path)).join(', ');
    ctx.log.info(`dry-run ${names} on the shadow (${this.shadow.onServer ? 'scratch database' : 'PGlite'})`);
    this.diagnostics.clearRunDiagnostics();
    let report: RunReport;
    try {
      const host = await this.shadow.current();
      report = await vscode.window.withProgress({
        location: call.quiet ? vscode.ProgressLocation.Window : vscode.ProgressLocation.Notification,
        title: `Drydock: Dry-run ${names} on the shadow`,
        cancellable: true,
      }, (progress, token) => {
        const cancellation = token.onCancellationRequested(() => {
          ctx.runs.cancel();
          if (!this.shadow.onServer) void vscode.window.showInformationMessage('PGlite cannot interrupt a running statement: the dry-run stops after the one in flight.');
        });
        return runShadow(files.map((f) => ({ ...f, absolutePath: f.path })), {
          host, settings: ctx.config.runSettings, lintSettings, signal,
          displayPath: (p) => vscode.workspace.asRelativePath(p, false),
          onReplay: (done, total) => progress.report({ message: `replaying earlier migration ${done + 1} of ${total}` }),
          onProgress: (p) => progress.report({ message: `statement ${p.done + 1} of ${p.total}: ${p.kind}` }),
        }).finally(() => cancellation.dispose());
      });
    } catch (err) {
      return this.runFailed(err, SHADOW_CONNECTION, call);
    }
    report = ctx.log.maskDeep(report);
    const label = report.shadow ? `${report.shadow.label}${report.shadow.kind === 'pglite' ? ' (shadow)' : ''}` : 'shadow';
    ctx.results.add(request, report, label);
    this.diagnostics.showRunDiagnostics(report);
    this.statusBar.reportRun(SHADOW_CONNECTION, report);
    this.logReport(report);
    if (!call.quiet) this.announce(report);
    return report;
  }

  /** A run that threw instead of producing a report (e.g. the apply guard could not connect). */
  private runFailed(err: unknown, name: string, call: RunCall): undefined {
    const error = classifyError(err);
    const reason = this.ctx.log.mask(`${error.label} (${error.sqlstate}): ${error.message}`);
    const connectionFailed = error.category === 'operational' && error.sqlstate.startsWith('08');
    this.ctx.log.error(connectionFailed ? `connection "${name}" failed: ${reason}` : `run on "${name}" failed: ${reason}`);
    this.statusBar.failed(name, reason);
    if (!call.quiet) void vscode.window.showErrorMessage(`Drydock could not run on "${name}": ${reason}`);
    return undefined;
  }

  private logReport(report: RunReport): void {
    const { log } = this.ctx;
    log.info(`${report.mode} ${report.outcome} (${endingOf(report)}) in ${Math.round(report.timings.totalMs)} ms: ${report.statements.length} statement(s)`);
    if (report.error) {
      const e = report.error;
      const where = e.file && e.position ? ` at ${path.basename(e.file)}:${e.position.line}:${e.position.column}` : '';
      log.error(`${e.label} ${e.sqlstate} (${e.title})${where}: ${e.message}${e.detail ? ` — ${e.detail}` : ''}`);
    }
    for (const d of report.diagnostics) log.warn(`${path.basename(d.file)}:${d.range.start.line}:${d.range.start.column} ${d.ruleId}: ${d.message}`);
  }

  private announce(report: RunReport): void {
    const title = RUN_MODES[report.mode].title;
    if (report.outcome === 'succeeded') {
      void vscode.window.showInformationMessage(`Drydock: ${title} succeeded (${endingOf(report)}).`);
    } else if (report.error) {
      void vscode.window.showErrorMessage(`Drydock: ${title} ${report.outcome}: ${report.error.label}: ${this.ctx.log.mask(report.error.message)}`);
    } else {
      void vscode.window.showWarningMessage(`Drydock: ${title} ${report.outcome}.`);
    }
  }
}

/** The file a command applies to: the explorer/CodeLens argument, else the active SQL editor. */
function targetsOf(uri: unknown, selected: unknown): vscode.Uri[] {
  if (Array.isArray(selected) && selected.length > 0 && selected.every((u) => u instanceof vscode.Uri)) return selected as vscode.Uri[];
  if (uri instanceof vscode.Uri) return [uri];
  const editor = vscode.window.activeTextEditor;
  return editor && editor.document.uri.scheme === 'file' ? [editor.document.uri] : [];
}

/** What the run commands do in Restricted Mode: say why, and run nothing. */
export const refuseRunInRestrictedMode = refuseWith('Drydock does not connect to databases in Restricted Mode. Trust this workspace to run migrations.');

/** Registers Dry-Run, Apply, Verify, Dry-Run Folder up to this File and Cancel Run. */
export function registerRunCommands(ctx: DrydockContext, runner: MigrationRunner): void {
  const command = (mode: RunMode, upTo = false): StatefulCommand => ({
    needs: 'trusted',
    enabled: () => (uri?: unknown, selected?: unknown) => runner.run({ mode, targets: targetsOf(uri, selected), upTo }),
    disabled: refuseRunInRestrictedMode,
  });
  registerCommands(ctx, {
    [COMMANDS.dryRunMigration]: command('dry-run'),
    [COMMANDS.applyMigration]: command('apply'),
    [COMMANDS.verifyMigration]: command('verify'),
    [COMMANDS.dryRunFolderUpToFile]: command('dry-run', true),
    [COMMANDS.cancelRun]: (c) => () => c.runs.cancel(),
  });
}
