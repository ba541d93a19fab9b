// The shadow on a configured server: CREATE DATABASE drydock_shadow_<time>_<random>, replay the
// history there, let the targets dry-run, DROP DATABASE — after a failure, a cancel or a killed
// connection too (release() runs in the caller's finally). A later run drops the scratch databases
// earlier runs could not (a killed process) once no session uses them. It creates and drops only
// databases named drydock_shadow_*, and connects to the configured database only to do that.
import crypto from 'node:crypto';
import type { DatabaseBackend, Session } from '../db/backend';
import { connectionEndpoint, keywordSettings, type ConnectionSettings } from '../db/connection';
import { pgBackend } from '../db/pg/pgBackend';
import { withSession } from '../db/withSession';
import { quoteIdent } from '../sql/quoting';
import { replayBookkeeping } from './replay';
import { replayFrom, type PreparedShadow, type ReplayPlan, type ShadowHost } from './shadowHost';

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

/** Drops the scratch databases of earlier runs that no session uses and that are old enough; returns their names. */
export async function dropStaleScratchDatabases(session: Session, now: Date): Promise<string[]> {
  const result = await session.query(
    `SELECT d.datname FROM pg_database d WHERE starts_with(d.datname, $1)
       AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.datname = d.datname)`, [SCRATCH_PREFIX]);
  const dropped: string[] = [];
  for (const row of result.rows) {
    const name = String(row.datname);
    const created = createdAt(name);
    if (created !== null && now.getTime() / 1000 - created < STALE_AFTER_SECONDS) continue;
    await session.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)}`);
    dropped.push(name);
  }
  return dropped;
}

async function dropScratch(session: Session, name: string): Promise<void> {
  if (!name.startsWith(SCRATCH_PREFIX)) throw new Error(`refusing to drop ${name}: not a Drydock scratch database`);
  // Sessions of this run that outlived it (a cancel in flight, a backend still exiting) are ours:
  // FORCE ends them and waits (PostgreSQL 13+); older servers get them terminated first.
  try {
    await session.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
  } catch (err) {
    if ((err as { code?: string }).code !== '42601') throw err;
    await session.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
    await session.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)}`);
  }
}

export interface ScratchDatabaseOptions {
  /** The server (its database is only connected to, to create and drop scratch databases). */
  server: ConnectionSettings;
  now?: () => Date;
}

/** The shadow on a server: a new scratch database for every prepare(). */
export class ScratchDatabaseShadow implements ShadowHost {
  readonly kind = 'scratch-database' as const;
  readonly running = false;
  private readonly admin: DatabaseBackend;
  /** Names dropped as stale by the last prepare() (for the log and tests). */
  lastStaleDropped: string[] = [];

  constructor(private readonly options: ScratchDatabaseOptions) {
    this.admin = pgBackend({ ...options.server, applicationName: 'drydock shadow' });
  }

  async prepare(plan: ReplayPlan): Promise<PreparedShadow> {
    const now = (this.options.now ?? (() => new Date()))();
    const name = scratchDatabaseName(now);
    const t0 = performance.now();
    await withSession(this.admin, async (session) => {
      this.lastStaleDropped = await dropStaleScratchDatabases(session, now);
      await session.query(`CREATE DATABASE ${quoteIdent(name)}`);
    });
    const release = () => withSession(this.admin, (session) => dropScratch(session, name));
    const scratch = pgBackend({ ...settingsForDatabase(this.options.server, name), applicationName: 'drydock shadow' });
    const { host, port } = connectionEndpoint(this.options.server);
    try {
      const bootMs = performance.now() - t0;
      const outcome = await withSession(scratch, async (session) => {
        await replayBookkeeping(session, plan.style);
        return { ...(await replayFrom(session, plan, 0)), server: session.serverInfo };
      });
      return {
        backend: scratch,
        server: outcome.server,
        stats: { kind: 'scratch-database', label: `shadow on ${host}:${port}`, restored: 0, replayed: outcome.replayed, bootMs, replayMs: outcome.ms },
        failure: outcome.failure,
        cancelled: outcome.cancelled,
        release,
      };
    } catch (err) {
      await release().catch(() => undefined);
      throw err;
    }
  }

  async close(): Promise<void> {
    // Nothing lives between runs: every scratch database is dropped by its run's release().
  }
}
