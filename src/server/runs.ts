// Runs on the server: dry-run, verify and apply through core's runner on a connection the client
// resolved (its password in the request, in memory), or a dry-run on the shadow. One run at a time;
// each can be cancelled through `$/cancelRequest` on its request or cancelRun (an AbortSignal into
// core's runner, which cancels the statement in flight where the backend can). Progress goes out as
// work done progress naming the statement being run. Every report is masked before it leaves, kept
// for the hovers, lenses and diagnostics, and announced with `drydock/runFinished`.
import path from 'node:path';
import type { CancellationToken, WorkDoneProgressReporter } from 'vscode-languageserver/node';
import { connectionEndpoint, describeConnection } from '../core/db/connection';
import { describeIdentity, sameServer, type ServerIdentity } from '../core/db/identity';
import { loadConnectionEnvironment, resolveConnection } from '../core/db/resolveConnection';
import { DEFAULT_LINT_SETTINGS, type LintSettings } from '../core/model/lintSettings';
import type { RunReport } from '../core/model/report';
import { RUN_MODES, type RunMode } from '../core/model/runModes';
import type { MigrationFile } from '../core/run/runner';
import type { ShadowHost } from '../core/shadow/shadowHost';
import type { ServerContext } from './context';
import type { Diagnostics } from './diagnostics';
import { filePathOf } from './documents';
import { createShadowHost, identify, parseFile, pgBackendFor, readOnlyQueryOnShadow, runFiles, runShadow, type ShadowChoice } from './engine';
import { filesToRun, readMigrationFiles } from './migrationFiles';
import { NOTIFICATIONS, SHADOW_CONNECTION_NAME, type PlanRunParams, type PlanRunResult, type RunFinishedParams, type RunParams, type RunRequestSummary, type RunResult, type WireConnection } from './protocol';
import type { ServerSettings } from './settings';
import { projectShadowOf, type ProjectShadow } from './projectShadow';
import { throttledProgress } from './throttledProgress';

/** A run as a command (or a save) asked for it. */
export interface RunAsk {
  mode: RunMode;
  params: RunParams;
  /** Apply only: the identity the client's development mark is bound to. */
  confirmedDevMark?: ServerIdentity;
  trigger: RunFinishedParams['trigger'];
}

/** The shadow host kept between runs, and what it was made for. */
interface KeptShadow {
  key: string;
  host: ShadowHost;
}

/** Executes runs and keeps the shadow between them. */
export class Runs {
  private readonly inFlight = new Map<string, AbortController>();
  private shadow: KeptShadow | null = null;
  private nextId = 1;

  constructor(private readonly ctx: ServerContext, private readonly diagnostics: Diagnostics) {}

  get busy(): boolean {
    return this.inFlight.size > 0;
  }

  /** Cancels the named run (every run when none is named); how many were cancelled. */
  cancel(runId?: string): number {
    let cancelled = 0;
    for (const [id, controller] of this.inFlight) {
      if (runId !== undefined && id !== runId) continue;
      controller.abort();
      cancelled++;
    }
    return cancelled;
  }

  /** Runs what was asked; a refusal when nothing could be sent. */
  async run(ask: RunAsk, token: CancellationToken | null, reporter: WorkDoneProgressReporter | null): Promise<RunResult> {
    const progress = throttledProgress(reporter);
    if (this.busy) return refused('A Drydock run is already in progress (cancel it first).');
    const runId = ask.params.runId ?? `run-${this.nextId++}`;
    // Claimed before the first await, so another run cannot start meanwhile.
    const controller = new AbortController();
    this.inFlight.set(runId, controller);
    const cancellation = token?.onCancellationRequested(() => controller.abort());
    try {
      return await this.claimed(ask, runId, controller.signal, progress);
    } finally {
      cancellation?.dispose();
      this.inFlight.delete(runId);
      progress?.done();
    }
  }

