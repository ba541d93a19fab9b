// The extension host's event loop while Drydock works (benchmark, not a test). Loaded by
// scripts/run-extension-bench.mjs as the tests module of a real extension host (code-server), so
// it runs on the very thread Drydock's extension runs on and measures, with
// perf_hooks.monitorEventLoopDelay, how long that thread was kept from turning while:
//   (a) a 1,000-line migration is opened and edited (50 edits),
//   (b) a migration is saved 50 times with dry-run on save (the shadow),
//   (c) the last migration of a long history is dry-run on a cold shadow,
//   (d) a DO block that loops forever is dry-run and then cancelled; then a run must work again.
// Each scenario prints one `eventloop-bench` line as it ends (the driver collects them into a
// table), so a scenario that blocks the thread for good still leaves the earlier figures.
// DRYDOCK_BENCH_PROFILE_DIR=<dir> also writes a CPU profile of the host per scenario.
import fs from 'node:fs';
import { Session } from 'node:inspector';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as vscode from 'vscode';
import type { RunReport } from '../../src/core/model/report';

/** The timer's period: an event-loop turn later than this shows as delay. */
const RESOLUTION_MS = 5;
const EXTENSION_ID = 'drydock.pg-drydock';

interface Measured {
  maxMs: number;
  p99Ms: number;
  durationMs: number;
  outcome: string;
}

/** The workspace layout scripts/run-extension-bench.mjs writes (names relative to the folder). */
interface BenchLayout {
  bigFile: string;
  saveFile: string;
  historyTarget: string;
  historyLabel: string;
  loopFile: string;
  /** A plain text file opened before measuring (VS Code's onLanguage activations). */
  warmUpFile: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor<T>(what: string, check: () => T | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** With DRYDOCK_BENCH_PROFILE_DIR set, a CPU profile of the host's thread per scenario (to find what blocked it). */
async function profiled<T>(name: string, work: () => Promise<T>): Promise<T> {
  const dir = process.env.DRYDOCK_BENCH_PROFILE_DIR;
  if (!dir) return work();
  const session = new Session();
  session.connect();
  const post = (method: string) => new Promise<unknown>((resolve, reject) => session.post(method, (err, result) => (err ? reject(err) : resolve(result))));
  await post('Profiler.enable');
  await post('Profiler.start');
  try {
    return await work();
  } finally {
    const { profile } = await post('Profiler.stop') as { profile: CpuProfile };
    const turns = longestTurns(profile);
    console.log(`eventloop-bench-turns\t${name}\t${turns.longest.toFixed(1)}\t${turns.longestWithDrydock.toFixed(1)}`);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, `${name.slice(0, 4).replace('₀', '0').replace(/[^a-z0-9]/g, '')}.cpuprofile`), JSON.stringify(profile));
    session.disconnect();
  }
}

/** The parts of a V8 CPU profile read here. */
interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

/**
 * The longest stretch of samples without an idle one, and the longest of those in which any of
 * Drydock's code ran (the extension's bundle, the language client in it included). A stretch can
 * span several turns of the loop back to back (the sampler need not see the loop idle between
 * them), so it bounds the longest turn from above; the event-loop delay is the measure of a turn.
 */
function longestTurns(profile: CpuProfile): { longest: number; longestWithDrydock: number } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parentOf = new Map<number, number>();
  for (const n of profile.nodes) for (const child of n.children ?? []) parentOf.set(child, n.id);
  const drydockIds = new Map<number, boolean>();
  const isDrydock = (id: number): boolean => {
    const known = drydockIds.get(id);
    if (known !== undefined) return known;
    const parent = parentOf.get(id);
    const answer = /[\\/]dist[\\/]extension\.js$/.test(byId.get(id)?.callFrame.url ?? '') || (parent !== undefined && isDrydock(parent));
    drydockIds.set(id, answer);
    return answer;
  };
  let longest = 0;
  let longestWithDrydock = 0;
  let turn = 0;
  let withDrydock = false;
  const end = () => {
    longest = Math.max(longest, turn);
    if (withDrydock) longestWithDrydock = Math.max(longestWithDrydock, turn);
    turn = 0;
    withDrydock = false;
  };
  profile.samples.forEach((id, i) => {
    const name = byId.get(id)?.callFrame.functionName;
    if (name === '(idle)' || name === '(program)') return end();
    turn += (profile.timeDeltas[i + 1] ?? 0) / 1000;
    withDrydock ||= isDrydock(id);
  });
  end();
  return { longest, longestWithDrydock };
}

