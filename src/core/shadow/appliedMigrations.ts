// Which of the given migration files a database already has, read from the migration tool's own
// bookkeeping table (the one the replay writes, src/core/shadow/replayStyles.ts): a dry-run of a
// folder on a database that is partly migrated then runs what is pending, instead of failing
// with 42P07 "already exists" on the first migration the tool applied long ago.
import type { Session } from '../db/backend';
import { migrationsIn, migrationsRoot } from './history';
import type { HistoryTool } from './historyTools';

/**
 * A tool's table and the query that reads its applied versions. `latest`: the table holds the last
 * version applied (golang-migrate, tern), so every version up to it is applied.
 */
interface Bookkeeping {
  table: string;
  versions: string;
  latest?: true;
}

// Tools whose bookkeeping names migrations by a version the history listing knows. Not here:
// plain (none), sqitch (its registry lives in another database schema keyed by change ids) and
// graphile-migrate (rows keyed by content hashes).
const BOOKKEEPING: Partial<Record<HistoryTool, Bookkeeping>> = {
  dbmate: { table: 'public.schema_migrations', versions: 'SELECT version::text AS v FROM public.schema_migrations' },
  goose: { table: 'goose_db_version', versions: 'SELECT v FROM (SELECT DISTINCT ON (version_id) version_id::text AS v, is_applied FROM goose_db_version ORDER BY version_id, id DESC) last WHERE is_applied' },
  flyway: { table: 'flyway_schema_history', versions: 'SELECT version AS v FROM flyway_schema_history WHERE success AND version IS NOT NULL' },
  diesel: { table: '__diesel_schema_migrations', versions: 'SELECT version::text AS v FROM __diesel_schema_migrations' },
  'golang-migrate': { table: 'schema_migrations', versions: 'SELECT version::text AS v FROM schema_migrations WHERE NOT dirty', latest: true },
  'postgres-migrations': { table: 'migrations', versions: 'SELECT id::text AS v FROM migrations' },
  sqlx: { table: '_sqlx_migrations', versions: 'SELECT version::text AS v FROM _sqlx_migrations WHERE success' },
  atlas: { table: 'atlas_schema_revisions.atlas_schema_revisions', versions: 'SELECT version AS v FROM atlas_schema_revisions.atlas_schema_revisions WHERE applied = total AND error IS NULL' },
  tern: { table: 'schema_version', versions: 'SELECT version::text AS v FROM schema_version', latest: true },
  'sql-migrate': { table: 'gorp_migrations', versions: 'SELECT id AS v FROM gorp_migrations' },
  'node-pg-migrate': { table: 'pgmigrations', versions: 'SELECT name AS v FROM pgmigrations' },
};

/** What the bookkeeping says about the files. */
export interface AppliedMigrations {
  tool: HistoryTool;
  /** The table read, as the tool names it. */
  table: string;
  /** The files (as given) the table lists as applied, in the order given. */
  applied: string[];
}

/** Numeric versions compare as numbers ("9" before "10"), others as text. */
function upTo(version: string, latest: string): boolean {
  return /^\d+$/.test(version) && /^\d+$/.test(latest) ? BigInt(version) <= BigInt(latest) : version <= latest;
}

/**
 * The files among `files` (absolute paths, with `shown` their paths as given) that the database's
 * bookkeeping table lists as applied; null when their tool keeps no table Drydock reads, or the
 * database has none (never migrated by it). Reads only, in the session's current transaction state.
 */
export async function appliedMigrations(session: Session, files: readonly { absolutePath: string; shown: string }[]): Promise<AppliedMigrations | null> {
  const first = files[0];
  if (!first) return null;
  const { tool, migrations } = migrationsIn(migrationsRoot(first.absolutePath));
  const bookkeeping = BOOKKEEPING[tool];
  if (!bookkeeping) return null;
  const present = await session.query('SELECT to_regclass($1) IS NOT NULL AS present', [bookkeeping.table]);
  if (present.rows[0]?.present !== true) return null;
  const versions = (await session.query(bookkeeping.versions)).rows.map((r) => String(r.v));
  const latest = versions[0];
  const isApplied = (version: string) => (bookkeeping.latest ? latest !== undefined && upTo(version, latest) : versions.includes(version));
  const versionOf = new Map(migrations.map((m) => [m.file, m.version]));
  const applied = files.filter((f) => {
    const version = versionOf.get(f.absolutePath);
    return version !== undefined && isApplied(version);
  }).map((f) => f.shown);
  return { tool, table: bookkeeping.table, applied };
}