  /** The files a run of `params` sends, in order, with the statement count (what the apply confirmation names) and the files that do not parse (what a dry-run on save waits for). */
  async plan(params: PlanRunParams): Promise<PlanRunResult> {
    const selected = await this.select({ targets: params.targets, upTo: params.upTo === true });
    if (selected.status === 'refused') return selected;
    // Parsed only: how many statements and whether each file parses need no rule judged.
    const parsed = await Promise.all(selected.files.map((f) => parseFile(f.path, f.text)));
    const statements = parsed.reduce((n, c) => n + c.statements.filter((s) => s.role === 'statement').length, 0);
    const syntaxErrors = parsed.flatMap((c) => (c.syntaxError
      ? [{ file: c.file, line: c.lines.positionAt(c.syntaxError.offsets.start).line, message: c.syntaxError.message }] : []));
    return { status: 'planned', files: selected.files.map((f) => f.path), statements, syntaxErrors };
  }

  /** The files of a run and each one's rules settings from its drydock.json; a refusal when there are none or a drydock.json is broken. */
  private async select(params: Pick<RunParams, 'targets' | 'upTo'>): Promise<
    | { status: 'selected'; files: MigrationFile[]; lintSettings: (file: string) => LintSettings }
    | Extract<RunResult, { status: 'refused' }>
  > {
    const { ctx } = this;
    const targets = params.targets.map(filePathOf);
    if (targets.length === 0 || targets.some((t) => t === null)) return refused('A run needs one or more migration files or folders on disk (file: URIs).');
    let files: MigrationFile[];
    try {
      files = await readMigrationFiles(await filesToRun(targets as string[], params.upTo === true), (file) => ctx.documents.openText(file));
    } catch (err) {
      return refused(ctx.log.mask(`Cannot read the files to run: ${err instanceof Error ? err.message : String(err)}`));
    }
    if (files.length === 0) return refused('No .sql files to run there.');
    const lint = await ctx.checks.checker.lintSettingsFor(files.map((f) => f.path));
    if (!(lint instanceof Map)) {
      this.diagnostics.showConfigProblem(lint);
      const reason = `invalid drydock.json: ${ctx.documents.displayPath(lint.file)}:${lint.line}:${lint.column}: ${lint.message}`;
      ctx.log.error(`run refused: ${reason}`);
      return { status: 'refused', reason, configProblem: lint };
    }
    // drydock.json's noTransactionDirective runs a file outside a transaction, as its tool's configuration would.
    const withDirective = await Promise.all(files.map(async (f) => ({ ...f, toolNoTransaction: f.toolNoTransaction ?? await ctx.checks.checker.projectNoTransactionOf(f.path, f.text) })));
    return { status: 'selected', files: withDirective, lintSettings: (file) => lint.get(file) ?? DEFAULT_LINT_SETTINGS };
  }

