// Dry-Run, Apply, Verify and Dry-Run Folder up to this File: collect the files, check trust, the
// connection and (for apply) the dev mark and the user's confirmation, then run core with progress
// and cancellation, and hand the report to the results view and diagnostics.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { classifyError } from '../core/classify';
import type { RunMode, RunReport } from '../core/report';
import type { MigrationFile } from '../core/runner';
import { checkApplyAllowed } from './applyGuard';
import { COMMANDS, registerCommands } from './commands';
import type { ResolvedConnection } from './connections';
import type { DrydockContext } from './context';
import { parseFile, runFiles } from './engine';
import { filesToRun, readMigrationFiles } from './migrationFiles';
import { endingOf, type RunRequest } from './results';
import type { RunDiagnostics } from './diagnostics';
import type { ServerIdentity } from './secrets';
import type { StatusBar } from './statusBar';

const MODE_TITLES: Record<RunMode, string> = { 'dry-run': 'Dry-run', apply: 'Apply', verify: 'Verify' };

/** Options a caller (dry-run on save, re-run) can pass; commands from menus pass none. */
export interface RunCall {
  /** Do not show notifications for the outcome (dry-run on save). */
  quiet?: boolean;
}

/** Runs migrations for the commands, re-run and dry-run on save. */
export class MigrationRunner {
  constructor(private readonly ctx: DrydockContext, private readonly diagnostics: RunDiagnostics, private readonly statusBar: StatusBar) {}

  /** Runs a request; resolves with the report, or undefined when nothing ran (refused before connecting). */
  async run(mode: RunMode, targets: vscode.Uri[], upTo: boolean, call: RunCall = {}, connectionName?: string): Promise<RunReport | undefined> {
    const { ctx } = this;
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage('Drydock does not connect to databases in Restricted Mode. Trust this workspace to run migrations.');
      return undefined;
    }
    if (targets.length === 0) {
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
      return await this.claimedRun(mode, targets, upTo, call, connectionName, signal);
    } finally {
      ctx.runs.finish();
    }
  }

  /** The rest of run() once the run is claimed: connection, files, apply approval, execution. */
  private async claimedRun(mode: RunMode, targets: vscode.Uri[], upTo: boolean, call: RunCall, connectionName: string | undefined,
    signal: AbortSignal): Promise<RunReport | undefined> {
    const { ctx } = this;
    const connection = await ctx.connections.resolve(connectionName);
    if (!connection) {
      // Not awaited: the notification may stay open, and the run claim must not wait for it.
      void vscode.window.showWarningMessage('No Drydock connection is selected.', 'Add Connection', 'Select Connection').then((choice) => {
        if (choice) void vscode.commands.executeCommand(choice === 'Add Connection' ? COMMANDS.addConnection : COMMANDS.selectConnection);
      });
      return undefined;
    }
    const files = await readMigrationFiles(await filesToRun(targets, upTo));
    if (files.length === 0) {
      void vscode.window.showWarningMessage('No .sql files to run there.');
      return undefined;
    }
    const request: RunRequest = { mode, targets, upTo, connectionName: connection.name };

    let expectedServer: ServerIdentity | undefined;
    if (mode === 'apply') {
      expectedServer = await this.approveApply(connection, files, call);
      if (!expectedServer) return undefined;
    }
    return this.execute(request, mode, files, connection, call, expectedServer, signal);
  }

  /**
   * The apply guard, then the modal confirmation naming server, database, user and statement count.
   * Resolves to the dev mark's server identity, which the run checks again on its own connection
   * (the guard's connection is another one), or undefined when the apply must not go ahead.
   */
  private async approveApply(connection: ResolvedConnection, files: MigrationFile[], call: RunCall): Promise<ServerIdentity | undefined> {
    const { ctx } = this;
    let verdict;
    try {
      verdict = await checkApplyAllowed(connection, ctx.devMarks);
    } catch (err) {
      this.runFailed(err, connection.name, call);
      return undefined;
    }
    if (!verdict.allowed) {
      ctx.log.warn(verdict.reason);
      if (!call.quiet) void vscode.window.showErrorMessage(verdict.reason);
      return undefined;
    }
    const parsed = await Promise.all(files.map((f) => parseFile(f.path, f.text)));
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
    return marked;
  }

  private async execute(request: RunRequest, mode: RunMode, files: MigrationFile[], connection: ResolvedConnection,
    call: RunCall, expectedServer: ServerIdentity | undefined, signal: AbortSignal): Promise<RunReport | undefined> {
    const { ctx } = this;
    const names = files.map((f) => path.basename(f.path)).join(', ');
    ctx.log.info(`${mode} ${names} on ${connection.name} (${connection.label})`);
    this.diagnostics.clearRunDiagnostics();
    let report: RunReport;
    try {
      report = await vscode.window.withProgress({
        location: call.quiet ? vscode.ProgressLocation.Window : vscode.ProgressLocation.Notification,
        title: `Drydock: ${MODE_TITLES[mode]} ${names}`,
        cancellable: true,
      }, (progress, token) => {
        // Lives as long as this run.
        const cancellation = token.onCancellationRequested(() => ctx.runs.cancel());
        let reported = 0;
        return runFiles(files, {
          mode, connection: connection.settings, settings: ctx.config.runSettings, signal, ...(expectedServer ? { expectedServer } : {}),
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
    ctx.results.add(request, report, connection.label);
    this.diagnostics.showRunDiagnostics(report);
    this.statusBar.reportRun(connection.name, report);
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
    for (const d of report.diagnostics) log.warn(`${path.basename(d.file)}:${d.range.start.line}:${d.range.start.column} ${d.code}: ${d.message}`);
  }

  private announce(report: RunReport): void {
    const title = MODE_TITLES[report.mode];
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

/** Registers Dry-Run, Apply, Verify, Dry-Run Folder up to this File and Cancel Run. */
export function registerRunCommands(ctx: DrydockContext, runner: MigrationRunner): void {
  const command = (mode: RunMode, upTo = false) => () => (uri?: unknown, selected?: unknown) =>
    runner.run(mode, targetsOf(uri, selected), upTo);
  registerCommands(ctx, {
    [COMMANDS.dryRunMigration]: command('dry-run'),
    [COMMANDS.applyMigration]: command('apply'),
    [COMMANDS.verifyMigration]: command('verify'),
    [COMMANDS.dryRunFolderUpToFile]: command('dry-run', true),
    [COMMANDS.cancelRun]: (c) => () => c.runs.cancel(),
  });
}
