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
  // Each from the tool's own source: how it sends a file, its transaction, the table it keeps.
  'postgres-migrations': {
    // START TRANSACTION, the file as one query, the row, COMMIT (none of the three with its directive).
    send: 'one-query', transaction: 'tool',
    bookkeeping: ['CREATE TABLE IF NOT EXISTS migrations (id integer PRIMARY KEY, name varchar(100) UNIQUE NOT NULL, hash varchar(40) NOT NULL, executed_at timestamp DEFAULT current_timestamp)'],
    record: (m) => ({ sql: 'INSERT INTO migrations (id, name, hash) VALUES ($1, $2, $3)', params: [Number(m.version), m.file.replace(/^.*[\\/]/, '').slice(0, 100), 'drydock'] }),
  },
  sqlx: {
    // The file as one query, in a transaction with its row unless its first bytes say `-- no-transaction`.
    send: 'one-query', transaction: 'tool',
    bookkeeping: [`CREATE TABLE IF NOT EXISTS _sqlx_migrations (version BIGINT PRIMARY KEY, description TEXT NOT NULL,
      installed_on TIMESTAMPTZ NOT NULL DEFAULT now(), success BOOLEAN NOT NULL, checksum BYTEA NOT NULL, execution_time BIGINT NOT NULL)`],
    record: (m) => ({ sql: "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) VALUES ($1, $2, true, '\\x', -1)", params: [m.version, m.file.replace(/^.*[\\/]\d+_|(?:\.up)?\.sql$/g, '').replace(/_/g, ' ')] }),
  },
  atlas: {
    // Statement by statement, one transaction per file unless `-- atlas:txmode none`; the revisions in a schema of their own.
    send: 'statements', transaction: 'tool',
    bookkeeping: ['CREATE SCHEMA IF NOT EXISTS atlas_schema_revisions', `CREATE TABLE IF NOT EXISTS atlas_schema_revisions.atlas_schema_revisions (version varchar PRIMARY KEY,
      description varchar NOT NULL, type bigint NOT NULL DEFAULT 2, applied bigint NOT NULL DEFAULT 0, total bigint NOT NULL DEFAULT 0,
      executed_at timestamptz NOT NULL, execution_time bigint NOT NULL, error text NULL, error_stmt text NULL, hash varchar NOT NULL,
      partial_hashes jsonb NULL, operator_version varchar NOT NULL)`],
    record: (m) => ({
      sql: "INSERT INTO atlas_schema_revisions.atlas_schema_revisions (version, description, executed_at, execution_time, hash, operator_version) VALUES ($1, $2, now(), 0, '', 'drydock')",
      params: [m.version, m.file.replace(/^.*[\\/][^_]*_?|\.sql$/g, '')],
    }),
  },
  tern: {
    // The part above its separator as one query, in a transaction unless disable-tx; one row holds the version.
    send: 'one-query', transaction: 'tool',
    bookkeeping: ['CREATE TABLE IF NOT EXISTS schema_version (version int4 NOT NULL)', 'INSERT INTO schema_version (version) SELECT 0 WHERE NOT EXISTS (SELECT FROM schema_version)'],
    record: (m) => ({ sql: 'UPDATE schema_version SET version = $1', params: [Number(m.version)] }),
  },
  'sql-migrate': {
    // Its own statement splitting of the up section, in a transaction unless `-- +migrate Up notransaction`.
    send: 'statements', transaction: 'tool',
    bookkeeping: ['CREATE TABLE IF NOT EXISTS gorp_migrations (id text NOT NULL PRIMARY KEY, applied_at timestamptz NULL)'],
    record: (m) => ({ sql: 'INSERT INTO gorp_migrations (id, applied_at) VALUES ($1, now())', params: [m.version] }),
  },
  'node-pg-migrate': {
    // The up section as one query between BEGIN and COMMIT (per migration, as with --no-single-transaction).
    send: 'one-query', transaction: 'tool',
    bookkeeping: ['CREATE TABLE IF NOT EXISTS pgmigrations (id SERIAL PRIMARY KEY, name varchar(255) NOT NULL, run_on timestamp NOT NULL)'],
    record: (m) => ({ sql: 'INSERT INTO pgmigrations (name, run_on) VALUES ($1, now())', params: [m.version] }),
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
