// A dry-run on a shadow: the migrations before the targets applied as their tool applies them
// (each committed), then the targets dry-run through the normal runner in a transaction that is
// rolled back. An earlier migration's failure is reported as that migration's, not the targets'.
import type { MigrationFile, RunOptions, RunProgress } from '../run/runner';
import { runMigrations } from '../run/runner';
import type { RunReport } from '../model/report';
import { classifyError } from '../run/classify';
import { loadParser } from '../parse/parseMigration';
import { findHistory, type History } from './history';
import type { HistoryTool } from './historyTools';
import { refusalError, type DisplayPath } from './replay';
import { REPLAY_STYLES } from './replayStyles';
import { earlierFailureReport, unpreparedReport } from './shadowReport';
import type { DatabaseBackend } from '../db/backend';
import type { PreparedShadow, ReplayPlan, ShadowHost, ShadowRelease } from './shadowHost';

/** A target file: what the report names it, and where it is on disk (history is read next to it). */
export interface ShadowTarget extends MigrationFile {
  absolutePath: string;
}

export interface ShadowRunOptions extends Pick<RunOptions, 'settings' | 'signal' | 'onProgress' | 'now' | 'probes' | 'lintSettings'> {
  host: ShadowHost;
  /** The tool, when the shell knows better than detection ("auto" detects). */
  tool?: HistoryTool | 'auto';
  /** How history files are named in messages (default: their absolute path). */
  displayPath?: DisplayPath;
  /** SQL run on the replay's session first (see ReplayPlan.setup). */
  setup?: readonly string[];
  /** Called while earlier migrations are replayed. */
  onReplay?: (done: number, total: number) => void;
  /** Called for each file of the history folder named like a migration that is not a regular file (left out: a FIFO would block the read). */
  onSkipped?: (file: string, kind: string) => void;
}

const CREATE_EXTENSION = /\bcreate\s+extension\s+(?:if\s+not\s+exists\s+)?(?:"([^"]+)"|([\w-]+))/gi;

/** Extension names the texts create (read generously: loading one too many costs little). */
export function extensionsCreatedIn(texts: readonly string[]): Set<string> {
  const names = new Set<string>();
  for (const text of texts) for (const m of text.matchAll(CREATE_EXTENSION)) names.add((m[1] ?? m[2] ?? '').toLowerCase());
  return names;
}

/** The history before the targets and the plan that replays it. */
function replayPlanFor(targets: readonly ShadowTarget[], options: Omit<ShadowRunOptions, 'host'>): { history: History; plan: ReplayPlan } {
  const history: History = findHistory(targets.map((t) => t.absolutePath), options.tool);
  for (const skipped of history.skipped) options.onSkipped?.(skipped.file, skipped.kind);
  const plan: ReplayPlan = {
    tool: history.tool,
    style: REPLAY_STYLES[history.tool],
    migrations: history.migrations,
    targets: targets.map((t) => ({ path: t.path, text: t.text })),
    extensions: extensionsCreatedIn([...history.migrations.map((m) => m.text), ...targets.map((t) => t.text)]),
    displayPath: options.displayPath ?? ((p: string) => p),
    setup: options.setup ?? [],
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onReplay ? { onReplay: options.onReplay } : {}),
  };
  return { history, plan };
}

/**
 * Brings the shadow to the state the targets' dry-run starts from (the history before them
 * replayed, the targets not run) and lends its backend to `use`, then releases it: a read-only
 * query on the shadow (a run's fix query). Throws when the history cannot be replayed.
 */
export async function onPreparedShadow<T>(targets: readonly ShadowTarget[], options: ShadowRunOptions, use: (backend: DatabaseBackend) => Promise<T>): Promise<T> {
  await loadParser();
  const { plan } = replayPlanFor(targets, options);
  const prepared = await options.host.prepare(plan);
  try {
    if (prepared.failure) throw new Error(`the shadow's history could not be replayed: ${prepared.failure.error.message}`);
    if (prepared.cancelled) throw new Error('cancelled');
    return await use(prepared.backend);
  } finally {
    await prepared.release();
  }
}

