// How each tool applies one migration, as data: whether it sends the file as one query or
// statement by statement, who owns the transaction, and the bookkeeping it creates before its
// first migration and writes after each one (real migrations sometimes reference those tables).
import type { HistoryTool } from './historyTools';
import type { HistoryMigration } from './history';

/** A bookkeeping row: the statement and its parameters. */
export interface BookkeepingRow {
  sql: string;
  params: unknown[];
}

export interface ReplayStyle {
  /**
   * 'one-query': the up text goes to the server as one simple-protocol query (dbmate, diesel,
   * graphile-migrate, Prisma); 'statements': statement by statement (goose, Flyway, psql for sqitch).
   */
  send: 'one-query' | 'statements';
  /**
   * 'tool': BEGIN … COMMIT around each migration unless it is a no-transaction one; 'script': the
   * file holds its own transaction control and runs as written (sqitch deploy scripts through psql);
   * 'implicit': no BEGIN, the server's implicit transaction of one multi-statement query (Prisma).
   */
  transaction: 'tool' | 'script' | 'implicit';
  /** Statements the tool runs before its first migration. */
  bookkeeping: readonly string[];
  /** The row the tool records for an applied migration, in the migration's transaction. */
  record: ((m: HistoryMigration, index: number) => BookkeepingRow) | null;
}

export const REPLAY_STYLES: Readonly<Record<HistoryTool, ReplayStyle>> = {
  plain: { send: 'statements', transaction: 'tool', bookkeeping: [], record: null },
  dbmate: {
    send: 'one-query', transaction: 'tool',
    bookkeeping: ['CREATE TABLE IF NOT EXISTS public.schema_migrations (version character varying(128) PRIMARY KEY)'],
    record: (m) => ({ sql: 'INSERT INTO public.schema_migrations (version) VALUES ($1)', params: [m.version] }),
  },
  goose: {
    send: 'statements', transaction: 'tool',
    bookkeeping: [
      'CREATE TABLE IF NOT EXISTS goose_db_version (id serial PRIMARY KEY, version_id bigint NOT NULL, is_applied boolean NOT NULL, tstamp timestamp DEFAULT now())',
      'INSERT INTO goose_db_version (version_id, is_applied) VALUES (0, true)',
    ],
    record: (m) => ({ sql: 'INSERT INTO goose_db_version (version_id, is_applied) VALUES ($1, true)', params: [m.version] }),
  },
  sqitch: { send: 'statements', transaction: 'script', bookkeeping: [], record: null },
  flyway: {
    send: 'statements', transaction: 'tool',
    bookkeeping: [`CREATE TABLE IF NOT EXISTS flyway_schema_history (installed_rank integer PRIMARY KEY, version varchar(50),
      description varchar(200) NOT NULL, type varchar(20) NOT NULL, script varchar(1000) NOT NULL, checksum integer,
      installed_by varchar(100) NOT NULL, installed_on timestamp NOT NULL DEFAULT now(), execution_time integer NOT NULL, success boolean NOT NULL)`],
    record: (m, i) => ({
      sql: "INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, installed_by, execution_time, success) VALUES ($1, $2, $3, 'SQL', $4, current_user, 0, true)",
      params: [i + 1, m.version, m.file.replace(/^.*__|\.sql$/g, '').replace(/_/g, ' '), m.file.replace(/^.*[\\/]/, '')],
    }),
  },
  graphile: {
    send: 'one-query', transaction: 'tool',
    bookkeeping: [
      'CREATE SCHEMA IF NOT EXISTS graphile_migrate',
      'CREATE TABLE IF NOT EXISTS graphile_migrate.migrations (hash text PRIMARY KEY, previous_hash text REFERENCES graphile_migrate.migrations, filename text NOT NULL, date timestamptz NOT NULL DEFAULT now())',
      "CREATE TABLE IF NOT EXISTS graphile_migrate.current (filename text DEFAULT 'current.sql' PRIMARY KEY, content text NOT NULL, date timestamptz NOT NULL DEFAULT now())",
    ],
    record: (m) => ({ sql: 'INSERT INTO graphile_migrate.migrations (hash, filename) VALUES ($1, $2)', params: [`drydock:${m.version}`, `${m.version}.sql`] }),
  },
  diesel: {
    send: 'one-query', transaction: 'tool',
    bookkeeping: ['CREATE TABLE IF NOT EXISTS __diesel_schema_migrations (version VARCHAR(50) PRIMARY KEY NOT NULL, run_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP)'],
    record: (m) => ({ sql: 'INSERT INTO __diesel_schema_migrations (version) VALUES ($1)', params: [m.version] }),
  },
  'golang-migrate': {
    // Each file is one Exec of the whole text, no BEGIN of the tool's own; schema_migrations holds
    // one row, the version applied last (with dirty set while a migration runs).
    send: 'one-query', transaction: 'implicit',
    bookkeeping: ['CREATE TABLE IF NOT EXISTS schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL)'],
    record: (m) => ({ sql: 'WITH previous AS (DELETE FROM schema_migrations) INSERT INTO schema_migrations (version, dirty) VALUES ($1, false)', params: [m.version] }),
  },
  prisma: {
    send: 'one-query', transaction: 'implicit',
    bookkeeping: [`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (id varchar(36) PRIMARY KEY NOT NULL, checksum varchar(64) NOT NULL,
      finished_at timestamptz, migration_name varchar(255) NOT NULL, logs text, rolled_back_at timestamptz,
      started_at timestamptz NOT NULL DEFAULT now(), applied_steps_count integer NOT NULL DEFAULT 0)`],
    record: (m, i) => ({
      sql: "INSERT INTO \"_prisma_migrations\" (id, checksum, finished_at, migration_name, applied_steps_count) VALUES ($1, '', now(), $2, 1)",
      params: [`drydock-${i + 1}`, m.file.replace(/[\\/]migration\.sql$/, '').replace(/^.*[\\/]/, '')],
    }),
  },
};
