// The calling thread's event loop while the PGlite shadow works: in this thread (PgliteShadow) and
// in a worker (WorkerShadow), for a cold run (empty snapshot cache, WebAssembly compiled first) and
// warm runs (instance kept alive), with perf_hooks.monitorEventLoopDelay. Then what a new worker
// costs (a cancel or a timeout ends the worker: the next run pays it), and the process's RSS before,
// during and after the worker. Figures and ratios are printed, nothing is asserted.
//
//   node --expose-gc out/bench/shadowWorker.bench.js [TARGET.sql] [--setup SQL]
//
// Without a target: the last migration of the Lemmy migrations folder BENCH_LEMMY names (342 diesel
// migrations; its setup takes the advisory lock diesel holds) when set, else a generated history.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import type { RunReport } from '../src/core/model/report';
import { PgliteShadow } from '../src/core/shadow/pgliteShadow';
import type { ShadowHost } from '../src/core/shadow/shadowHost';
import { runShadowDryRun, type ShadowTarget } from '../src/core/shadow/shadowRun';
import { shadowWorkerScript, WorkerShadow } from '../src/core/shadow/worker/workerShadow';
import { generatedMigration } from './generated';
import { median } from './stats';

const LEMMY = process.env.BENCH_LEMMY ?? '';
const WARM_RUNS = 3;
const RESOLUTION_MS = 10;

/** The target and setup: given, Lemmy's last migration, or a generated 80-migration history. */
function benchTarget(): { target: ShadowTarget; setup: string[]; what: string; cleanup: () => void } {
  const args = process.argv.slice(2);
  const setupAt = args.indexOf('--setup');
  const given = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--setup');
  const read = (file: string): ShadowTarget => ({ path: file, absolutePath: path.resolve(file), text: fs.readFileSync(file, 'utf8') });
  if (given) return { target: read(given), setup: setupAt >= 0 ? [args[setupAt + 1]!] : [], what: given, cleanup: () => undefined };
  if (LEMMY !== '' && fs.existsSync(LEMMY)) {
    const last = fs.readdirSync(LEMMY).filter((d) => fs.existsSync(path.join(LEMMY, d, 'up.sql'))).sort().at(-1)!;
    return { target: read(path.join(LEMMY, last, 'up.sql')), setup: ['SELECT pg_advisory_lock(0)'], what: `Lemmy ${last} (after 341 migrations)`, cleanup: () => undefined };
  }
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'drydock-bench-history-'));
  fs.mkdirSync(path.join(root, 'migrations'));
  for (let i = 0; i < 80; i++) {
    const table = `CREATE TABLE t${i} (id serial PRIMARY KEY, a int, b int, c int, status text, note text);\nCREATE INDEX t${i}_a ON t${i} (a);\n`;
    fs.writeFileSync(path.join(root, 'migrations', `${String(i).padStart(3, '0')}_t${i}.sql`), table);
  }
  const file = path.join(root, 'migrations', '999_target.sql');
  fs.writeFileSync(file, generatedMigration(80));
  return { target: read(file), setup: [], what: 'a generated history (80 migrations, an 80-statement target)', cleanup: () => fs.rmSync(root, { recursive: true, force: true }) };
}

interface Measured {
  ms: number;
  maxDelayMs: number;
  report: RunReport;
}

/** One dry-run, with the calling thread's event-loop delay recorded while it runs. */
async function measured(host: ShadowHost, target: ShadowTarget, setup: string[]): Promise<Measured> {
  const delay = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  delay.enable();
  const t0 = performance.now();
  const report = await runShadowDryRun([target], { host, setup, settings: { statementTimeoutMs: '10min' } });
  const ms = performance.now() - t0;
  // An in-thread run may never hand the loop back until it ends (its awaits settle as microtasks):
  // the histogram's timer records that stretch only when the loop turns again.
  await turnsOfTheLoop();
  delay.disable();
  return { ms, maxDelayMs: delay.max / 1e6, report };
}

/** Lets the event loop run its timers a few times. */
async function turnsOfTheLoop(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise((resolve) => setTimeout(resolve, RESOLUTION_MS));
}

/** The delay this machine adds by itself: the loop idle for a second (a shared, loaded machine wakes a sleeping thread late). */
async function idleDelayMs(): Promise<number> {
  const delay = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  delay.enable();
  await new Promise((resolve) => setTimeout(resolve, 1000));
  delay.disable();
  return delay.max / 1e6;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const millis = (ms: number) => `${ms.toFixed(0)} ms`;
const mib = (bytes: number) => `${(bytes / (1 << 20)).toFixed(0)} MiB`;

function line(label: string, m: Measured): void {
  const shadow = m.report.shadow;
  console.log(`  ${label.padEnd(34)} ${seconds(m.ms).padStart(9)}   max event-loop delay ${millis(m.maxDelayMs).padStart(8)}   ${m.report.outcome}, ${shadow?.restored ?? 0} restored, ${shadow?.replayed ?? 0} replayed`);
}

function rss(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().rss;
}

/** A cold run and WARM_RUNS warm ones on a new host whose cache starts empty. */
async function coldAndWarm(make: (cacheDir: string) => ShadowHost & { close(): Promise<void> }, target: ShadowTarget, setup: string[]) {
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'drydock-bench-cache-'));
  const host = make(cacheDir);
  try {
    const cold = await measured(host, target, setup);
    const warm: Measured[] = [];
    for (let i = 0; i < WARM_RUNS; i++) warm.push(await measured(host, target, setup));
    return { cold, warm, host, cacheDir };
  } catch (err) {
    await host.close();
    throw err;
  }
}

