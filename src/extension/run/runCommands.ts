// Dry-Run, Apply, Verify and Dry-Run Folder up to this File: collect the connection (its password
// resolved here, sent with the one request) and, for apply, the dev mark and the user's
// confirmation; then ask the language server for the run, with progress and cancellation, and hand
// the report it returns to the results view. The server reads the files, runs core and publishes the
// run's diagnostics. In Restricted Mode the commands' disabled handlers run instead (commands.ts chooses).
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Severity } from '../../core/model/findings';
import type { RunReport } from '../../core/model/report';
import { RUN_MODES, type RunMode } from '../../core/model/runModes';
import type { ServerIdentity } from '../../core/db/identity';
import { SERVER_COMMANDS, SHADOW_CONNECTION_NAME, type ApplyParams, type PlanRunResult, type RunParams, type RunResult } from '../../server/protocol';
import { ServerStoppedError } from '../client/languageServer';
import { COMMANDS, refuseWith, registerCommands, type StatefulCommand } from '../commands';
import type { ResolvedConnection } from '../connections/connections';
import type { StatusBar } from '../connections/statusBar';
import type { DrydockContext } from '../context';
import { endingOf, type RunRequest } from '../results/results';
import { checkApplyAllowed } from './applyGuard';
import { shadowServer, toWire } from './wireConnections';

/** Options a caller (dry-run on save, re-run) can pass; commands from menus pass none. */
export interface RunCall {
  /** Do not show notifications for the outcome (dry-run on save). */
  quiet?: boolean;
}

/** What to run: the request (files, mode, connection name) as the user asked for it. */
export type RunAsk = Omit<RunRequest, 'connectionName'> & { connectionName?: string };

/** The server's command for each run mode. */
/** The log level of a finding of each severity. */
const LOG_LEVEL = { error: 'error', warning: 'warn', info: 'info' } as const satisfies Record<Severity, 'error' | 'warn' | 'info'>;

const MODE_COMMANDS = { 'dry-run': SERVER_COMMANDS.dryRun, apply: SERVER_COMMANDS.apply, verify: SERVER_COMMANDS.verify } as const satisfies Record<RunMode, string>;

/** A run with everything settled, ready to send to the server. */
interface PreparedRun {
  mode: RunMode;
  params: RunParams;
  /** The connection's name, or the shadow's. */
  name: string;
  call: RunCall;
  token: vscode.CancellationToken;
}

/** Runs migrations for the commands, re-run and dry-run on save, through the language server. */
export class MigrationRunner {
  private runIds = 0;

