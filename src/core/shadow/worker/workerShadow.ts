// The PGlite shadow in a worker thread this host owns, so that nothing of a dry-run (WebAssembly
// compile, boot, replay, statements) runs on the caller's thread, and a run can be stopped at any
// statement. PGlite cannot interrupt a statement from inside (a DO block that loops forever never
// returns to JavaScript), so a cancel, or a statement that outlives statement_timeout, ends the
// worker; the report is rebuilt here from what the worker said it was running, and the next run
// starts a new worker from the last good snapshot (the snapshot cache), so nothing of the ended
// run leaks into it. A worker that crashes becomes a failed run the same way. The snapshots a
// worker takes are written from this thread, whose event loop no statement blocks: one taken just
// before an endless statement still lands.
//
// statement_timeout is the run's own setting (settings.statementTimeoutMs: --statement-timeout, the
// extension's drydock.statementTimeoutMs, 60 s by default), timed here from the moment the worker says
// a statement of the targets, or an earlier migration of the history, starts; a migration's own
// SET statement_timeout does not change it.
//
// The seam is the whole dry-run (runShadowDryRun in the worker, the report back as data), not the
// backend: one message per statement instead of one per query, and the replay, snapshots and warm
// instance stay where PGlite is.
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { CompiledPglite } from '../../db/pglite/pgliteInstance';
import type { RunReport } from '../../model/report';
import { withDefaults } from '../../model/settings';
import type { HistoryTool } from '../historyTools';
import type { PreparedShadow, ShadowHost } from '../shadowHost';
import type { ShadowRunOptions, ShadowTarget } from '../shadowRun';
import { SnapshotCache } from '../snapshotCache';
import { interruptedReport, type Interruption, type RunningAt } from './interruptedReport';
import type { FromWorker, PreparedInfo, RunRequest, ToWorker, WorkerStart } from './protocol';

export interface WorkerShadowOptions {
  /** Where snapshots are kept; null keeps none (then every new worker replays the whole history). */
  cacheDir: string | null;
  /** The worker's script; by default found next to this code (see shadowWorkerScript). */
  workerScript?: string;
}

/** A graceful close lets the worker finish writing its snapshot; one that takes longer than this is ended. */
const CLOSE_GRACE_MS = 30_000;

// The worker's capabilities beyond PGlite's own: its owner cancels and enforces statement_timeout
// by ending it (lock_timeout cannot fire on a single session: there is nothing to wait for).
const PROVIDED_BY_WORKER = new Set(['cancel', 'timeouts']);

/**
 * The worker's entry: dist/shadowWorker.js next to the bundle that holds this code (dist/cli.js,
 * dist/extension.js, dist/server.js), or shadowWorkerMain.js next to this file in the compiled
 * sources (out/), which tests and benchmarks run.
 */
export function shadowWorkerScript(): string {
  const candidates = [path.join(__dirname, 'shadowWorker.js'), path.join(__dirname, 'shadowWorkerMain.js')];
  const found = candidates.find((file) => fs.existsSync(file));
  if (!found) throw new Error(`the shadow worker's script is missing (${candidates.map((c) => path.basename(c)).join(' or ')} next to Drydock's code): reinstall Drydock`);
  return found;
}

/** One run in flight, and what the worker said of it so far. */
interface ActiveRun {
  id: number;
  worker: Worker;
  targets: readonly ShadowTarget[];
  options: ShadowRunOptions;
  startedAt: Date;
  t0: number;
  limitMs: number;
  at: RunningAt;
  tool: HistoryTool | null;
  names: string[];
  prepared: PreparedInfo | null;
  timer: NodeJS.Timeout | null;
  settled: boolean;
  resolve(report: RunReport): void;
  reject(err: Error): void;
  /** Removes the abort listener. */
  detach(): void;
}

/** A caller's callback must not break the message loop (an exception there would be the process's). */
function safely(call: () => void): void {
  try {
    call();
  } catch {
    // The run goes on; the in-thread shadow would not have survived it either, but there is nothing to gain here.
  }
}

/** The shadow in a worker thread. Always close() it: a live worker keeps the process alive. */
export class WorkerShadow implements ShadowHost {
  readonly kind = 'pglite' as const;
  private worker: Worker | null = null;
  /** PGlite's modules as the first worker compiled them: later workers start with them. */
  private compiled: CompiledPglite | null = null;
  /** How many of this host's workers compiled PGlite's modules themselves (the others were handed them). */
  compiledByWorkers = 0;
  private active: ActiveRun | null = null;
  private runs = 0;
  /** Runs wait for the one before (PGlite has one session). */
  private queue: Promise<unknown> = Promise.resolve();
  private readonly cache: SnapshotCache | null;
  /** Snapshots the workers handed over, being written (a new worker restores from them). */
  private writes: Promise<void> = Promise.resolve();
  /** The last error each worker raised before it exited (its crash reason). */
  private readonly lastErrors = new WeakMap<Worker, Error>();

