// The shadow on a configured server: CREATE DATABASE drydock_shadow_<time>_<random>, replay the
// history there, let the targets dry-run, DROP DATABASE — after a failure, a cancel or a killed
// connection too (release() runs in the caller's finally). The scratch database is sealed: what
// would act beyond it (roles that exist, other databases, the server) is refused before anything is
// sent (sealPlan.ts) and watched for as the history replays (clusterGuard.ts); the roles the replay
// creates are recorded on the scratch database and dropped with it. A later run drops what earlier
// runs could not (a killed process): the scratch databases whose creating session is gone, and their
// roles. It creates and drops only databases named drydock_shadow_*, and connects to the configured
// database only to do that and to watch.
import crypto from 'node:crypto';
import type { Session } from '../db/backend';
import { connectionEndpoint, keywordSettings, type ConnectionSettings } from '../db/connection';
import { pgBackend } from '../db/pg/pgBackend';
import { withSession } from '../db/withSession';
import type { ServerInfo } from '../model/report';
import { quoteIdent } from '../sql/quoting';
import { ClusterGuard } from './clusterGuard';
import type { HistoryMigration } from './history';
import { lentBackend } from './lentSession';
import { refusalError, replayBookkeeping, type ReplayFailure } from './replay';
import { sealPlan, type PlanRefusal, type SealedPlan } from './sealPlan';
import { dropNewSlots, slotNames } from './runSlots';
import { dropRecordedRoles, ownerAlive, ownerOf, parseRecord, writeRecord, type ScratchRecord } from './scratchRecord';
import { replayFrom, sendingSetupFirst, type PreparedShadow, type ReplayOutcome, type ReplayPlan, type ShadowHost, type ShadowRelease } from './shadowHost';

/** Every scratch database's name starts with this; nothing else is ever dropped. */
export const SCRATCH_PREFIX = 'drydock_shadow_';
/** A scratch database younger than this may belong to a run that has not connected yet. */
const STALE_AFTER_SECONDS = 10 * 60;

/** A fresh scratch database name: the creation time (seconds, base 36) and randomness. */
export function scratchDatabaseName(now: Date): string {
  return `${SCRATCH_PREFIX}${Math.floor(now.getTime() / 1000).toString(36)}_${crypto.randomBytes(5).toString('hex')}`;
}

function createdAt(name: string): number | null {
  const stamp = new RegExp(`^${SCRATCH_PREFIX}([0-9a-z]+)_[0-9a-f]+$`).exec(name)?.[1];
  return stamp ? parseInt(stamp, 36) : null;
}

/** The same server settings, pointed at another database. */
export function settingsForDatabase(settings: ConnectionSettings, database: string): ConnectionSettings {
  const keywords = settings.connectionString ? keywordSettings(settings.connectionString) : null;
  if (keywords) return { ...settings, ...keywords, connectionString: undefined, database };
  if (settings.connectionString) {
    const url = new URL(settings.connectionString);
    url.pathname = `/${encodeURIComponent(database)}`;
    return { ...settings, connectionString: url.toString(), database };
  }
  return { ...settings, database };
}

/** What a cleanup dropped: scratch databases and the roles their runs created. */
export interface StaleDropped {
  databases: string[];
  roles: string[];
  /** Roles that could not be dropped, with the server's reason. */
  problems: string[];
}

/** The scratch database's record (the comment on it), or null. */
async function recordOf(session: Session, name: string): Promise<ScratchRecord | null> {
  const found = await session.query("SELECT pg_catalog.shobj_description(oid, 'pg_database') AS comment FROM pg_catalog.pg_database WHERE datname = $1", [name]);
  return parseRecord(found.rows[0]?.comment as string | null | undefined);
}

/**
 * Drops the scratch databases of earlier runs and the roles they recorded: one whose creating
 * session is gone at once (its run died; sessions it left behind are ended), one without a record
 * (an older Drydock, or a run killed before writing it) once no session uses it and it is old enough.
 */
export async function dropStaleScratchDatabases(session: Session, now: Date): Promise<StaleDropped> {
  const result = await session.query(
    `SELECT d.datname, pg_catalog.shobj_description(d.oid, 'pg_database') AS comment,
       EXISTS (SELECT 1 FROM pg_catalog.pg_stat_activity a WHERE a.datname = d.datname) AS used
     FROM pg_catalog.pg_database d WHERE starts_with(d.datname, $1) ORDER BY d.datname`, [SCRATCH_PREFIX]);
  const dropped: StaleDropped = { databases: [], roles: [], problems: [] };
  for (const row of result.rows) {
    const name = String(row.datname);
    const record = parseRecord(row.comment as string | null);
    if (record) {
      if (await ownerAlive(session, record.owner)) continue;
    } else {
      const created = createdAt(name);
      if (row.used === true || (created !== null && now.getTime() / 1000 - created < STALE_AFTER_SECONDS)) continue;
    }
    try {
      await dropScratch(session, name);
    } catch (err) {
      // Another user's scratch database (not ours to drop), or one just dropped by a run beside this one.
      dropped.problems.push(`${name}: ${(err as Error).message}`);
      continue;
    }
    dropped.databases.push(name);
    if (record) {
      const roles = await dropRecordedRoles(session, record.roles, record.pending);
      dropped.roles.push(...roles.dropped);
      dropped.problems.push(...roles.failed);
    }
  }
  return dropped;
}

