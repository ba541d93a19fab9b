// The PGlite shadow: one in-process instance kept between runs (the extension keeps the host in
// its backend lifetime), brought to "every earlier migration applied" by the cheapest way it
// knows: the instance already there, the longest snapshot in the cache, or a fresh boot.
import { pgliteBackend } from '../db/pglite/pgliteBackend';
import { pgliteEngineId, PgliteInstance } from '../db/pglite/pgliteInstance';
import { withSession } from '../db/withSession';
import { lentBackend } from './lentSession';
import { replayBookkeeping } from './replay';
import { replayFrom, sendingSetupFirst, type PreparedShadow, type ReplayPlan, type ShadowHost } from './shadowHost';
import { readSequencePositions, restoreSequencePositions } from './sequencePositions';
import { prefixKeys, SnapshotCache } from './snapshotCache';

/** Restoring a snapshot costs about a boot; replaying fewer migrations than this from the live instance is cheaper. */
const RESTORE_WHEN_AHEAD_BY = 40;

export interface PgliteShadowOptions {
  /** Where snapshots are kept; null keeps none. */
  cacheDir: string | null;
  /**
   * Writes a snapshot instead of this host (default: into cacheDir, from this thread). The worker
   * shadow hands its snapshots to the thread that owns it, whose event loop no statement blocks, so
   * a snapshot taken before an endless statement is written even though that worker is then ended.
   */
  writeSnapshot?: (key: string, tarball: Uint8Array) => void;
}

/** The in-process shadow. Always close() it: an open PGlite keeps the process alive. */
export class PgliteShadow implements ShadowHost {
  readonly kind = 'pglite' as const;
  private instance: PgliteInstance | null = null;
  /** The prefix key of the state the live instance holds outside any transaction. */
  private appliedKey: string | null = null;
  private readonly cache: SnapshotCache | null;
  /** A snapshot being compressed and written; awaited before the next prepare and by close(). */
  private pendingWrite: Promise<void> = Promise.resolve();

  constructor(private readonly options: PgliteShadowOptions) {
    this.cache = options.cacheDir ? new SnapshotCache(options.cacheDir) : null;
  }

  /** True while an instance is running (tests and the extension's lifetime check it). */
  get running(): boolean {
    return this.instance !== null && !this.instance.closed;
  }

  async prepare(plan: ReplayPlan): Promise<PreparedShadow> {
    await this.pendingWrite;
    // An instance whose backend ran out of stack (a statement nested too deeply for PGlite) is not trusted again.
    if (this.instance?.broken) await this.discard();
    // The runner's setup is part of the state a history leaves (a schema it creates, a search_path the
    // migrations' unqualified names follow): a snapshot made with one setup is no state of another.
    const keys = prefixKeys(pgliteEngineId(), plan.setup.length > 0 ? `${plan.tool}\0setup\0${plan.setup.join('\0')}` : plan.tool, plan.migrations);
    // A plan that looks at every migration before it is applied (an audit) starts from an empty database.
    const everyMigration = plan.beforeEach !== undefined;
    const live = !everyMigration && this.instance && !this.instance.closed && this.instance.canCreate(plan.extensions) && this.appliedKey
      ? keys.indexOf(this.appliedKey) : -1;
    const cached = everyMigration ? -1 : this.cache?.longestCached(keys) ?? -1;
    let start = live;
    let restored = 0;
    let bootMs = 0;
    if (live < 0 || cached - live >= RESTORE_WHEN_AHEAD_BY) {
      ({ start, bootMs } = await this.boot(plan, keys, cached));
      restored = start;
    }
    const instance = this.instance!;
    const backend = pgliteBackend(instance);
    const { outcome, server: replayedOn } = await withSession(backend, async (session) => ({
      outcome: await replayFrom(session, plan, start, {
        onApplied: (i) => { this.appliedKey = keys[i + 1]!; },
        dryRunOn: (s) => lentBackend(backend, s),
      }),
      server: session.serverInfo,
    }));
    // A failure that left part of its migration applied leaves a state no history has: the instance goes (nothing runs on it).
    const discarded = outcome.failure !== null && !outcome.failure.rolledBack;
    if (discarded) await this.discard();
    else if (this.cache && !everyMigration && outcome.replayed > 0 && !outcome.failure && !outcome.cancelled && !instance.broken) this.keep(keys[plan.migrations.length]!, await instance.snapshot());
    // Read before the targets run: their nextval() calls survive the rollback, and the next run must not see them.
    const { server, sequences } = discarded ? { server: replayedOn, sequences: '[]' }
      : await withSession(backend, async (s) => ({ server: s.serverInfo, sequences: await readSequencePositions(s) }));
    return {
      backend: sendingSetupFirst(backend, plan.setup),
      server,
      stats: { kind: 'pglite', label: `PGlite ${server.version}`, restored, replayed: outcome.replayed, bootMs, replayMs: outcome.ms },
      failure: outcome.failure,
      cancelled: outcome.cancelled,
      release: async () => {
        // PGlite has no replication: nothing of a run outlives it but the instance it keeps.
        if (!instance.closed && this.instance === instance) await withSession(backend, (s) => restoreSequencePositions(s, sequences));
        return { droppedSlots: [] };
      },
    };
  }

  /** Boots from the longest cached prefix (or empty, then the tool's bookkeeping); returns how many migrations that state holds. */
  private async boot(plan: ReplayPlan, keys: readonly string[], cached: number): Promise<{ start: number; bootMs: number }> {
    await this.discard();
    const t0 = performance.now();
    const data = cached >= 0 ? this.cache!.read(keys[cached]!) : null;
    const initialised = data ? null : this.cache?.read(this.initdbKey()) ?? null;
    try {
      this.instance = await PgliteInstance.boot({ dataDir: data ?? initialised, extensions: plan.extensions });
    } catch (err) {
      if (!data && !initialised) throw err;
      // A cached snapshot that does not start (damaged on disk) is dropped; the run starts afresh.
      this.cache!.drop(data ? keys[cached]! : this.initdbKey());
      return this.boot(plan, keys, -1);
    }
    if (data) {
      this.appliedKey = keys[cached]!;
      return { start: cached, bootMs: performance.now() - t0 };
    }
    // Without a shipped initialised data directory (the compiled sources, not the bundle) this boot
    // ran initdb, which takes seconds: keep the fresh cluster for every later history.
    if (this.cache && !this.instance.bootedFromBase) this.keep(this.initdbKey(), await this.instance.snapshot());
    await withSession(pgliteBackend(this.instance), (session) => replayBookkeeping(session, plan.style));
    this.appliedKey = keys[0]!;
    return { start: 0, bootMs: performance.now() - t0 };
  }

  /** The key of a freshly initialised cluster of this PGlite build (no history, no bookkeeping). */
  private initdbKey(): string {
    return prefixKeys(`${pgliteEngineId()}\0initdb`, '', [])[0]!;
  }

  /** Starts writing a snapshot; a failed write only costs the next run a replay. */
  private keep(key: string, tarball: Uint8Array): void {
    const cache = this.cache;
    if (!cache) return;
    if (this.options.writeSnapshot) return this.options.writeSnapshot(key, tarball);
    this.pendingWrite = this.pendingWrite.then(() => cache.write(key, tarball)).catch(() => undefined);
  }

  private async discard(): Promise<void> {
    const instance = this.instance;
    this.instance = null;
    this.appliedKey = null;
    await instance?.close();
  }

  async close(): Promise<void> {
    await this.discard();
    await this.pendingWrite;
  }
}