  private async claimed(ask: RunAsk, runId: string, signal: AbortSignal, progress: WorkDoneProgressReporter | null): Promise<RunResult> {
    const { ctx } = this;
    const { params, mode } = ask;
    for (const c of [params.connection, params.reference, params.shadowConnection]) if (c) ctx.log.addConnection(c.settings);
    const settings = await ctx.settings.current();
    const selected = await this.select(params);
    if (selected.status === 'refused') return selected;
    const { files, lintSettings } = selected;
    const names = files.map((f) => path.basename(f.path)).join(', ');
    const request: RunRequestSummary = { mode, targets: params.targets, upTo: params.upTo === true, connectionName: params.connection?.name ?? SHADOW_CONNECTION_NAME };
    progress?.begin(`Drydock: ${RUN_MODES[mode].title} ${names}`, 0, undefined, true);
    const onProgress = (p: { done: number; total: number; kind: string; file: string }) => {
      progress?.report(p.total > 0 ? Math.round((p.done / p.total) * 100) : 0, `statement ${p.done + 1} of ${p.total}: ${p.kind} (${path.basename(p.file)})`);
    };
    let report: RunReport;
    let label: string;
    try {
      if (!params.connection) {
        if (mode !== 'dry-run') return refused(`${RUN_MODES[mode].title} needs a connection (only a dry-run can go to the shadow).`);
        const project = await this.projectShadow(settings, files[0]!.path);
        if (typeof project === 'string') return refused(project);
        const host = await this.shadowHost(project, params);
        ctx.log.info(`dry-run ${names} on the shadow (${host.kind === 'pglite' ? 'PGlite' : 'scratch database'})`);
        report = await runShadow(files.map((f) => ({ ...f, absolutePath: f.path })), {
          host, settings: settings.run, lintSettings, signal, setup: project.setup,
          ...(project.tool ? { tool: project.tool } : {}), ...(project.migrationsFolder ? { migrationsFolder: project.migrationsFolder } : {}),
          ...(project.noTransactionDirective ? { noTransactionDirective: project.noTransactionDirective } : {}),
          displayPath: (p) => ctx.documents.displayPath(p),
          onReplay: (done, total) => progress?.report(`replaying earlier migration ${done + 1} of ${total}`),
          onProgress,
        });
        label = report.shadow ? `${report.shadow.label}${report.shadow.kind === 'pglite' ? ' (shadow)' : ''}` : 'shadow';
      } else {
        const connection = params.connection;
        label = ctx.log.mask(describeConnection(connection.settings));
        const backend = await pgBackendFor(connection.settings);
        let expectedServer: ServerIdentity | undefined;
        if (RUN_MODES[mode].needsDevMark) {
          const verdict = await this.checkDevMark(connection, ask.confirmedDevMark);
          if (typeof verdict === 'string') {
            ctx.log.warn(verdict);
            return refused(verdict);
          }
          expectedServer = verdict;
        }
        const reference = params.reference ? await pgBackendFor({ ...params.reference.settings, readOnly: true }) : undefined;
        ctx.log.info(`${mode} ${names} on ${connection.name} (${label})`);
        report = await runFiles(files, {
          mode, backend, settings: settings.run, lintSettings, signal, onProgress,
          ...(expectedServer ? { expectedServer } : {}), ...(reference ? { reference } : {}),
        });
      }
    } catch (err) {
      // Not a migration failure (those are in the report) but Drydock's own or the connection's.
      throw new Error(ctx.log.mask(`${RUN_MODES[mode].title} on "${request.connectionName}" failed: ${err instanceof Error ? err.message : String(err)}`));
    }
    return this.finished(runId, request, ctx.log.maskDeep(report), label, ask.trigger);
  }

  /** Keeps, shows and announces a finished run. */
  private finished(runId: string, request: RunRequestSummary, report: RunReport, connectionLabel: string, trigger: RunFinishedParams['trigger']): RunResult {
    const { ctx } = this;
    ctx.reports.add({ runId, request, report, connectionLabel });
    this.diagnostics.showRun(report);
    if (ctx.checks.recordServer(request.connectionName, report.server)) this.diagnostics.checkAll();
    else this.diagnostics.showRunEvidence();
    ctx.log.info(`${report.mode} ${report.outcome} in ${Math.round(report.timings.totalMs)} ms: ${report.statements.length} statement(s)`);
    if (report.error) ctx.log.error(`${report.error.label} ${report.error.sqlstate} (${report.error.title}): ${report.error.message}`);
    const finished: RunFinishedParams = { runId, request, report, connectionLabel, trigger };
    void ctx.connection.sendNotification(NOTIFICATIONS.runFinished, finished).catch(() => undefined);
    return { status: 'ran', runId, request, report, connectionLabel };
  }

  /**
   * The apply guard: the server the connection reaches now must be the one the client's development
   * mark is bound to. The identity, or why not.
   */
  private async checkDevMark(connection: WireConnection, marked: ServerIdentity | undefined): Promise<ServerIdentity | string> {
    const refusal = `Apply refused: connection "${connection.name}"`;
    if (!marked || typeof marked.systemIdentifier !== 'string') return `${refusal} has no development-database mark the client confirmed.`;
    const { identity } = await identify(await pgBackendFor(connection.settings));
    if (!sameServer(identity, marked)) return `${refusal} now reaches ${describeIdentity(identity)}, not the development database it was marked on (${describeIdentity(marked)}).`;
    return marked;
  }

  /** The shadow for a dry-run: a scratch database on the shadow server when one is given or set, else PGlite (kept between runs). */
  private async shadowHost(project: ProjectShadow, params: RunParams): Promise<ShadowHost> {
    const choice = this.shadowChoice(project, params);
    const key = JSON.stringify(choice);
    if (this.shadow?.key === key) return this.shadow.host;
    await this.closeShadow();
    const host = await createShadowHost(choice);
    this.shadow = { key, host };
    return host;
  }