/** Dry-runs the targets on the shadow after replaying the history before them. */
export async function runShadowDryRun(targets: readonly ShadowTarget[], options: ShadowRunOptions): Promise<RunReport> {
  if (options.host.runDryRun) return options.host.runDryRun(targets, options);
  const t0 = performance.now();
  await loadParser();
  const { history, plan } = replayPlanFor(targets, options);
  let prepared: PreparedShadow;
  try {
    prepared = await options.host.prepare(plan);
  } catch (err) {
    // The shadow itself could not be made (no server, a wrong password, no CREATEDB): a report, not a crash.
    const report = await unpreparedReport(targets, err, options.now);
    report.timings.totalMs = performance.now() - t0;
    return report;
  }
  let report: RunReport;
  try {
    report = await runOnPrepared(targets, prepared, history, options);
  } catch (err) {
    await prepared.release().catch(() => undefined);
    throw err;
  }
  try {
    noteRelease(report, await prepared.release());
  } catch (err) {
    // The run is reported either way; a scratch database left behind is said, and a later run drops it.
    const error = classifyError(err);
    error.message = `the shadow could not be cleaned up (a later run drops what is left): ${error.message}`;
    if (!report.error) {
      report.error = error;
      if (report.outcome === 'succeeded') report.outcome = 'failed';
    }
  }
  report.timings.totalMs = performance.now() - t0;
  return report;
}

/**
 * Says what the release undid: replication slots the run created, which no rollback undoes. A
 * dry-run that created one reached beyond the shadow (SQL built at run time: a slot written as
 * such is refused before anything is sent), so it is refused, the slot dropped.
 */
function noteRelease(report: RunReport, released: ShadowRelease): void {
  if (released.droppedSlots.length === 0 || !report.shadow) return;
  const slots = released.droppedSlots.map((name) => `replication slot ${name}`);
  report.shadow.undone = [...report.shadow.undone ?? [], ...slots];
  if (report.outcome !== 'succeeded') return;
  report.outcome = 'refused';
  report.error = refusalError(`the dry-run created ${slots.join(', ')} on the shadow's server, which its rollback does not undo (SQL built at run time); Drydock dropped ${slots.length > 1 ? 'them' : 'it'}`, undefined);
}

/** The report once the shadow is prepared: the earlier failure (or cancel), else the targets' dry-run. */
async function runOnPrepared(targets: readonly ShadowTarget[], prepared: PreparedShadow, history: History, options: ShadowRunOptions): Promise<RunReport> {
  const lacks = Object.entries(prepared.backend.capabilities).filter(([, has]) => !has).map(([name]) => name);
  const { serverChanged, undone } = prepared.failure ?? {};
  const shadow = { ...prepared.stats, tool: history.tool, history: history.migrations.length, lacks, ...(serverChanged ? { serverChanged } : {}), ...(undone ? { undone } : {}) };
  if (prepared.failure || prepared.cancelled) {
    const report = await earlierFailureReport(targets, prepared.failure, options.now);
    report.shadow = shadow;
    report.server = prepared.server;
    return report;
  }
  const onProgress: ((p: RunProgress) => void) | undefined = options.onProgress;
  const report = await runMigrations([...targets], {
    mode: 'dry-run', backend: prepared.backend,
    ...(options.settings ? { settings: options.settings } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(onProgress ? { onProgress } : {}),
    ...(options.now ? { now: options.now } : {}),
    ...(options.probes ? { probes: options.probes } : {}),
    ...(options.lintSettings ? { lintSettings: options.lintSettings } : {}),
  });
  report.shadow = shadow;
  report.timings.connectMs += prepared.stats.bootMs + prepared.stats.replayMs;
  return report;
}
