// What a shadow runs on: a throwaway database brought to the state "every earlier migration
// applied", with a backend the target files then dry-run through. Three hosts implement it: PGlite
// in-process (pgliteShadow.ts), PGlite in a worker thread (worker/workerShadow.ts), and a scratch
// database on a server (scratchDatabase.ts).
import type { DatabaseBackend, Session } from '../db/backend';
import type { RunReport, ServerInfo, ShadowReport } from '../model/report';
import type { HistoryTool } from './historyTools';
import type { HistoryMigration } from './history';
import { replayMigration, type DisplayPath, type ReplayFailure, type ReplayGuard } from './replay';
import type { ReplayStyle } from './replayStyles';
import type { ShadowRunOptions, ShadowTarget } from './shadowRun';

/** What to replay, and how. */
export interface ReplayPlan {
  tool: HistoryTool;
  style: ReplayStyle;
  migrations: readonly HistoryMigration[];
  /** The files that dry-run after the history (as the report names them): a scratch database refuses what they would leave on its server. */
  targets: readonly { path: string; text: string }[];
  /** Extensions the history and the targets create (PGlite loads the ones it ships). */
  extensions: ReadonlySet<string>;
  displayPath: DisplayPath;
  /**
   * SQL the project's own migration runner sends on its session before migrating (e.g. the
   * advisory lock a runner takes and a migration checks for); run before the replay.
   */
  setup: readonly string[];
  signal?: AbortSignal;
  /** Called before each earlier migration is replayed. */
  onReplay?: (done: number, total: number) => void;
  /**
   * Called before each migration is applied, on the state the migrations before it built (an
   * audit dry-runs it there): `migration` as it is sent, `dryRun` the backend to dry-run it on.
   * Its plan is replayed from an empty database, never from a snapshot, so it sees every migration.
   */
  beforeEach?: (index: number, migration: HistoryMigration, dryRun: DatabaseBackend) => Promise<void>;
}

/** The shadow once the history is in place (or failed to be). */
export interface PreparedShadow {
  backend: DatabaseBackend;
  /** The shadow's server, as the replay's session saw it. */
  server: ServerInfo;
  stats: Pick<ShadowReport, 'kind' | 'label' | 'restored' | 'replayed' | 'bootMs' | 'replayMs'>;
  failure: ReplayFailure | null;
  cancelled: boolean;
  /** Ends this run's use of the shadow (a scratch database is dropped here). */
  release(): Promise<ShadowRelease>;
}

/** What a release undid on the shadow's server beyond the shadow itself. */
export interface ShadowRelease {
  /** Replication slots the run created (in the history or the targets), which no rollback undoes: dropped. */
  droppedSlots: string[];
}

export interface ShadowHost {
  readonly kind: ShadowReport['kind'];
  /** True while the host keeps a database alive between runs (a PGlite instance; never a scratch database). */
  readonly running: boolean;
  prepare(plan: ReplayPlan): Promise<PreparedShadow>;
  /**
   * Present on a host that runs the whole dry-run elsewhere (the PGlite shadow in a worker thread,
   * worker/workerShadow.ts): runShadowDryRun hands it the run instead of preparing the shadow here.
   */
  runDryRun?(targets: readonly ShadowTarget[], options: ShadowRunOptions): Promise<RunReport>;
  /** Ends the host (closes PGlite); later prepare() calls start again. */
  close(): Promise<void>;
}

/** How a replay loop ended. */
export interface ReplayOutcome {
  /** Migrations applied in this loop. */
  replayed: number;
  failure: ReplayFailure | null;
  cancelled: boolean;
  ms: number;
}

/**
 * How a host replays: `onApplied` after each migration, `guard` checking each as it runs,
 * `dryRunOn` the backend a plan's `beforeEach` dry-runs on (the replay's session, lent).
 */
export interface ReplayHooks {
  onApplied?: (index: number) => void;
  guard?: ReplayGuard;
  dryRunOn?: (session: Session) => DatabaseBackend;
}

/** Lets the plan's `beforeEach` dry-run migration `index` on the replay's session, lent. */
async function dryRunBefore(session: Session, plan: ReplayPlan, index: number, hooks: ReplayHooks): Promise<void> {
  if (plan.beforeEach && hooks.dryRunOn) await plan.beforeEach(index, plan.migrations[index]!, hooks.dryRunOn(session));
}

/** Replays migrations[from…] in order on the session, stopping at a failure or a cancel. */
export async function replayFrom(session: Session, plan: ReplayPlan, from: number, hooks: ReplayHooks = {}): Promise<ReplayOutcome> {
  const t0 = performance.now();
  const total = plan.migrations.length;
  // The runner sends it on every session it opens, with or without migrations left to apply: the
  // targets run on this session next (a snapshot restored everything else, but not session settings).
  for (const sql of plan.setup) await session.execScript(sql);
  for (let i = from; i < total; i++) {
    if (plan.signal?.aborted) return { replayed: i - from, failure: null, cancelled: true, ms: performance.now() - t0 };
    plan.onReplay?.(i, total);
    await dryRunBefore(session, plan, i, hooks);
    const failure = await replayMigration(session, plan.style, plan.migrations[i]!, i, plan.displayPath, hooks.guard);
    // A statement the cancel ended fails with 57014: the run was cancelled, the migration did not fail.
    if (failure?.error.sqlstate === '57014' && plan.signal?.aborted) return { replayed: i - from, failure: null, cancelled: true, ms: performance.now() - t0 };
    if (failure) return { replayed: i - from, failure, cancelled: false, ms: performance.now() - t0 };
    hooks.onApplied?.(i);
  }
  return { replayed: total - from, failure: null, cancelled: false, ms: performance.now() - t0 };
}

/**
 * `backend` with the setup sent first on every session it opens. The project's runner sends it on
 * the session that applies the migrations; the targets' dry-run opens a session of its own (on
 * PGlite a new session starts as a new connection would), which must start the same way.
 */
export function sendingSetupFirst(backend: DatabaseBackend, setup: readonly string[]): DatabaseBackend {
  if (setup.length === 0) return backend;
  const wrapped: DatabaseBackend = Object.create(backend) as DatabaseBackend;
  wrapped.openSession = async () => {
    const session = await backend.openSession();
    try {
      for (const sql of setup) await session.execScript(sql);
    } catch (err) {
      await session.close().catch(() => undefined);
      throw err;
    }
    return session;
  };
  return wrapped;
}
