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