  /**
   * The shadow as the files' drydock.json describes the runner (the editor's settings winning), its
   * sources logged; a refusal's reason when drydock.json is broken or names an unset variable.
   */
  private async projectShadow(settings: ServerSettings, firstFile: string): Promise<ProjectShadow | string> {
    const config = await this.ctx.checks.checker.configFor(firstFile);
    if (config !== null && !('path' in config)) return `invalid drydock.json: ${this.ctx.documents.displayPath(config.file)}:${config.line}:${config.column}: ${config.message}`;
    let project: ProjectShadow;
    try {
      project = projectShadowOf(settings, config, process.env);
    } catch (err) {
      return err instanceof Error ? err.message : String(err);
    }
    for (const note of project.notes) this.ctx.log.info(note);
    return project;
  }

  private shadowChoice(project: ProjectShadow, params: RunParams): ShadowChoice {
    const given = params.shadowConnection?.settings;
    // The setting holds no password: the server's environment (PG* variables, ~/.pgpass) supplies it, as libpq would.
    const server = given ?? (project.connection ? resolveConnection({ connectionString: project.connection, applicationName: 'drydock shadow (lsp)' }, loadConnectionEnvironment(process.env)) : null);
    if (!server) return { kind: 'pglite', cacheDir: this.ctx.options.shadowCacheDir };
    this.ctx.log.addConnection(server);
    const projectDatabases = [connectionEndpoint(server).database, ...(params.connection ? [connectionEndpoint(params.connection.settings).database] : [])];
    return { kind: 'scratch-database', server, projectDatabases };
  }

  /** A fix query, read-only, on the shadow of a finished shadow run (its history replayed or restored again, the runner's setup first; its files not run). */
  async fixQueryOnShadow(runId: string | undefined, sql: string): Promise<{ fields: string[]; rows: Record<string, unknown>[] }> {
    const entry = runId ? this.ctx.reports.byId(runId) : undefined;
    if (!entry || entry.request.connectionName !== SHADOW_CONNECTION_NAME) throw new Error('A fix query needs a connection, or the id of a run on the shadow.');
    if (this.busy) throw new Error('A Drydock run is in progress; run the fix query once it ends.');
    const settings = await this.ctx.settings.current();
    const files = await readMigrationFiles(entry.report.files, (file) => this.ctx.documents.openText(file));
    const project = files[0] ? await this.projectShadow(settings, files[0].path) : projectShadowOf(settings, null, process.env);
    if (typeof project === 'string') throw new Error(project);
    const host = await this.shadowHost(project, { targets: entry.request.targets });
    const shadow = { host, cacheDir: this.ctx.options.shadowCacheDir, setup: project.setup, ...(project.tool ? { tool: project.tool } : {}), ...(project.migrationsFolder ? { migrationsFolder: project.migrationsFolder } : {}),
      ...(project.noTransactionDirective ? { noTransactionDirective: project.noTransactionDirective } : {}) };
    return readOnlyQueryOnShadow(files.map((f) => ({ ...f, absolutePath: f.path })), shadow, sql);
  }

  /** Ends the shadow (closes PGlite): on shutdown, and when the shadow setting changes. */
  async closeShadow(): Promise<void> {
    const kept = this.shadow;
    this.shadow = null;
    await kept?.host.close();
  }

  /**
   * True when the file's drydock.json sends the shadow to a server (shadowConnection): a save then
   * does not dry-run on its own, as with the editor's own drydock.shadowConnection.
   */
  async shadowLeavesEditor(file: string): Promise<boolean> {
    const config = await this.ctx.checks.checker.configFor(file);
    return config !== null && 'path' in config && config.shadowConnection !== null;
  }

  /** Whether dry-run on save goes ahead for this document: on the shadow, when nothing else is configured. */
  saveRunsAllowed(settings: ServerSettings): boolean {
    const { options } = this.ctx;
    if (!options.dryRunOnSave || !options.trusted || settings.dryRunOnSave === false || this.busy) return false;
    // A connection's password is the client's: the server dry-runs on save only where nothing leaves the editor.
    const environment = Boolean(process.env.DATABASE_URL || process.env.PGHOST || process.env.PGDATABASE);
    return settings.connectionNames.length === 0 && !environment && settings.shadowConnection === '';
  }
}

function refused(reason: string): Extract<RunResult, { status: 'refused' }> {
  return { status: 'refused', reason };
}

