// The result model: one JSON-serialisable report per run. The CLI prints it (`--json`) and the
// extension renders it; nothing in it refers to the editor. Lines and columns are 1-based and
// columns count UTF-16 code units, as editors do. Offsets are 0-based UTF-16 indexes into the file.

import type { Finding } from './findings';
import type { OffsetRange, Position, Range } from './positions';
import type { RunMode } from './runModes';

export type { Finding, OffsetRange, Position, Range, RunMode };

export type StatementStatus = 'ok' | 'failed' | 'skipped' | 'simulated';

/** A message the server sent while a statement ran (RAISE NOTICE, WARNING, …). */
export interface NoticeReport {
  severity: string;
  message: string;
  detail?: string;
  hint?: string;
}

export type ErrorCategory = 'integrity' | 'operational' | 'database';
export type ErrorLabel = 'Data conflict' | 'Service temporarily unavailable' | 'Database error';

/** A classified failure: what went wrong, where in the file, and how to look into it. */
export interface ErrorReport {
  sqlstate: string;
  category: ErrorCategory;
  label: ErrorLabel;
  /** Precise title for the SQLSTATE, e.g. "Unique violation". */
  title: string;
  message: string;
  detail?: string;
  hint?: string;
  /** The file the error belongs to, when it belongs to one. */
  file?: string;
  /** Where in the file the server pointed (or the statement start when it did not). */
  position?: Position;
  /** The range to underline: the statement, or the token at `position`. */
  range?: Range;
  /** The server's context line (e.g. "PL/pgSQL function … line 3"). */
  context?: string;
  /** Server-side fields identifying the object involved. */
  schema?: string;
  table?: string;
  column?: string;
  constraint?: string;
  /** A read-only query that finds the offending rows or the blocking sessions. */
  fixQuery?: string;
  /** What `fixQuery` returned when the run executed it (at most 100 rows). */
  fixRows?: Record<string, unknown>[];
  /**
   * Set when `fixRows` found rows: the statement that removes them (the violating rows of a CHECK,
   * the extra rows of each duplicate key), for a fix to run before the failing statement.
   */
  cleanup?: string;
}

/** The column the 23502 fix query of an ADD COLUMN names its count of the table's rows (each one a NULL to fill). */
export const ROWS_TO_FILL = 'rows_to_fill';

/** A table-level lock the statement took, measured in pg_locks (locks already held are not repeated). */
export interface MeasuredLock {
  relation: string;
  /** As pg_locks names it: "AccessExclusiveLock". */
  mode: string;
  /** What the lock keeps other sessions from doing: "reads and writes", "writes", "DDL and VACUUM", … */
  blocks: string;
  /** From the statement that took it to the end of the run's transaction: how long production would wait. */
  heldMs: number;
  /** Statements that ran while it was held, after the one that took it. */
  heldWhile: number;
  /** The relation was created earlier in the same run: no other session can be waiting for it. */
  createdInRun?: true;
  /** A simulated statement (CONCURRENTLY run without it): the mode is the real statement's, not the one measured. */
  simulated?: true;
}

/** A relation the statement rewrote (its relfilenode changed): the table, its indexes, its TOAST table. */
export interface MeasuredRewrite {
  relation: string;
  kind: 'table' | 'index' | 'toast' | 'materialized view';
  /** Its size before the statement, from pg_class (reltuples and relpages: as current as the last VACUUM or ANALYZE). */
  rows: number;
  bytes: number;
}

/** A full scan of a table the statement made (pg_stat_get_xact_numscans), and why. */
export interface MeasuredScan {
  relation: string;
  /** "validates CHECK chk_x", "SET NOT NULL", "index build", … */
  reason: string;
  /** Rows the scans returned. */
  rows: number;
  /** The table's size before the statement (relpages × block size). */
  bytes: number;
}

/** What a rewrite or scan would cost on the reference (production-sized) database. */
export interface StatementImpact {
  relation: string;
  /** Rows and bytes of the relation on the reference. */
  rows: number;
  bytes: number;
  /** The estimate as a range, in milliseconds. */
  estimateMs: { low: number; high: number };
  /** The strongest lock held meanwhile and what it blocks. */
  lock: string | null;
  /** Sessions on the reference an ACCESS EXCLUSIVE request would queue behind now. */
  waitsBehind: { pid: number; transactionAgeMs: number; state: string }[];
  /** One line: "rewrites orders (48 M rows, 12 GB) under ACCESS EXCLUSIVE: ~40–90 s during which reads and writes of orders wait". */
  summary: string;
}

/** One statement of one file and what happened to it. */
export interface StatementReport {
  file: string;
  /** 0-based index of the statement within its file. */
  index: number;
  sql: string;
  /** Statement kind, e.g. "CREATE INDEX", "ALTER TABLE", "DO". */
  kind: string;
  range: Range;
  offsets: OffsetRange;
  status: StatementStatus;
  durationMs: number;
  /** Rows affected or returned, when the server reported a count. */
  rows: number | null;
  notices: NoticeReport[];
  error?: ErrorReport;
  /** Why a statement was skipped or simulated, or what was run instead. */
  note?: string;
  /** Measured while it ran (in a transaction; empty for statements that did not run). */
  locks: MeasuredLock[];
  rewrites: MeasuredRewrite[];
  scans: MeasuredScan[];
  /**
   * The tables whose state was compared before and after the statement (existing before the run):
   * a rewrite or scan of one of them would be in `rewrites`/`scans`. Absent: not measured.
   */
  measuredRelations?: string[];
  /** With a reference connection: what its rewrites and scans would cost there. */
  impact?: StatementImpact[];
}