  constructor(private readonly options: WorkerShadowOptions) {
    this.cache = options.cacheDir ? new SnapshotCache(options.cacheDir) : null;
  }

  /** True while a worker (and so, once a run booted it, a PGlite instance) is alive. */
  get running(): boolean {
    return this.worker !== null;
  }

  /** This host runs whole dry-runs in its worker (runDryRun): a plan with callbacks on this thread (an audit) needs the in-thread PgliteShadow. */
  prepare(): Promise<PreparedShadow> {
    return Promise.reject(new Error('the worker shadow runs whole dry-runs (runShadowDryRun); use the in-thread PGlite shadow to prepare one'));
  }

  /** Dry-runs the targets in the worker (see runShadowDryRun); never rejects for a cancel, a timeout or a crash: those are reports. */
  runDryRun(targets: readonly ShadowTarget[], options: ShadowRunOptions): Promise<RunReport> {
    const turn = this.queue.then(() => this.runNow(targets, options));
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private async runNow(targets: readonly ShadowTarget[], options: ShadowRunOptions): Promise<RunReport> {
    if (options.probes) throw new Error('the worker shadow runs the default probes only (probes are code on the calling thread)');
    const t0 = performance.now();
    await this.writes;
    const startedAt = (options.now ?? (() => new Date()))();
    const limitMs = withDefaults(options.settings ?? {}).statementTimeoutMs;
    if (options.signal?.aborted) return this.finishReport(await interruptedReport(targets, { phase: 'preparing' }, { kind: 'cancelled' }, startedAt, { shadow: null, server: null }), t0);
    let worker: Worker;
    try {
      worker = this.worker ?? this.start();
    } catch (err) {
      const reason = `it could not start: ${err instanceof Error ? err.message : String(err)}`;
      return this.finishReport(await interruptedReport(targets, { phase: 'preparing' }, { kind: 'crashed', reason }, startedAt, { shadow: null, server: null }), t0);
    }
    const lintSettings = options.lintSettings;
    const request: Omit<RunRequest, 'id'> = {
      type: 'run', targets: targets.map((t) => ({ ...t })), setup: options.setup ?? [], startedAt: startedAt.toISOString(),
      ...(options.settings ? { settings: options.settings } : {}),
      ...(options.tool ? { tool: options.tool } : {}),
      ...(options.migrationsFolder ? { migrationsFolder: options.migrationsFolder } : {}),
      ...(options.noTransactionDirective ? { noTransactionDirective: options.noTransactionDirective } : {}),
      ...(lintSettings ? { lintSettings: targets.map((t): [string, ReturnType<typeof lintSettings>] => [t.path, lintSettings(t.path)]) } : {}),
    };
    return new Promise<RunReport>((resolve, reject) => {
      const onAbort = () => void this.interrupt(run, { kind: 'cancelled' });
      const run: ActiveRun = {
        id: ++this.runs, worker, targets, options, startedAt, t0, limitMs, at: { phase: 'preparing' }, tool: null, names: [], prepared: null, timer: null, settled: false,
        resolve, reject, detach: () => options.signal?.removeEventListener('abort', onAbort),
      };
      this.active = run;
      options.signal?.addEventListener('abort', onAbort, { once: true });
      try {
        this.send(worker, { ...request, id: run.id });
      } catch (err) {
        // Options that cannot be sent as data: the run never started.
        this.settle(run);
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    });
  }

  private start(): Worker {
    const start: WorkerStart = { cacheDir: this.options.cacheDir, compiled: this.compiled };
    const worker = new Worker(this.options.workerScript ?? shadowWorkerScript(), { workerData: start });
    const threadId = worker.threadId;
    worker.on('message', (message: FromWorker) => this.onMessage(worker, message));
    worker.on('error', (err) => this.lastErrors.set(worker, err));
    worker.on('exit', (code) => this.onExit(worker, threadId, code));
    this.worker = worker;
    return worker;
  }

  private send(worker: Worker, message: ToWorker): void {
    worker.postMessage(message);
  }

  private onMessage(worker: Worker, message: FromWorker): void {
    if (message.type === 'snapshot') return this.keep(message.key, message.tarball);
    if (message.type === 'compiled') {
      this.compiledByWorkers += 1;
      this.compiled = { dir: message.dir, pglite: message.pglite, initdb: message.initdb };
      return;
    }
    const run = this.active;
    if (message.type === 'closed' || !run || run.worker !== worker || run.id !== message.id || run.settled) return;
    const { options } = run;
    switch (message.type) {
      case 'history': {
        run.tool = message.tool;
        const display = options.displayPath ?? ((file: string) => file);
        run.names = message.files.map((file) => { try { return display(file); } catch { return file; } });
        this.send(worker, { type: 'names', id: run.id, names: run.names });
        return;
      }
      case 'replay':
        run.at = { phase: 'replay', file: run.names[message.index] ?? `#${message.index + 1}` };
        this.arm(run);
        safely(() => options.onReplay?.(message.index, message.total));
        return;
      case 'prepared':
        run.prepared = message;
        run.at = { phase: 'prepared' };
        this.disarm(run);
        return;
      case 'progress':
        run.at = { phase: 'statement', file: message.progress.file, statementIndex: message.progress.statementIndex, sinceMs: performance.now() };
        this.arm(run);
        safely(() => options.onProgress?.(message.progress));
        return;
      case 'skipped':
        safely(() => options.onSkipped?.(message.file, message.kind));
        return;
      case 'report':
        this.settle(run);
        run.resolve(this.finishReport(message.report, run.t0));
        return;
      case 'error':
        this.settle(run);
        run.reject(Object.assign(new Error(message.error.message), { name: message.error.name }, message.error.code ? { code: message.error.code } : {}));
        return;
    }
  }

  /** Writes a worker's snapshot from this thread; a failed write only costs a later run a replay. */
  private keep(key: string, tarball: Uint8Array): void {
    const cache = this.cache;
    if (!cache) return;
    this.writes = this.writes.then(() => cache.write(key, tarball)).catch(() => undefined);
  }

  /** The statement (or earlier migration) that just started may run for statement_timeout. */
  private arm(run: ActiveRun): void {
    this.disarm(run);
    run.timer = setTimeout(() => void this.interrupt(run, { kind: 'timed-out', limitMs: run.limitMs }), run.limitMs);
  }

  private disarm(run: ActiveRun): void {
    if (run.timer) clearTimeout(run.timer);
    run.timer = null;
  }

  private settle(run: ActiveRun): void {
    run.settled = true;
    this.disarm(run);
    run.detach();
    if (this.active === run) this.active = null;
  }

  /** Ends the run's worker and reports the run as `why` says, at the place the worker last named. */
  private async interrupt(run: ActiveRun, why: Interruption): Promise<void> {
    if (run.settled) return;
    this.settle(run);
    if (this.worker === run.worker) this.worker = null;
    await run.worker.terminate().catch(() => undefined);
    await this.reportInterrupted(run, why);
  }

  private async reportInterrupted(run: ActiveRun, why: Interruption): Promise<void> {
    const { prepared, tool } = run;
    const shadow = tool === null ? null : {
      kind: 'pglite' as const, label: prepared?.stats.label ?? 'PGlite', restored: prepared?.stats.restored ?? 0, replayed: prepared?.stats.replayed ?? 0,
      bootMs: prepared?.stats.bootMs ?? 0, replayMs: prepared?.stats.replayMs ?? 0, tool, history: run.names.length, lacks: this.lacking(prepared?.lacks ?? []),
    };
    try {
      run.resolve(this.finishReport(await interruptedReport(run.targets, run.at, why, run.startedAt, { shadow, server: prepared?.server ?? null }), run.t0));
    } catch (err) {
      run.reject(err instanceof Error ? err : new Error(String(err)));
    }
  }

  private onExit(worker: Worker, threadId: number, code: number): void {
    // Whatever snapshot it was writing, no one will finish it.
    try {
      this.cache?.removePartialsOf(threadId);
    } catch {
      // A cache folder that cannot be read is the next write's problem, not this run's.
    }
    if (this.worker === worker) this.worker = null;
    const run = this.active;
    if (!run || run.worker !== worker || run.settled) return;
    this.settle(run);
    const error = this.lastErrors.get(worker);
    const reason = error ? `${error.message} (exit code ${code})` : `it exited with code ${code}`;
    void this.reportInterrupted(run, { kind: 'crashed', reason });
  }

  private lacking(lacks: readonly string[]): string[] {
    return lacks.filter((capability) => !PROVIDED_BY_WORKER.has(capability));
  }

  /** The worker's report as this host delivers it: what this host adds to PGlite, and the time the caller waited. */
  private finishReport(report: RunReport, t0: number): RunReport {
    if (report.shadow) report.shadow.lacks = this.lacking(report.shadow.lacks);
    report.timings.totalMs = performance.now() - t0;
    return report;
  }

  /** Ends the worker: a run in flight is cancelled; otherwise the worker closes PGlite and finishes writing its snapshot first. */
  async close(): Promise<void> {
    const worker = this.worker;
    if (worker && this.active?.worker === worker) await this.interrupt(this.active, { kind: 'cancelled' });
    else if (worker) await this.closeWorker(worker);
    await this.writes;
  }

  /** Lets the worker close PGlite and hand over its last snapshot, then waits for it to end. */
  private closeWorker(worker: Worker): Promise<void> {
    this.worker = null;
    return new Promise<void>((resolve) => {
      const grace = setTimeout(() => void worker.terminate(), CLOSE_GRACE_MS);
      // Node emits every message the worker posted (its snapshots) before 'exit'.
      worker.once('exit', () => {
        clearTimeout(grace);
        resolve();
      });
      this.send(worker, { type: 'close' });
    });
  }
}

/** For tests: the host's live worker, which a test ends as a crash would. */
export const _private = {
  workerOf: (host: WorkerShadow): Worker | null => host['worker'],
};