/** Runs `work` with the event-loop delay histogram on; its figures include the timer period (Node's own definition). */
async function measure(name: string, work: () => Promise<string>): Promise<Measured> {
  const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  const started = Date.now();
  work = ((inner) => () => profiled(name, inner))(work);
  histogram.enable();
  let outcome: string;
  try {
    outcome = await work();
  } catch (err) {
    outcome = `error: ${err instanceof Error ? err.message : String(err)}`;
  }
  histogram.disable();
  const result = { maxMs: histogram.max / 1e6, p99Ms: histogram.percentile(99) / 1e6, durationMs: Date.now() - started, outcome };
  console.log(`eventloop-bench\t${name}\t${result.maxMs.toFixed(1)}\t${result.p99Ms.toFixed(1)}\t${(result.durationMs / 1000).toFixed(1)}\t${outcome}`);
  return result;
}

const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);
function printRss(when: string): void {
  console.log(`eventloop-bench-rss\t${when}\t${mib(process.memoryUsage().rss)}`);
}

/** The newest run's id in the Migration Runs view's store (0 when none), read through the extension's API. */
function newestRunId(api: unknown): number {
  const results = (api as { _private: { context: { results: { runs: readonly { id: number; report: RunReport }[] } } } })._private.context.results;
  return results.runs[0]?.id ?? 0;
}
function newestReport(api: unknown): RunReport | undefined {
  return (api as { _private: { context: { results: { runs: readonly { report: RunReport }[] } } } })._private.context.results.runs[0]?.report;
}

function describe(report: RunReport | undefined): string {
  if (!report) return 'no report';
  const error = report.error ? `: ${report.error.message.split('\n')[0]?.slice(0, 100)}` : '';
  return `${report.outcome}${error}`;
}

/**
 * (a) Opens the 1,000-line file, waits for its diagnostics, types 50 edits, lets the checks settle,
 * reverts. `checked: false` (Drydock's checks turned off): the same edits, for what VS Code itself costs.
 */
async function openAndEdit(uri: vscode.Uri, checked = true): Promise<string> {
  const document = await vscode.workspace.openTextDocument(uri);
  const editor = await vscode.window.showTextDocument(document);
  // The client sets a long list a slice per turn: the count is read once it stops growing.
  let seen = 0;
  let stableSince = Date.now();
  const findings = !checked ? (await sleep(1_000), 0) : await waitFor('diagnostics on the 1,000-line file', () => {
    const found = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'drydock').length;
    if (found !== seen) [seen, stableSince] = [found, Date.now()];
    return found > 0 && Date.now() - stableSince >= 300 ? found : undefined;
  }, 120_000);
  for (let i = 0; i < 50; i++) {
    await editor.edit((e) => e.insert(new vscode.Position(500, 0), `-- typed ${i}\n`));
    await sleep(40);
  }
  // The checks after the last edit (a server debounces them) fall inside the measurement.
  await sleep(2_000);
  await vscode.commands.executeCommand('workbench.action.files.revert');
  await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  return `${document.lineCount} lines, ${findings} findings`;
}

/**
 * (b) 50 edits and saves of one migration, each waiting for the dry-run on save it starts.
 * `pauseMs` (dry-run on save turned off): each save waits that long instead, for what VS Code itself costs.
 */
async function saveRepeatedly(api: unknown, uri: vscode.Uri, pauseMs?: number): Promise<string> {
  const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
  const outcomes = new Map<string, number>();
  for (let i = 0; i < 50; i++) {
    const before = newestRunId(api);
    await editor.edit((e) => e.insert(new vscode.Position(0, 0), `-- save ${i}\n`));
    await editor.document.save();
    if (pauseMs !== undefined) {
      await sleep(pauseMs);
      continue;
    }
    await waitFor(`the dry-run on save ${i}`, () => (newestRunId(api) > before ? true : undefined), 120_000);
    const outcome = newestReport(api)?.outcome ?? 'none';
    outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
  }
  if (pauseMs !== undefined) {
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    return `no dry-runs, ${pauseMs} ms between saves`;
  }
  await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  return `${[...outcomes].map(([o, n]) => `${n} ${o}`).join(', ')}`;
}