  constructor(private readonly ctx: DrydockContext, private readonly statusBar: StatusBar) {}

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
    const token = ctx.runs.start();
    try {
      return await this.claimedRun(ask, call, token);
    } finally {
      ctx.runs.finish();
    }
  }

  /** The rest of run() once the run is claimed: connection, apply approval, execution. */
  private async claimedRun(ask: RunAsk, call: RunCall, token: vscode.CancellationToken): Promise<RunReport | undefined> {
    const { ctx } = this;
    const runId = `vscode-${process.pid}-${++this.runIds}`;
    const base = { targets: ask.targets.map((u) => u.toString()), upTo: ask.upTo, runId };
    const connection = ask.connectionName === SHADOW_CONNECTION_NAME ? undefined : await ctx.connections.resolve(ask.connectionName);
    // Nothing configured at all: a dry-run goes to the shadow instead of failing to connect.
    if (!connection && ask.mode === 'dry-run' && (ask.connectionName === SHADOW_CONNECTION_NAME || ctx.connections.activeName() === undefined)) {
      const shadow = shadowServer(ctx);
      const params: RunParams = { ...base, ...(shadow ? { shadowConnection: shadow } : {}) };
      return this.execute({ mode: 'dry-run', params, name: SHADOW_CONNECTION_NAME, call, token });
    }
    if (!connection) {
      // Not awaited: the notification may stay open, and the run claim must not wait for it.
      void vscode.window.showWarningMessage('No Drydock connection is selected.', 'Add Connection', 'Select Connection').then((choice) => {
        if (choice) void vscode.commands.executeCommand(choice === 'Add Connection' ? COMMANDS.addConnection : COMMANDS.selectConnection);
      });
      return undefined;
    }
    const params: RunParams = { ...base, connection: toWire(connection) };
    const reference = await this.reference();
    if (reference) params.reference = reference;
    if (RUN_MODES[ask.mode].needsDevMark) {
      const confirmedDevMark = await this.approveApply(connection, params, call);
      if (!confirmedDevMark) return undefined;
      const apply: ApplyParams = { ...params, connection: toWire(connection), confirmedDevMark };
      return this.execute({ mode: 'apply', params: apply, name: connection.name, call, token });
    }
    return this.execute({ mode: ask.mode, params, name: connection.name, call, token });
  }

  /**
   * The apply guard, then the modal confirmation naming server, database, user and statement count.
   * Resolves to the dev mark's server identity, which the server checks again on the run's own
   * connection, or undefined when the apply must not go ahead.
   */
  private async approveApply(connection: ResolvedConnection, params: RunParams, call: RunCall): Promise<ServerIdentity | undefined> {
    const { ctx } = this;
    let verdict;
    let plan: PlanRunResult;
    try {
      verdict = await checkApplyAllowed(connection, ctx.devMarks, (c) => ctx.server.execute(SERVER_COMMANDS.identify, { connection: toWire(c) }));
      if (!verdict.allowed) {
        ctx.log.warn(verdict.reason);
        if (!call.quiet) void vscode.window.showErrorMessage(verdict.reason);
        return undefined;
      }
      plan = await ctx.server.execute<PlanRunResult>(SERVER_COMMANDS.planRun, { targets: params.targets, upTo: params.upTo });
    } catch (err) {
      this.runFailed(err, connection.name, call);
      return undefined;
    }
    if (plan.status === 'refused') {
      this.refused(plan.reason, call);
      return undefined;
    }
    const { identity, server } = verdict;
    const count = plan.statements;
    const question = `Apply ${count} statement${count === 1 ? '' : 's'} to database "${identity.database}" on ${connection.endpoint}?`;
    const detail = [
      `Connection: ${connection.name}`,
      `Server: ${connection.endpoint} (PostgreSQL ${server.version}, system identifier ${identity.systemIdentifier})`,
      `Database: ${identity.database}`,
      `User: ${server.user}`,
      `Files: ${plan.files.map((f) => path.basename(f)).join(', ')}`,
      'The changes will be committed.',
    ].join('\n');
    if (!(await ctx.prompts.confirm(question, detail, 'Apply'))) {
      ctx.log.info(`apply of ${plan.files.length} file(s) not confirmed`);
      return undefined;
    }
    const marked = ctx.devMarks.get(connection.name);
    if (!marked) ctx.log.warn(`Apply refused: connection "${connection.name}" lost its development-database mark while the confirmation was open.`);
    return marked?.server;
  }

  /** drydock.referenceConnection, resolved (read-only from its first statement), when one is configured. */
  private async reference(): Promise<RunParams['reference']> {
    const name = this.ctx.config.referenceConnection;
    if (!name) return undefined;
    const reference = await this.ctx.connections.resolve(name);
    if (!reference) {
      this.ctx.log.warn(`drydock.referenceConnection names "${name}", which is not a configured connection; no production estimates`);
      return undefined;
    }
    return toWire({ ...reference, settings: { ...reference.settings, readOnly: true } });
  }

  /** Sends the run to the server under a cancellable progress notification and records what it returns. */
  private async execute({ mode, params, name, call, token }: PreparedRun): Promise<RunReport | undefined> {
    const { ctx } = this;
    const names = params.targets.map((t) => path.basename(vscode.Uri.parse(t).fsPath)).join(', ');
    const where = name === SHADOW_CONNECTION_NAME ? 'the shadow' : name;
    ctx.log.info(`${mode} ${names} on ${where}`);
    let result: RunResult;
    try {
      result = await vscode.window.withProgress({
        location: call.quiet ? vscode.ProgressLocation.Window : vscode.ProgressLocation.Notification,
        title: `Drydock: ${RUN_MODES[mode].title} ${names}${name === SHADOW_CONNECTION_NAME ? ' on the shadow' : ''}`,
        cancellable: true,
      }, (progress, progressToken) => {
        // Lives as long as this run: the notification's Cancel is Drydock: Cancel Run.
        const cancellation = progressToken.onCancellationRequested(() => ctx.runs.cancel());
        return ctx.server.execute<RunResult>(MODE_COMMANDS[mode], params, { token, onProgress: (message) => progress.report({ message }) })
          .finally(() => cancellation.dispose());
      });
    } catch (err) {
      return this.runFailed(err, name, call, mode);
    }
    if (result.status === 'refused') return this.refused(result.reason, call);
    return this.record(result, call);
  }

  /** Shows and logs a finished run (a command's answer, or a run the server reports on its own). */
  record(result: Extract<RunResult, { status: 'ran' }>, call: RunCall): RunReport {
    const { ctx } = this;
    // Masked as data before the view or a message shows (or shortens) any of it.
    const report = ctx.log.maskDeep(result.report);
    const request: RunRequest = {
      mode: result.request.mode, targets: result.request.targets.map((t) => vscode.Uri.parse(t)), upTo: result.request.upTo,
      connectionName: result.request.connectionName,
    };
    ctx.results.add(request, report, ctx.log.mask(result.connectionLabel), result.runId);
    this.statusBar.reportRun(result.request.connectionName, report);
    this.logReport(report);
    if (!call.quiet) this.announce(report);
    return report;
  }

  /** The server refused the run before sending anything (no files, a broken drydock.json, a lost mark). */
  private refused(reason: string, call: RunCall): undefined {
    const masked = this.ctx.log.mask(reason);
    this.ctx.log.error(`run refused: ${masked}`);
    if (!call.quiet) void vscode.window.showErrorMessage(`Drydock: ${masked}`);
    return undefined;
  }

  /** A run that produced no report: the server stopped, could not be asked, or failed to start it. */
  private runFailed(err: unknown, name: string, call: RunCall, mode?: RunMode): undefined {
    const stopped = err instanceof ServerStoppedError;
    let reason = this.ctx.log.mask(err instanceof Error ? err.message : String(err));
    if (stopped && mode === 'apply') reason += '; PostgreSQL rolls back a transaction whose connection ends before it commits: check the database';
    this.ctx.log.error(`run on "${name}" failed: ${reason}`);
    this.statusBar.failed(name, reason);
    if (!call.quiet || stopped) void vscode.window.showErrorMessage(`Drydock could not run on "${name}": ${reason}`);
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
    // Each finding at its own level: an info finding logged as [warning] read as a problem it is not.
    for (const d of report.diagnostics) log[LOG_LEVEL[d.severity]](`${path.basename(d.file)}:${d.range.start.line}:${d.range.start.column} ${d.ruleId}: ${d.message}`);
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

/** Registers Dry-Run, Apply, Verify, Dry-Run Folder up to this File and Cancel Run; shows the runs the server reports on its own. */
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
  // A command's run is recorded from its answer; the server's own dry-run on save arrives only here.
  ctx.subscribe(ctx.server.onRunFinished((finished) => {
    if (finished.trigger === 'save') runner.record({ status: 'ran', ...finished }, { quiet: true });
  }));
}
