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
import type { RunNotices } from './runNotices';
import { shadowServer, toWire } from './wireConnections';

/** Options a caller (dry-run on save, re-run) can pass; commands from menus pass none. */
export interface RunCall {
  /** Do not show notifications for the outcome (dry-run on save). */
  quiet?: boolean;
  /** A dry-run on save: its failure shows in the status bar and notifies once per file and failure. */
  onSave?: boolean;
  /** Said before the outcome in the run's notification (what was run instead of what was asked). */
  preface?: string;
}

/** What to run: the request (files, mode, connection name) as the user asked for it. */
export type RunAsk = Omit<RunRequest, 'connectionName'> & { connectionName?: string };

/** The actions of the "no connection" notification. */
const CONNECTION_ACTIONS = { add: 'Add Connection', select: 'Select Connection' } as const;

/** The apply confirmation's first button, the dialog's default (Enter): the safe choice. */
export const DRY_RUN_FIRST = 'Dry-Run First';

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
  /** A run to start once the current one ends (set while a run holds the claim). */
  private next: RunAsk | undefined;

  constructor(private readonly ctx: DrydockContext, private readonly statusBar: StatusBar, private readonly notices: RunNotices) {}

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
    let report: RunReport | undefined;
    try {
      report = await this.claimedRun(ask, call, token);
    } finally {
      ctx.runs.finish();
    }
    // A run the answer to this one asked for (the apply confirmation's Dry-Run First), once this one let go of the claim.
    const next = this.next;
    this.next = undefined;
    return next ? this.run(next, call) : report;
  }

  /** The rest of run() once the run is claimed: connection, apply approval, execution. */
  private async claimedRun(ask: RunAsk, call: RunCall, token: vscode.CancellationToken): Promise<RunReport | undefined> {
    const { ctx } = this;
    const runId = `vscode-${process.pid}-${++this.runIds}`;
    const base = { targets: ask.targets.map((u) => u.toString()), upTo: ask.upTo, runId };
    const connection = ask.connectionName === SHADOW_CONNECTION_NAME ? undefined : await ctx.connections.resolve(ask.connectionName);
    const onShadow = !connection && (ask.connectionName === SHADOW_CONNECTION_NAME || ctx.connections.activeName() === undefined);
    // No connection chosen: a dry-run goes to the shadow instead of failing to connect. So does a
    // verify, as a dry-run: it runs the file on the shadow and then checks what the file declares,
    // which is what verify checks on a database the file was applied to.
    if (onShadow && ask.mode !== 'apply') {
      if (ask.mode === 'verify') ctx.log.info('verify with no connection: dry-running on the shadow, which verifies what the files declare after running them');
      const shadow = shadowServer(ctx);
      const params: RunParams = { ...base, ...(shadow ? { shadowConnection: shadow } : {}) };
      const preface = ask.mode === 'verify' ? 'Verify with no connection ran as a dry-run on the shadow, which checks what the file declares.' : undefined;
      return this.execute({ mode: 'dry-run', params, name: SHADOW_CONNECTION_NAME, call: preface ? { ...call, preface } : call, token });
    }
    if (!connection) {
      const message = ask.mode === 'apply'
        ? 'Apply commits to a database, so it needs a connection marked as a development database (the shadow only dry-runs).'
        : `No Drydock connection named "${ask.connectionName ?? ctx.connections.activeName()}".`;
      // Not awaited: the notification may stay open, and the run claim must not wait for it.
      void ctx.prompts.notify('warning', message, [CONNECTION_ACTIONS.add, CONNECTION_ACTIONS.select]).then((choice) => {
        if (choice) void vscode.commands.executeCommand(choice === CONNECTION_ACTIONS.add ? COMMANDS.addConnection : COMMANDS.selectConnection);
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
    const earlier = await this.earlierFiles(params, plan.files);
    const { identity, server } = verdict;
    const count = plan.statements;
    const question = `Apply ${count} statement${count === 1 ? '' : 's'} to database "${identity.database}" on ${connection.endpoint}?`;
    const detail = [
      `Connection: ${connection.name}`,
      `Server: ${connection.endpoint} (PostgreSQL ${server.version}, system identifier ${identity.systemIdentifier})`,
      `Database: ${identity.database}`,
      `User: ${server.user}`,
      `Files: ${plan.files.map((f) => path.basename(f)).join(', ')}`,
      ...(earlier.length > 0 ? [
        `Not in this apply: ${earlier.length} earlier migration${earlier.length === 1 ? '' : 's'} of the folder (${earlier.map((f) => path.basename(f)).join(', ')}). `
        + `Drydock does not know whether "${identity.database}" has ${earlier.length === 1 ? 'it' : 'them'}: apply ${earlier.length === 1 ? 'it' : 'them'} first if not. ${DRY_RUN_FIRST} shows whether this file runs on the database as it is.`,
      ] : []),
      'The changes will be committed.',
    ].join('\n');
    const answer = await ctx.prompts.confirm(question, detail, 'Apply', DRY_RUN_FIRST);
    if (answer !== true) {
      ctx.log.info(`apply of ${plan.files.length} file(s) not confirmed`);
      if (answer === DRY_RUN_FIRST) this.next = { mode: 'dry-run', targets: params.targets.map((t) => vscode.Uri.parse(t)), upTo: params.upTo === true, connectionName: connection.name };
      return undefined;
    }
    const marked = ctx.devMarks.get(connection.name);
    if (!marked) ctx.log.warn(`Apply refused: connection "${connection.name}" lost its development-database mark while the confirmation was open.`);
    return marked?.server;
  }

  /** The folder's migrations before the files of a run, which the run itself does not send (empty when the plan cannot tell). */
  private async earlierFiles(params: RunParams, files: readonly string[]): Promise<string[]> {
    if (params.upTo) return [];
    try {
      const all = await this.ctx.server.execute<PlanRunResult>(SERVER_COMMANDS.planRun, { targets: params.targets, upTo: true });
      return all.status === 'planned' ? all.files.filter((f) => !files.includes(f)) : [];
    } catch {
      return [];
    }
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
    const entry = ctx.results.add(request, report, ctx.log.mask(result.connectionLabel), result.runId);
    this.statusBar.reportRun(result.request.connectionName, report);
    this.logReport(report);
    if (call.onSave) this.notices.saveRunFinished(entry);
    else if (!call.quiet) this.notices.announce(entry, call.preface);
    return report;
  }

  /** The server refused the run before sending anything (no files, a broken drydock.json, a lost mark). */
  private refused(reason: string, call: RunCall): undefined {
    const masked = this.ctx.log.mask(reason);
    this.ctx.log.error(`run refused: ${masked}`);
    if (!call.quiet) this.notices.failed(`Drydock: ${masked}`);
    return undefined;
  }

  /** A run that produced no report: the server stopped, could not be asked, or failed to start it. */
  private runFailed(err: unknown, name: string, call: RunCall, mode?: RunMode): undefined {
    const stopped = err instanceof ServerStoppedError;
    let reason = this.ctx.log.mask(err instanceof Error ? err.message : String(err));
    if (stopped && mode === 'apply') reason += '; PostgreSQL rolls back a transaction whose connection ends before it commits: check the database';
    this.ctx.log.error(`run on "${name}" failed: ${reason}`);
    this.statusBar.failed(name, reason);
    if (!call.quiet || stopped) this.notices.failed(`Drydock could not run on "${name}": ${reason}`);
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
    if (finished.trigger === 'save') runner.record({ status: 'ran', ...finished }, { quiet: true, onSave: true });
  }));
}
