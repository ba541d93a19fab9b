// Runs migration files against a real PostgreSQL: dry-run (always rolled back), apply (committed only
// when every statement and the verification succeed), or verify (read-only). Produces a RunReport.
// This file is the transaction flow; the statement loop, the probes and the plan live beside it.
import { performance } from 'node:perf_hooks';
import type { DatabaseBackend } from '../db/backend';
import { describeIdentity, sameServer, serverIdentity, type ServerIdentity } from '../db/identity';
import type { Finding } from '../model/findings';
import type { RunReport } from '../model/report';
import { RUN_MODES, type RunMode, type RunModeSpec } from '../model/runModes';
import type { ToolNoTransaction } from '../model/toolNoTransaction';
import { withDefaults, type DrydockSettingsInput } from '../model/settings';
import type { Steps } from '../model/steps';
import { DEFAULT_LINT_SETTINGS, type LintSettings } from '../model/lintSettings';
import { loadParser, parseMigrationSync, type ParsedFile, type ParsedStatement } from '../parse/parseMigration';
import { relationsNamed } from '../parse/relationsNamed';
import { checkFiles, checkFilesStepwise, RUNNABILITY_RULES, type CheckedFile, type CheckOptions } from '../rules/checkMigration';
import { INTERNAL_ERROR_ID, internalError } from '../rules/internal-error';
import type { Rule } from '../rules/rule';
import { CatalogMeasurement } from '../verify/measurement';
import { verifyDeclaredObjects } from '../verify/verifyDeclaredObjects';
import { maskSecrets } from '../db/connection';
import { classifyError } from './classify';
import { attachEvidence } from './evidence';
import { estimateImpact } from './impact';
import { inBackground, rightAway, type BackgroundWork } from './background';
import { planRun } from './plan';
import { DEFAULT_PROBES } from './probes';
import type { ProbeFactory, StatementProbe } from './probes/probe';
import { RunState } from './runState';
import { runStatements, sqlToRun, statementReport, type RunProgress } from './statementLoop';

export type { RunProgress };

export interface MigrationFile {
  path: string;
  text: string;
  /** The migration tool's configuration runs it outside a transaction (config/toolNoTransaction.ts reads it). */
  toolNoTransaction?: ToolNoTransaction | null;
}

export interface RunOptions {
  mode: RunMode;
  /** Where to run: a backend the shell built (e.g. pgBackend with resolved connection settings). */
  backend: DatabaseBackend;
  settings?: DrydockSettingsInput;
  signal?: AbortSignal;
  onProgress?: (progress: RunProgress) => void;
  /**
   * The server the caller checked (e.g. a development-database mark). The run verifies it on its
   * own connection before anything is sent, so a host name that now points elsewhere is refused.
   */
  expectedServer?: ServerIdentity;
  /** The statement probes (default: notices, leftover indexes, fix queries). */
  probes?: readonly ProbeFactory[];
  /** The clock for `startedAt` (default: now). */
  now?: () => Date;
  /**
   * A read-only reference (a replica, production): after the run, its statistics scale the measured
   * rewrites and scans into what they would cost there (statements[].impact).
   */
  reference?: DatabaseBackend;
  /**
   * The rules' settings for each file (by its `path`), e.g. from the drydock.json above it; the
   * defaults when absent. A dry-run reports the same findings as `drydock check` on the file.
   */
  lintSettings?: (file: string) => LintSettings;
}

function emptyReport(files: MigrationFile[], mode: RunMode, startedAt: Date): RunReport {
  return {
    reportVersion: 1, files: files.map((f) => f.path), mode, startedAt: startedAt.toISOString(), server: null,
    committed: false, transactional: true, outcome: 'succeeded', statements: [], diagnostics: [], verification: [],
    inventory: [], indexUsage: [], leftovers: [], timings: { parseMs: 0, connectMs: 0, executeMs: 0, verifyMs: 0, totalMs: 0 },
  };
}

