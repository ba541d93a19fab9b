// A dry-run on a shadow: the migrations before the targets applied as their tool applies them
// (each committed), then the targets dry-run through the normal runner in a transaction that is
// rolled back. An earlier migration's failure is reported as that migration's, the history's, not
// the targets'; the targets still dry-run, on the state before it (a refusal stops the run).
import type { MigrationFile, RunOptions, RunProgress } from '../run/runner';
import { runMigrations } from '../run/runner';
import type { HistoryFailure, RunReport } from '../model/report';
import { classifyError } from '../run/classify';
import { loadParser } from '../parse/parseMigration';
import { findHistory, type History } from './history';
import type { HistoryTool } from './historyTools';
import { refusalError, type DisplayPath, type ReplayFailure } from './replay';
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
  /** The migrations folder, when the shell knows it (drydock.json's `migrations`); else the targets' place implies it. */
  migrationsFolder?: string;
  /** drydock.json's noTransactionDirective: an earlier migration holding it is replayed outside a transaction. */
  noTransactionDirective?: string;
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
  const history: History = findHistory(targets.map((t) => t.absolutePath), options.tool, options.migrationsFolder, options.noTransactionDirective);
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
 * replayed, or the part before a failing earlier migration; the targets not run) and lends its backend to `use`, then releases it: a read-only
 * query on the shadow (a run's fix query). Throws when the history cannot be replayed.
 */
export async function onPreparedShadow<T>(targets: readonly ShadowTarget[], options: ShadowRunOptions, use: (backend: DatabaseBackend) => Promise<T>): Promise<T> {
  await loadParser();
  const { plan } = replayPlanFor(targets, options);
  // The run's targets dry-ran on the state before a failing earlier migration: so does the query.
  const { prepared } = await preparedForTargets(plan, options.host);
  try {
    if (prepared.failure && !runsAfter(prepared.failure)) throw new Error(`the shadow's history could not be replayed: ${prepared.failure.error.message}`);
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
  let earlier: ReplayFailure | null;
  try {
    ({ prepared, earlier } = await preparedForTargets(plan, options.host));
  } catch (err) {
    // The shadow itself could not be made (no server, a wrong password, no CREATEDB): a report, not a crash.
    const report = await unpreparedReport(targets, err, options.now);
    report.timings.totalMs = performance.now() - t0;
    return report;
  }
  let report: RunReport;
  try {
    report = await runOnPrepared(targets, prepared, history, earlier, options);
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
 * True when the targets still dry-run after this earlier failure (on the state before it): a
 * migration that failed, not one the shadow refused (that reaches beyond the shadow: nothing
 * further is sent there).
 */
function runsAfter(failure: ReplayFailure): boolean {
  return failure.refused !== true;
}

/** Where the failing migration is in the history (-1: not an earlier migration). */
function failingIndex(failure: ReplayFailure, history: readonly { file: string }[]): number {
  return history.findIndex((m) => m.file === failure.migration.file);
}

/**
 * The shadow at the state the targets run on, and the earlier migration that failed (null when
 * none). A failure that left part of its migration applied (its own COMMIT, or statements that
 * commit by themselves) is released and prepared again with the history cut before it (PGlite
 * restores or replays that prefix; a scratch database replays it).
 */
async function preparedForTargets(plan: ReplayPlan, host: ShadowRunOptions['host']): Promise<{ prepared: PreparedShadow; earlier: ReplayFailure | null }> {
  const prepared = await host.prepare(plan);
  const earlier = prepared.failure;
  if (!earlier || !runsAfter(earlier) || earlier.rolledBack || prepared.cancelled) return { prepared, earlier };
  await prepared.release();
  const index = failingIndex(earlier, plan.migrations);
  return { prepared: await host.prepare({ ...plan, migrations: plan.migrations.slice(0, Math.max(index, 0)) }), earlier };
}

/** The history's failure as the report says it: its error, what was applied before it, and what was not. */
function historyFailureOf(failure: ReplayFailure, history: History, filesRan: boolean, displayPath: DisplayPath): HistoryFailure {
  const index = failingIndex(failure, history.migrations);
  const file = failure.error.file ?? displayPath(failure.migration.file);
  const after = index < 0 ? [] : history.migrations.slice(index + 1).map((m) => displayPath(m.file));
  return { file, error: failure.error, applied: Math.max(index, 0), notApplied: after, filesRan };
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

/**
 * The report once the shadow is prepared: the targets' dry-run, on the state before a failing
 * earlier migration when one failed (that failure the history's, never the targets' error); or,
 * when the shadow refused an earlier migration or the run was cancelled, the targets not run.
 */
async function runOnPrepared(targets: readonly ShadowTarget[], prepared: PreparedShadow, history: History, earlier: ReplayFailure | null, options: ShadowRunOptions): Promise<RunReport> {
  const lacks = Object.entries(prepared.backend.capabilities).filter(([, has]) => !has).map(([name]) => name);
  const { serverChanged, undone } = earlier ?? {};
  const applied = earlier ? Math.max(failingIndex(earlier, history.migrations), 0) : history.migrations.length;
  const shadow = { ...prepared.stats, tool: history.tool, history: applied, lacks, ...(serverChanged ? { serverChanged } : {}), ...(undone ? { undone } : {}) };
  const displayPath = options.displayPath ?? ((p: string) => p);
  if (prepared.cancelled || (earlier && !runsAfter(earlier))) {
    const report = await earlierFailureReport(targets, earlier, options.now);
    report.shadow = shadow;
    report.server = prepared.server;
    // A target the shadow refused before anything was sent is the target's own refusal, not the history's.
    if (earlier && failingIndex(earlier, history.migrations) >= 0) report.historyFailure = historyFailureOf(earlier, history, false, displayPath);
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
  if (earlier) report.historyFailure = historyFailureOf(earlier, history, true, displayPath);
  report.timings.connectMs += prepared.stats.bootMs + prepared.stats.replayMs;
  return report;
}