/** `dropped`: a later statement of the files dropped it (not a failure); `skipped`: a DO block's condition did not create it. */
export type CheckStatus = 'ok' | 'missing' | 'invalid' | 'not-validated' | 'disabled' | 'mismatch' | 'skipped' | 'dropped';
export type DeclaredKind = 'index' | 'constraint' | 'trigger' | 'function';

/** One verification check of an object the files declare. */
export interface VerificationCheck {
  kind: DeclaredKind;
  name: string;
  table: string | null;
  status: CheckStatus;
  detail: string;
  /** Where the object is declared. */
  file: string;
  statementIndex: number;
  /** The name it has at the end, when a later statement renamed it. */
  currentName?: string;
  /** The statement that dropped or renamed it. */
  changedBy?: { file: string; statementIndex: number; line: number };
}

/** Objects found by the name-pattern questions teams ask (idx_%, uq_%, chk_%, update_%_updated_at). */
export interface InventoryItem {
  kind: DeclaredKind;
  name: string;
  table: string;
  definition: string;
  /** false for invalid indexes, NOT VALID constraints and disabled triggers. */
  healthy: boolean;
}

/** Index usage from pg_stat_user_indexes for the tables the files touch. */
export interface IndexUsage {
  table: string;
  index: string;
  scans: number;
  tuplesRead: number;
  tuplesFetched: number;
  sizeBytes: number;
}

export type RunOutcome = 'succeeded' | 'failed' | 'refused' | 'cancelled';

export interface ServerInfo {
  version: string;
  versionNum: number;
  database: string;
  user: string;
}

/** Where a shadow run happened and what it replayed first (present only on shadow runs). */
export interface ShadowReport {
  /** 'pglite': in-process PGlite; 'scratch-database': a drydock_shadow_* database on a server. */
  kind: 'pglite' | 'scratch-database';
  /** "PGlite 18.7" or "shadow on host:port" (never with a password). */
  label: string;
  /** The migration tool whose order and transactions the replay followed. */
  tool: string;
  /** Earlier migrations applied (committed, as the tool applies them) before the files ran. */
  history: number;
  /** Of those, how many came from a cached snapshot instead of being replayed. */
  restored: number;
  replayed: number;
  bootMs: number;
  replayMs: number;
  /** Capabilities the shadow's backend lacks ('cancel', 'concurrentSessions', 'timeouts'), so the report can say so. */
  lacks: string[];
  /**
   * What the run changed on the shadow's server outside the shadow and could not undo ("role dev
   * changed"): SQL built at run time in a statement that commits by itself, seen once committed.
   */
  serverChanged?: string[];
  /** What the run changed on the shadow's server outside the shadow and Drydock undid ("replication slot x"). */
  undone?: string[];
}

/** An earlier migration that failed while the shadow replayed the history, and what the files then ran on. */
export interface HistoryFailure {
  /** The earlier file, as the report names it. */
  file: string;
  /** Classified, at its line in that file; the message starts "earlier migration <file>:<line> failed". */
  error: ErrorReport;
  /** Earlier migrations applied before the files ran: the ones before the failing migration. */
  applied: number;
  /** Earlier migrations after the failing one, not applied either (as the report names them). */
  notApplied: string[];
  /**
   * True when the files were dry-run anyway, on the state before the failing migration; false when
   * they were not run (the shadow refused the migration, or the run was cancelled).
   */
  filesRan: boolean;
}

export interface Timings {
  parseMs: number;
  connectMs: number;
  executeMs: number;
  verifyMs: number;
  totalMs: number;
}

/** Everything one run produced. */
export interface RunReport {
  /** Bumped when the shape changes incompatibly. */
  reportVersion: 1;
  files: string[];
  mode: RunMode;
  startedAt: string;
  /** Null when no connection was made (refused before connecting, or connection failed). */
  server: ServerInfo | null;
  /** True only when an apply committed. A dry-run or verify is never committed. */
  committed: boolean;
  /** True when the files ran outside a transaction (apply with a no-transaction directive). */
  transactional: boolean;
  outcome: RunOutcome;
  statements: StatementReport[];
  /** The first failure (statement, connection, or verification), classified. */
  error?: ErrorReport;
  /** Problems the rules found before anything ran (syntax, meta-commands, refusals, safety). */
  diagnostics: Finding[];
  verification: VerificationCheck[];
  inventory: InventoryItem[];
  indexUsage: IndexUsage[];
  /** INVALID indexes left behind by a failed CONCURRENTLY build. */
  leftovers: string[];
  timings: Timings;
  /** Set on shadow runs: the files ran after the earlier migrations were replayed in a throwaway database. */
  shadow?: ShadowReport;
  /**
   * Set on a shadow run whose history did not replay: an earlier migration's failure, which is the
   * history's and never the files' (`error` stays the files' own).
   */
  historyFailure?: HistoryFailure;
  /**
   * Set when a statement ended the run's transaction (or, outside one, left one open): never
   * expected, since the runner refuses such statements before sending them; if one ever gets
   * through, the report says what became of the statements before it.
   */
  transactionEnded?: TransactionEnded;
}

/** A statement that ended the run's transaction, and what became of the statements before it. */
export interface TransactionEnded {
  file: string;
  line: number;
  kind: string;
  /**
   * committed: they are in the database; rolled-back: nothing stayed; prepared: a prepared
   * transaction holds them (and their locks); opened: outside a transaction, the statement opened
   * one (rolled back by Drydock); unknown: the server did not say.
   */
  effect: 'committed' | 'rolled-back' | 'prepared' | 'opened' | 'unknown';
  /** The id of the transaction the statement prepared (PREPARE TRANSACTION). */
  preparedAs?: string;
  /** Statements the server ran after it in the same pipeline, each on its own outside any transaction (so committed). */
  ranOutside?: number;
}