class Run {
  private readonly state: RunState;
  private readonly measurement = new CatalogMeasurement();
  private activeProbes: StatementProbe[] = [];

  /** `files`: the plan's (runnability rules only); `parsed`: the same files as parsed, for every rule. */
  constructor(private files: CheckedFile[], private readonly parsed: readonly ParsedFile[], private readonly options: RunOptions, private judge: Judge, report: RunReport) {
    this.state = new RunState(report, RUN_MODES[options.mode], withDefaults(options.settings ?? {}), options.backend.secrets);
  }

  private get report(): RunReport {
    return this.state.report;
  }

  async execute(): Promise<void> {
    const { state } = this;
    const signal = this.options.signal;
    const onAbort = () => {
      state.cancelled = true;
      // A backend that cannot cancel (PGlite) stops the run after the statement in flight.
      if (state.running && this.options.backend.capabilities.cancel) state.session?.cancel().catch(() => undefined);
    };
    signal?.addEventListener('abort', onAbort);
    try {
      const connected = await this.connect();
      const judging = this.judgeFully();
      try {
        if (!connected) return;
        if (signal?.aborted) onAbort();
        if (!state.mode.executes) await this.verifyOnly();
        else if (this.report.transactional) await this.runInTransaction();
        else await this.runWithoutTransaction();
      } finally {
        await judging.done().catch((err: unknown) => this.noteOwnFailure('judging the files by the rules', err));
      }
      if (this.options.reference && state.mode.executes) await this.estimateImpact(this.options.reference);
    } catch (err) {
      this.noteOwnFailure('running the files', err);
    } finally {
      signal?.removeEventListener('abort', onAbort);
      await state.session?.close().catch(() => undefined);
    }
  }

  /**
   * Drydock's own failure once the run began: the outcome so far stands and is reported (an apply
   * that committed stays committed, whatever failed after), with what failed.
   */
  private noteOwnFailure(during: string, err: unknown): void {
    if (!this.report.committed && this.report.outcome === 'succeeded') {
      this.state.fail({ ...classifyError(err), message: `Drydock failed while ${during}: ${describeError(err)}` });
    }
    this.report.diagnostics.push(ownFailureFinding(this.report, during, err));
  }

  private async connect(): Promise<boolean> {
    const t0 = performance.now();
    try {
      const session = await this.options.backend.openSession();
      this.state.session = session;
      session.onConnectionLost((err) => { this.state.connectionLost = err; });
      this.report.server = session.serverInfo;
      return await this.checkIdentity();
    } catch (err) {
      this.state.fail(classifyError(err));
      return false;
    } finally {
      this.report.timings.connectMs = performance.now() - t0;
    }
  }

  /**
   * Every rule, once, now that the target version can be known: files whose version nobody gave are
   * judged for the server's major version (or, without a server, for the assumed default). Before
   * connecting only the runnability rules ran, for the plan (same parse, same plan). The judging
   * goes on in short slices while the statements wait for the server (a whole-history run waits
   * for it most of its time); nothing the run sends depends on it.
   */
  private judgeFully(): BackgroundWork {
    const server = this.report.server;
    if (server) this.judge = this.judge.forServer(Math.floor(server.versionNum / 10000));
    const steps = this.judge.checkStepwise(this.parsed);
    // On a backend that runs statements on this thread there is no wait to fill: the event loop only
    // turns again once the last statement is done, and then this process would also be waiting for
    // V8 to finish the compile jobs PGlite's run left behind (measured: ~0.6 s in the shadow CLI).
    const schedule = this.options.backend.inProcess ? rightAway : inBackground;
    return schedule(steps, (files) => {
      this.files = files;
      this.report.diagnostics = files.flatMap((f) => f.diagnostics);
    });
  }

  /** The files as last judged, and by whom (the server's version may have replaced an assumed one). */
  get judged(): { files: CheckedFile[]; judge: Judge } {
    return { files: this.files, judge: this.judge };
  }