/** A bare worker thread of the shadow's script, from `new Worker` to running its code. */
async function threadStartMs(): Promise<number> {
  const t0 = performance.now();
  const worker = new Worker(shadowWorkerScript(), { workerData: { cacheDir: null } });
  await new Promise((resolve) => worker.once('online', resolve));
  const ms = performance.now() - t0;
  await worker.terminate();
  return ms;
}

async function main(): Promise<void> {
  const { target, setup, what, cleanup } = benchTarget();
  console.log(`shadow worker bench: ${what} (5-minute load average ${os.loadavg()[1]!.toFixed(1)} on ${os.cpus().length} cores)`);
  const rssStart = rss();
  const idle = await idleDelayMs();
  console.log(`  max event-loop delay with the thread idle (the machine's own): ${millis(idle)}`);
  try {
    // In this thread first: its WebAssembly compile is this thread's first.
    const inThread = await coldAndWarm((cacheDir) => new PgliteShadow({ cacheDir }), target, setup);
    line('in-thread cold', inThread.cold);
    inThread.warm.forEach((m, i) => line(`in-thread warm ${i + 1}`, m));
    await inThread.host.close();
    fs.rmSync(inThread.cacheDir, { recursive: true, force: true });
    const rssAfterInThread = rss();

    const rssBeforeWorker = rss();
    const inWorker = await coldAndWarm((cacheDir) => new WorkerShadow({ cacheDir }), target, setup);
    line('worker cold', inWorker.cold);
    inWorker.warm.forEach((m, i) => line(`worker warm ${i + 1}`, m));
    const rssWorkerAlive = rss();
    await inWorker.host.close();
    const rssWorkerClosed = rss();

    // What a cancel or a timeout costs the next run: a new worker restoring the snapshot the first one left.
    const restarted = new WorkerShadow({ cacheDir: inWorker.cacheDir });
    const afterRestart = await measured(restarted, target, setup);
    line('new worker, snapshot cached', afterRestart);
    await restarted.close();
    fs.rmSync(inWorker.cacheDir, { recursive: true, force: true });
    const bareStarts = [await threadStartMs(), await threadStartMs(), await threadStartMs()];

    const warmDelay = (runs: Measured[]) => Math.max(...runs.map((m) => m.maxDelayMs));
    const warmMs = (runs: Measured[]) => median(runs.map((m) => m.ms));
    console.log('');
    console.log(`  max event-loop delay, cold:  in-thread ${millis(inThread.cold.maxDelayMs)}, worker ${millis(inWorker.cold.maxDelayMs)}  (worker / in-thread ${(inWorker.cold.maxDelayMs / inThread.cold.maxDelayMs).toFixed(3)})`);
    console.log(`  max event-loop delay, warm:  in-thread ${millis(warmDelay(inThread.warm))}, worker ${millis(warmDelay(inWorker.warm))}  (worker / in-thread ${(warmDelay(inWorker.warm) / warmDelay(inThread.warm)).toFixed(3)})`);
    console.log(`  wall time, cold:             in-thread ${seconds(inThread.cold.ms)}, worker ${seconds(inWorker.cold.ms)}  (ratio ${(inWorker.cold.ms / inThread.cold.ms).toFixed(2)})`);
    console.log(`  wall time, warm (median):    in-thread ${millis(warmMs(inThread.warm))}, worker ${millis(warmMs(inWorker.warm))}  (ratio ${(warmMs(inWorker.warm) / warmMs(inThread.warm)).toFixed(2)})`);
    console.log(`  worker start: bare thread ${millis(median(bareStarts))} (median of 3); a new worker's first run ${millis(afterRestart.ms)} vs a warm run ${millis(warmMs(inWorker.warm))}: +${millis(afterRestart.ms - warmMs(inWorker.warm))}`);
    console.log(`  process RSS: start ${mib(rssStart)}; after the in-thread shadow closed ${mib(rssAfterInThread)}; worker alive ${mib(rssWorkerAlive)} (+${mib(rssWorkerAlive - rssBeforeWorker)}); worker ended ${mib(rssWorkerClosed)} (${mib(rssWorkerClosed - rssBeforeWorker)} vs before it)`);
    console.log(`  load average at the end: ${os.loadavg()[0]!.toFixed(1)}`);
  } finally {
    cleanup();
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
