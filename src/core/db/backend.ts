// The port through which core talks to PostgreSQL. `run`, `verify` and `templates` see only these
// interfaces; db/pg implements them with `pg`, db/pglite with PGlite in-process. A backend
// declares what it can do, so a feature that needs more asks first and says so when it cannot.
import type { NoticeReport, ServerInfo } from '../model/report';

/** A NOTICE or WARNING as both drivers hand it over (pg's and PGlite's messages share these fields). */
export interface NoticeMessage {
  severity?: string;
  message?: string;
  detail?: string;
  hint?: string;
}

/** The report of a notice: absent fields left out rather than empty. */
export function noticeOf(msg: NoticeMessage): NoticeReport {
  const notice: NoticeReport = { severity: msg.severity ?? 'NOTICE', message: msg.message ?? '' };
  if (msg.detail) notice.detail = msg.detail;
  if (msg.hint) notice.hint = msg.hint;
  return notice;
}

export interface QueryOutcome {
  rows: Record<string, unknown>[];
  rowCount: number | null;
  fields: string[];
  command: string;
}

/** What one statement of a pipeline did. */
export interface PipelinedResult {
  rowCount: number | null;
  /** The notices it raised, in order. */
  notices: NoticeReport[];
  /** From the end of the statement before it (or from sending, for the first) to its own end, as its answer arrived. */
  durationMs: number;
  /** The server's command tag ("INSERT 0 1", "COMMIT", "ROLLBACK", "PREPARE TRANSACTION"); '' when none came. */
  command: string;
}

/** How a pipeline ended. */
export interface PipelineOutcome {
  /** One per statement the server ran, in order; when `error` is set the last one is the statement that failed. */
  ran: PipelinedResult[];
  /** Why the statement `ran.length - 1` failed (the driver's error, as `query` would reject with). */
  error?: unknown;
}

/** Hooks into a pipeline as it runs. */
export interface PipelineOptions {
  /** Called as each statement's answer arrives (its position in the pipeline). */
  onStatementDone?: (index: number) => void;
  /** Asked between statements by a backend that sends them one at a time: true stops before the next. */
  stop?: () => boolean;
}

/** 'idle': no transaction open; 'in-transaction'; 'failed': in an aborted transaction. */
export type TransactionState = 'idle' | 'in-transaction' | 'failed' | 'unknown';

/** One connection to PostgreSQL. */
export interface Session {
  readonly serverInfo: ServerInfo;
  readonly backendPid: number;
  /**
   * Runs exactly one statement (a second one in the text is refused, never executed). `prepared`
   * names a query Drydock runs many times (its own probes): the server may keep it planned under
   * that name for the session (a backend without prepared statements just runs it).
   */
  query(sql: string, params?: unknown[], prepared?: string): Promise<QueryOutcome>;
  /**
   * Runs the statements one after the other without waiting for each answer before sending the
   * next: each is its own extended-protocol statement (exactly one statement each, as `query`),
   * and after a failure the server runs none of the rest. Several at once only inside a
   * transaction: outside one, PostgreSQL makes the statements of one pipeline an implicit
   * transaction of their own (one statement goes as `query` sends it).
   * Rows are not kept (a migration's statements are run for their effects); never rejects for a
   * statement's failure, only for a misuse of the session.
   */
  pipeline(statements: readonly string[], options?: PipelineOptions): Promise<PipelineOutcome>;
  /**
   * Sends the text as one simple-protocol query, several statements and all, the way migration
   * tools send a file (the shadow's replay of earlier migrations). Never for the files a run checks.
   */
  execScript(sql: string): Promise<void>;
  /** Calls `listener` for every notice until the returned function is called. */
  onNotice(listener: (notice: NoticeReport) => void): () => void;
  /** Transaction state as of the server's last ReadyForQuery. */
  transactionState(): TransactionState;
  /** Cancels the running query (only when the backend's capabilities include `cancel`). */
  cancel(): Promise<void>;
  /** Calls `listener` once if the connection breaks. */
  onConnectionLost(listener: (err: Error) => void): void;
  close(): Promise<void>;
}

/** What a backend can do beyond running statements on one session. */
export interface BackendCapabilities {
  /** A running statement can be cancelled (a run's Cancel, the CLI's Ctrl-C). */
  cancel: boolean;
  /** Several sessions at once (a second connection to cancel from, lock contention). */
  concurrentSessions: boolean;
  /** statement_timeout and lock_timeout can end a statement (no timer fires inside PGlite's statements). */
  timeouts: boolean;
}

/** A database Drydock can open sessions on. */
export interface DatabaseBackend {
  /** Which implementation this is: "pg" or "pglite". */
  readonly kind: string;
  /** Where it goes, for messages: "user@host:port/database", never with a password. */
  readonly label: string;
  readonly capabilities: BackendCapabilities;
  /**
   * True when statements run on this thread (PGlite): a run then has no wait to fill with other
   * work. Otherwise (a server) this thread is free while a statement runs, and a run judges its
   * rules meanwhile.
   */
  readonly inProcess: boolean;
  /** Secrets this backend was given, for masking them in anything shown. */
  readonly secrets: readonly string[];
  openSession(): Promise<Session>;
}