  private async checkIdentity(): Promise<boolean> {
    const expected = this.options.expectedServer;
    if (!expected) return true;
    const actual = await serverIdentity(this.state.openSession);
    if (sameServer(actual, expected)) return true;
    this.report.outcome = 'refused';
    // Not a service problem (retrying will not help): a database-category refusal of Drydock's own.
    this.report.error = {
      ...classifyError({ code: 'DRY02', message: `refused: the connection reaches ${describeIdentity(actual)}, not the expected ${describeIdentity(expected)}` }),
      title: 'Not the expected server',
    };
    return false;
  }

  private async timeouts(scope: 'LOCAL' | 'SESSION'): Promise<void> {
    const session = this.state.openSession;
    await session.query(`SET ${scope} lock_timeout = '${Math.round(this.state.settings.lockTimeoutMs)}ms'`);
    await session.query(`SET ${scope} statement_timeout = '${Math.round(this.state.settings.statementTimeoutMs)}ms'`);
  }

  private probes(): StatementProbe[] {
    const run = {
      session: this.state.ownSession, mode: this.state.mode, settings: this.state.settings, report: this.report,
      reopen: (replayUpTo: ParsedStatement | null) => this.reopen(replayUpTo),
      measurement: this.measurement,
      statements: this.files.flatMap((f) => f.statements).filter((s) => sqlToRun(this.state.mode, s) !== null),
    };
    return (this.options.probes ?? DEFAULT_PROBES).map((make) => make(run)).filter((p): p is StatementProbe => p !== null);
  }

  private async runStatements(inTransaction: boolean): Promise<boolean> {
    const onProgress = this.options.onProgress;
    this.activeProbes = this.probes();
    const preparing = this.options.backend.inProcess ? null : inBackground(prepareStatements(this.files.flatMap((f) => f.statements)), () => undefined);
    try {
      return await runStatements(this.state, { files: this.files, probes: this.activeProbes, inTransaction, ...(onProgress ? { onProgress } : {}) });
    } finally {
      preparing?.stop();
    }
  }