async function dropScratch(session: Session, name: string): Promise<void> {
  if (!name.startsWith(SCRATCH_PREFIX)) throw new Error(`refusing to drop ${name}: not a Drydock scratch database`);
  // A logical replication slot belongs to its database and keeps it from being dropped: the run's (a killed one's too) go first.
  await session.query(
    'SELECT pg_catalog.pg_drop_replication_slot(s.slot_name) FROM pg_catalog.pg_replication_slots s WHERE s.database = $1 AND NOT s.active', [name]);
  // Sessions of this run that outlived it (a cancel in flight, a backend still exiting, a killed
  // run's statement still running) are ours: FORCE ends them and waits (PostgreSQL 13+); older
  // servers get them terminated first.
  try {
    await session.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
  } catch (err) {
    if ((err as { code?: string }).code !== '42601') throw err;
    await session.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
    await session.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)}`);
  }
}

const NO_CREATEDB_HINT = 'The --shadow-db role needs CREATEDB: the shadow creates and drops a scratch database there. '
  + 'Grant it (ALTER ROLE … CREATEDB), or use the PGlite shadow (leave out --shadow-db).';

export interface ScratchDatabaseOptions {
  /** The server (its database is only connected to, to create, watch and drop scratch databases). */
  server: ConnectionSettings;
  /**
   * The names the project's database goes by — the database the migrations are applied to —, whose
   * `ALTER DATABASE … SET`, `ALTER ROLE … IN DATABASE … SET` and `GRANT … ON DATABASE` apply to the
   * scratch database instead. Default: the server settings' database.
   */
  projectDatabases?: readonly string[];
  now?: () => Date;
}

/** A plan's refusal as the failure of the migration it is in (a target's names the target). */
function refusalFailure({ refusal, migration }: PlanRefusal, plan: ReplayPlan): ReplayFailure {
  const error = refusalError(`${refusal.what}: ${refusal.reason}`, refusal.where);
  const line = error.position ? `:${error.position.line}` : '';
  error.message = `${migration ? 'earlier migration ' : ''}${refusal.where.file}${line} refused before anything was sent: ${refusal.what}, which reaches beyond the scratch database: ${refusal.reason}`;
  const target = plan.targets.find((t) => t.path === refusal.where.file);
  const standIn: HistoryMigration = { file: refusal.where.file, version: '', text: target?.text ?? '', noTransaction: false };
  return { migration: migration ?? standIn, error, rolledBack: true, refused: true };
}

/** The shadow on a server: a new scratch database for every prepare(). */
export class ScratchDatabaseShadow implements ShadowHost {
  readonly kind = 'scratch-database' as const;
  readonly running = false;
  private readonly admin: ReturnType<typeof pgBackend>;
  /** Databases dropped as stale by the last prepare() (for the log and tests). */
  lastStaleDropped: string[] = [];
  /** The roles their runs had created, dropped with them. */
  lastStaleRolesDropped: string[] = [];
  /** The roles this run created, dropped with its scratch database by the last release(). */
  lastRolesDropped: string[] = [];
  /** Roles a cleanup could not drop (the server's reasons). */
  lastCleanupProblems: string[] = [];

  constructor(private readonly options: ScratchDatabaseOptions) {
    this.admin = pgBackend({ ...options.server, applicationName: 'drydock shadow' });
  }

  private projectDatabases(): Set<string> {
    return new Set(this.options.projectDatabases ?? [connectionEndpoint(this.options.server).database]);
  }

  async prepare(plan: ReplayPlan): Promise<PreparedShadow> {
    const now = (this.options.now ?? (() => new Date()))();
    const name = scratchDatabaseName(now);
    const t0 = performance.now();
    // Open for the whole run: while it lives, the scratch database is this run's (its record names it).
    const owner = await this.admin.openSession();
    let created = false;
    let guard: ClusterGuard | null = null;
    /** The replication slots on the server before the run sent anything (before the targets ran, once the history is in place). */
    let slotsBefore: ReadonlySet<string> = new Set();
    const release = () => this.release(owner, created ? name : null, guard, slotsBefore);
    const scratch = pgBackend({ ...settingsForDatabase(this.options.server, name), applicationName: 'drydock shadow' });
    const { host, port } = connectionEndpoint(this.options.server);
    // The setup as sealed for this server, sent first on the targets' session as on the replay's.
    let sessionSetup: readonly string[] = [];
    const prepared = (server: ServerInfo, outcome: ReplayOutcome, bootMs: number): PreparedShadow => ({
      backend: sendingSetupFirst(scratch, sessionSetup),
      server,
      stats: { kind: 'scratch-database', label: `shadow on ${host}:${port}`, restored: 0, replayed: outcome.replayed, bootMs, replayMs: outcome.ms },
      failure: outcome.failure,
      cancelled: outcome.cancelled,
      release,
    });
    try {
      const sealed = await this.seal(owner, plan, name, now);
      const notSent = { replayed: 0, ms: 0, failure: null, cancelled: false };
      if ('refusal' in sealed) return prepared(owner.serverInfo, { ...notSent, failure: refusalFailure(sealed, plan) }, performance.now() - t0);
      sessionSetup = sealed.setup;
      if (plan.signal?.aborted) return prepared(owner.serverInfo, { ...notSent, cancelled: true }, performance.now() - t0);
      slotsBefore = await slotNames(owner);
      await owner.query(`CREATE DATABASE ${quoteIdent(name)}`).catch((err: unknown) => {
        const e = err as { code?: string; hint?: string };
        if (e.code === '42501') e.hint = NO_CREATEDB_HINT;
        throw err;
      });
      created = true;
      const self = await ownerOf(owner);
      await writeRecord(owner, name, { owner: self, roles: [], pending: [] });
      const watching = guard = await ClusterGuard.start(owner, name, self, sealed.createsRoles);
      const bootMs = performance.now() - t0;
      const outcome = await withSession(scratch, async (session) => {
        // A cancel ends the statement running on the server (then the replay stops as cancelled).
        const onAbort = () => { session.cancel().catch(() => undefined); };
        plan.signal?.addEventListener('abort', onAbort);
        try {
          await replayBookkeeping(session, plan.style);
          return { ...(await replayFrom(session, { ...plan, migrations: sealed.migrations, setup: sealed.setup }, 0, {
            guard: watching,
            dryRunOn: (s) => lentBackend(scratch, s),
          })), server: session.serverInfo };
        } finally {
          plan.signal?.removeEventListener('abort', onAbort);
        }
      });
      // A replay that went through left no slot of its own (the guard dropped or refused each one):
      // from here on, a new slot is the targets'.
      if (!outcome.failure && !outcome.cancelled) slotsBefore = await slotNames(owner);
      return prepared(outcome.server, outcome, bootMs);
    } catch (err) {
      await release().catch(() => undefined);
      throw err;
    }
  }

  /** Drops what earlier runs left, then seals the plan against the server as it is now (its roles). */
  private async seal(owner: Session, plan: ReplayPlan, scratch: string, now: Date): Promise<SealedPlan | PlanRefusal> {
    const stale = await dropStaleScratchDatabases(owner, now);
    this.lastStaleDropped = stale.databases;
    this.lastStaleRolesDropped = stale.roles;
    this.lastRolesDropped = [];
    this.lastCleanupProblems = stale.problems;
    const roles = await owner.query('SELECT rolname FROM pg_catalog.pg_roles');
    const existingRoles = new Set(roles.rows.map((r) => String(r.rolname)));
    return sealPlan(plan, { existingRoles, projectDatabases: this.projectDatabases(), scratch });
  }

  /**
   * Drops the replication slots the run created (they appeared since `slotsBefore`), its scratch
   * database (null: none was created) and the roles it recorded, on the owner's session while it
   * lives (so no other run takes the database for stale meanwhile), then ends that session.
   */
  private async release(owner: Session, scratch: string | null, guard: ClusterGuard | null, slotsBefore: ReadonlySet<string>): Promise<ShadowRelease> {
    const released: ShadowRelease = { droppedSlots: [] };
    const drop = async (session: Session) => {
      if (scratch === null) return;
      released.droppedSlots.push(...await dropNewSlots(session, slotsBefore, scratch));
      const record = await recordOf(session, scratch);
      await dropScratch(session, scratch);
      // The record on the database and the one in memory (a write the run could not make) name only roles the run created.
      const roles = await dropRecordedRoles(session, [...(record?.roles ?? []), ...(guard?.record().roles ?? [])], record?.pending ?? []);
      this.lastRolesDropped = roles.dropped;
      this.lastCleanupProblems.push(...roles.failed);
    };
    try {
      // A session the run lost (a server restart) is replaced; the drop can be repeated.
      await drop(owner).catch(() => withSession(this.admin, drop));
    } finally {
      await owner.close();
    }
    return released;
  }

  async close(): Promise<void> {
    // Nothing lives between runs: every scratch database is dropped by its run's release().
  }
}