/** (c) Dry-Run Migration on the last migration of a long history; the shadow has no snapshot yet. */
async function coldHistoryDryRun(uri: vscode.Uri, label: string): Promise<string> {
  const report = await vscode.commands.executeCommand<RunReport | undefined>('drydock.dryRunMigration', uri);
  return `${label}: ${describe(report)}${report?.shadow ? `, ${report.shadow.history} replayed` : ''}`;
}

/** (d) Dry-runs an endless DO loop, cancels it after 3 s, then dry-runs a normal file: it must work. */
async function endlessLoopCancelled(loop: vscode.Uri, next: vscode.Uri): Promise<string> {
  const running = vscode.commands.executeCommand<RunReport | undefined>('drydock.dryRunMigration', loop);
  await sleep(3_000);
  const cancelAsked = Date.now();
  await vscode.commands.executeCommand('drydock.cancelRun');
  const report = await running;
  const cancelMs = Date.now() - cancelAsked;
  const after = await vscode.commands.executeCommand<RunReport | undefined>('drydock.dryRunMigration', next);
  return `loop ${describe(report)} ${cancelMs} ms after cancel; next run ${describe(after)}`;
}

/**
 * Opens a plain text file first and waits until the host's event loop has been quiet for a second:
 * the first document of any language activates VS Code's own `onLanguage` extensions (Emmet takes
 * 100–300 ms of this thread), which would otherwise be counted against Drydock in (a).
 */
async function settleHost(uri: vscode.Uri): Promise<void> {
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
  await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
    histogram.enable();
    await sleep(1_000);
    histogram.disable();
    if (histogram.max / 1e6 < 30) return;
  }
}

/** Called by the extension host (the bench's tests module). */
export async function run(): Promise<void> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  if (!extension) throw new Error(`extension ${EXTENSION_ID} is not loaded`);
  const api = await extension.activate();
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the bench workspace folder is not open');
  const layout = JSON.parse(process.env.DRYDOCK_BENCH_LAYOUT ?? '{}') as BenchLayout;
  const at = (relative: string) => vscode.Uri.file(path.join(folder.uri.fsPath, relative));
  console.log(`eventloop-bench-start\tresolution ${RESOLUTION_MS} ms\tnode ${process.version}\tpid ${process.pid}`);
  printRss('after activation');
  await settleHost(at(layout.warmUpFile));
  // (a) first: nothing has loaded the parser yet, as when a user opens their first migration.
  await measure('(a) open + 50 edits of a 1,000-line migration', () => openAndEdit(at(layout.bigFile)));
  printRss('before the shadow runs');
  await measure(`(c) cold shadow dry-run, last migration of ${layout.historyLabel}`, () => coldHistoryDryRun(at(layout.historyTarget), layout.historyLabel));
  printRss('after the cold shadow dry-run');
  const saves = await measure('(b) 50 saves with dry-run on save (shadow)', () => saveRepeatedly(api, at(layout.saveFile)));
  console.log('eventloop-bench-note\t(d) starting: a host that never turns again prints nothing more');
  await measure('(d) endless DO loop dry-run, cancelled after 3 s', () => endlessLoopCancelled(at(layout.loopFile), at(layout.saveFile)));
  printRss('after the shadow runs');
  // Baselines: the same editing with Drydock's work turned off, so what is left is VS Code's own.
  const settings = vscode.workspace.getConfiguration('drydock');
  await settings.update('diagnostics.enabled', false, vscode.ConfigurationTarget.Workspace);
  await settings.update('dryRunOnSave', false, vscode.ConfigurationTarget.Workspace);
  await settleHost(at(layout.warmUpFile));
  await measure('(a₀) the same as (a), Drydock\'s checks off', () => openAndEdit(at(layout.bigFile), false));
  await measure('(b₀) the same as (b), dry-run on save off', () => saveRepeatedly(api, at(layout.saveFile), Math.round(saves.durationMs / 50)));
  console.log('eventloop-bench-done');
}