  private async estimateImpact(reference: DatabaseBackend): Promise<void> {
    try {
      await estimateImpact(this.report, reference);
    } catch (err) {
      // The reference informs; it cannot fail the migration. Say why there is no estimate.
      const error = classifyError(err);
      this.report.diagnostics.push({
        ruleId: 'reference-unavailable', severity: 'info', message: `No production estimate: the reference connection failed (${error.label}, ${error.sqlstate}): ${maskSecrets(error.message, reference.secrets)}`,
        help: 'Check the reference connection (a read-only role that can read pg_class and the statistics views is enough).',
        file: this.report.files[0] ?? '', range: { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } }, offsets: { start: 0, end: 0 },
      });
    }
  }

  /** Tells the probes the run's transaction ended (locks are released now). */
  private closeProbes(): void {
    const endedAt = performance.now();
    for (const probe of this.activeProbes) probe.close?.(endedAt);
    this.activeProbes = [];
  }

  /** Rolls back the aborted transaction and opens a fresh one, replaying the statements before `replayUpTo`. */
  private async reopen(replayUpTo: ParsedStatement | null): Promise<boolean> {
    if (!this.report.transactional) return true;
    if (this.state.cancelled) return false;
    const session = this.state.openSession;
    try {
      await session.query('ROLLBACK');
      await session.query('BEGIN');
      await this.timeouts('LOCAL');
      if (!replayUpTo) return true;
      const all = this.files.flatMap((f) => f.statements);
      const upTo = all.indexOf(replayUpTo);
      if (upTo < 0) return false;
      const replayed = all.slice(0, upTo);
      const replay = replayed.map((s) => sqlToRun(this.state.mode, s)).filter((sql): sql is string => sql !== null);
      // Prepared statements outlive a rollback: a DEALLOCATE replayed drops Drydock's again.
      this.state.deallocations += replayed.filter((s) => 'DeallocateStmt' in s.node || 'DiscardStmt' in s.node).length;
      // They succeeded the first time, one after the other in this transaction: one pipeline replays them.
      const outcome = await session.pipeline(replay, { stop: () => this.state.cancelled });
      return outcome.error === undefined && outcome.ran.length === replay.length;
    } catch {
      return false; // the replay did not get as far as the first time; the failure stays unexplained
    }
  }

  private async verifyOnly(): Promise<void> {
    const session = this.state.openSession;
    await session.query('BEGIN READ ONLY');
    try {
      await this.timeouts('LOCAL');
      await this.verify();
    } catch (err) {
      this.state.fail(classifyError(err));
    } finally {
      await session.query('ROLLBACK').catch(() => undefined);
    }
  }

  private async runInTransaction(): Promise<void> {
    const { state } = this;
    const session = state.openSession;
    try {
      await session.query('BEGIN');
      await this.timeouts('LOCAL');
      const ok = await this.runStatements(true) && await this.checkDeferredConstraints();
      if (ok) await this.verify();
      // A cancel that lands during verification still stops the commit.
      if (ok && !state.cancelled && this.report.outcome === 'succeeded' && state.mode.commits) await this.commit();
      else if (state.cancelled) this.report.outcome = 'cancelled';
    } catch (err) {
      state.fail(classifyError(err));
    } finally {
      if (!this.report.committed) await session.query('ROLLBACK').catch(() => undefined);
      this.closeProbes();
    }
  }

  /**
   * Deferred constraints (and constraint triggers) are checked at COMMIT, which a dry-run never
   * reaches: check them now, as COMMIT would, so a dry-run fails where the migration would.
   */
  private async checkDeferredConstraints(): Promise<boolean> {
    try {
      await this.state.openSession.query('SET CONSTRAINTS ALL IMMEDIATE');
      return true;
    } catch (err) {
      const error = classifyError(err);
      this.state.fail({ ...error, message: `at COMMIT, a deferred constraint fails: ${error.message}` });
      return false;
    }
  }

  private async commit(): Promise<void> {
    try {
      const result = await this.state.openSession.query('COMMIT');
      // COMMIT of an aborted transaction answers ROLLBACK instead of failing.
      this.report.committed = result.command === 'COMMIT';
      if (!this.report.committed) this.state.fail(classifyError({ code: '40000', message: 'the transaction was rolled back by the server instead of committed' }));
    } catch (err) {
      const error = classifyError(err);
      if (error.category === 'operational' && error.sqlstate.startsWith('08')) {
        this.state.fail({ ...classifyError({ code: '08007', message: `the connection failed during COMMIT; whether it committed is unknown: ${error.message}` }) });
      } else {
        this.state.fail(error);
      }
    }
  }

  private async runWithoutTransaction(): Promise<void> {
    try {
      await this.timeouts('SESSION');
      const ok = await this.runStatements(false);
      this.report.committed = this.report.statements.some((s) => s.status === 'ok');
      if (ok) await this.verify();
    } catch (err) {
      this.state.fail(classifyError(err));
    } finally {
      this.closeProbes();
    }
  }

  private async verify(): Promise<void> {
    const t0 = performance.now();
    try {
      const result = await verifyDeclaredObjects(this.state.ownSession, this.files, this.measurement);
      this.report.verification = result.checks;
      this.report.inventory = result.inventory;
      this.report.indexUsage = result.indexUsage;
      const first = result.failures[0];
      if (first) {
        this.state.fail({ ...classifyError({ code: 'DRY01', message: `verification failed: ${first.kind} ${first.name} is ${first.status}: ${first.detail}` }), sqlstate: 'DRY01', title: 'Verification failed', file: first.file });
      }
    } catch (err) {
      this.state.fail(classifyError(err));
    } finally {
      this.report.timings.verifyMs = performance.now() - t0;
    }
  }
}

/**
 * The facts the probes read of each statement (its schema effects, the relations it names), worked
 * out ahead while the server runs the statements before it. Both are computed once and kept, so the
 * probes find them ready instead of computing them between two statements.
 */
function* prepareStatements(statements: readonly ParsedStatement[]): Steps<void> {
  for (const s of statements) {
    yield;
    void s.effects;
    relationsNamed(s.node);
  }
}

/** How the run's files are judged by the rules: for the run's mode, with each file's settings. */
class Judge {
  constructor(private readonly mode: RunModeSpec, private readonly lintSettings: (file: string) => LintSettings) {}

  settingsOf(file: ParsedFile): LintSettings {
    return this.lintSettings(file.file);
  }

  check(files: readonly ParsedFile[], rules?: readonly Rule[]): CheckedFile[] {
    return checkFiles(files, this.options(rules));
  }

  checkStepwise(files: readonly ParsedFile[]): Steps<CheckedFile[]> {
    return checkFilesStepwise(files, this.options());
  }

  private options(rules?: readonly Rule[]): CheckOptions {
    return { mode: this.mode, settings: (f: ParsedFile) => this.settingsOf(f), ...(rules ? { rules } : {}) };
  }

  /** The same judge, with the server's major version where the settings only assumed one. */
  forServer(major: number): Judge {
    return new Judge(this.mode, (file) => {
      const settings = this.lintSettings(file);
      return settings.pgVersionAssumed ? { ...settings, pgVersion: major, pgVersionAssumed: false } : settings;
    });
  }
}

/** Parses and checks the files, then runs them in order in one run (one transaction unless a no-transaction apply). */
export async function runMigrations(files: MigrationFile[], options: RunOptions): Promise<RunReport> {
  const t0 = performance.now();
  const mode = RUN_MODES[options.mode];
  const report = emptyReport(files, options.mode, (options.now ?? (() => new Date()))());
  await loadParser();
  const judge = new Judge(mode, options.lintSettings ?? (() => DEFAULT_LINT_SETTINGS));
  const parsed = files.map((f) => parseMigrationSync(f.path, f.text, f.toolNoTransaction));
  // The plan needs only whether each file may run; the other rules wait for the server's version
  // (judging every file twice cost ~8% of a whole-history dry-run).
  const runnability = judge.check(parsed, RUNNABILITY_RULES);
  report.timings.parseMs = performance.now() - t0;
  const plan = planRun(runnability, mode);
  report.transactional = plan.transactional;
  let judged: { files: CheckedFile[]; judge: Judge };
  if (!plan.runnable) {
    // No server will tell the version: every rule, for the one the settings give or assume.
    const checked = judge.check(parsed);
    report.diagnostics = checked.flatMap((p) => p.diagnostics);
    judged = { files: checked, judge };
    report.outcome = 'refused';
    if (mode.executes) {
      report.statements = checked.flatMap((p) => p.statements.map((s) => statementReport(s, 'skipped', 'not run: the run was refused before anything was sent (see diagnostics)')));
    }
  } else {
    const run = new Run(runnability, parsed, options, judge, report);
    await run.execute();
    judged = run.judged;
  }
  // After the run: the locks' held times are known once its transaction ended.
  try {
    attachEvidence(report, judged.files, (f) => judged.judge.settingsOf(f));
  } catch (err) {
    report.diagnostics.push(ownFailureFinding(report, 'comparing the findings with what the run measured', err));
  }
  report.timings.totalMs = performance.now() - t0;
  return report;
}

function describeError(err: unknown): string {
  return (err instanceof Error ? `${err.name}: ${err.message}` : String(err)).slice(0, 300);
}

/** A finding for Drydock's own failure during a run, at the first file's start. */
function ownFailureFinding(report: RunReport, during: string, err: unknown): Finding {
  return {
    ruleId: INTERNAL_ERROR_ID, severity: 'warning',
    message: `Drydock failed while ${during} (${describeError(err)}); the run's outcome above is what happened on the server.`,
    help: internalError.help, file: report.files[0] ?? '',
    range: { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } }, offsets: { start: 0, end: 0 },
  };
}
