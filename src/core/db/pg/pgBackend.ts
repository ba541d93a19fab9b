// The database-backend port implemented with `pg` over TCP: the only importer of `pg` in the
// project. Tests run this real implementation against real servers.
import { Client, DatabaseError, type ClientConfig, type QueryConfig, type QueryResult } from 'pg';
import type { NoticeReport, ServerInfo } from '../../model/report';
import { noticeOf, type DatabaseBackend, type NoticeMessage, type PipelineOptions, type PipelineOutcome, type QueryOutcome, type Session, type TransactionState } from '../backend';
import { describeConnection, keywordSettings, maskSecrets, secretsOf, type ConnectionSettings } from '../connection';
import { runPipeline } from './pgPipeline';

/** pg lets a connection string override a separate password, so a stored password goes into the URL (in memory only). */
function withPassword(connectionString: string, password: string | undefined): string {
  if (!password) return connectionString;
  try {
    const url = new URL(connectionString);
    if (url.password) return connectionString;
    url.password = encodeURIComponent(password); // the setter leaves '%' as is; pg decodes it
    return url.toString();
  } catch {
    return connectionString; // key=value strings keep their own password handling
  }
}

function clientConfig(settings: ConnectionSettings): ClientConfig {
  const config: ClientConfig = {
    application_name: settings.applicationName ?? 'drydock',
    connectionTimeoutMillis: settings.connectTimeoutMs ?? 10_000,
    // Set by the server at connection start, before any statement: nothing this session runs can write.
    ...(settings.readOnly ? { options: '-c default_transaction_read_only=on' } : {}),
  };
  const keywords = settings.connectionString ? keywordSettings(settings.connectionString) : null;
  if (keywords) return clientConfig({ ...settings, ...keywords, connectionString: undefined });
  if (settings.connectionString) config.connectionString = withPassword(settings.connectionString, settings.password);
  if (settings.host) config.host = settings.host;
  if (settings.port) config.port = settings.port;
  if (settings.database) config.database = settings.database;
  if (settings.user) config.user = settings.user;
  if (settings.password) config.password = settings.password;
  if (settings.sslmode && settings.sslmode !== 'disable' && settings.sslmode !== 'prefer') {
    config.ssl = { rejectUnauthorized: settings.sslmode === 'verify-ca' || settings.sslmode === 'verify-full' };
  }
  return config;
}

const TRANSACTION_STATES: Record<string, TransactionState> = { I: 'idle', T: 'in-transaction', E: 'failed' };

class PgSession implements Session {
  private lost = false;

  constructor(
    private readonly client: Client,
    private readonly settings: ConnectionSettings,
    readonly serverInfo: ServerInfo,
    readonly backendPid: number,
  ) {}

  async query(sql: string, params?: unknown[], prepared?: string): Promise<QueryOutcome> {
    // The extended protocol runs exactly one statement: text holding a second one (a smuggled
    // COMMIT, say) is refused by the server instead of executed.
    const config = { text: sql, values: params ?? [], queryMode: 'extended', ...(prepared ? { name: prepared } : {}) } as QueryConfig;
    const result: QueryResult = await this.client.query(config).catch((err: unknown) => this.settled(err));
    return {
      rows: result.rows ?? [],
      rowCount: result.rowCount ?? null,
      fields: (result.fields ?? []).map((f) => f.name),
      command: result.command ?? '',
    };
  }

  pipeline(statements: readonly string[], options?: PipelineOptions): Promise<PipelineOutcome> {
    return runPipeline(this.client, statements, options);
  }

  async execScript(sql: string): Promise<void> {
    // Text without parameters goes as a simple query: the server runs every statement in it.
    await this.client.query(sql).catch((err: unknown) => this.settled(err));
  }

  /**
   * Rethrows a query's failure once the server said what became of the transaction. pg rejects
   * as soon as the error arrives, and the ReadyForQuery after it (the transaction aborted, or none
   * left after a COMMIT earlier in the query) may come in a later read: transactionState() read
   * right after the failure would still say what it was before the query. A FATAL error is followed
   * by the connection's end instead.
   */
  private async settled(err: unknown): Promise<never> {
    const answering = (this.client as unknown as { readyForQuery?: boolean }).readyForQuery === false;
    const final = err instanceof DatabaseError && (err.severity === 'FATAL' || err.severity === 'PANIC');
    if (err instanceof DatabaseError && answering && !final && !this.lost) {
      const connection = this.client.connection;
      const events = ['readyForQuery', 'end', 'error'] as const;
      await new Promise<void>((resolve) => {
        const done = () => {
          for (const event of events) connection.off(event, done);
          resolve();
        };
        for (const event of events) connection.on(event, done);
      });
    }
    throw err;
  }

  onNotice(listener: (notice: NoticeReport) => void): () => void {
    const handler = (msg: NoticeMessage) => listener(noticeOf(msg));
    this.client.on('notice', handler);
    return () => this.client.off('notice', handler);
  }

  transactionState(): TransactionState {
    if (this.lost) return 'unknown';
    const status = (this.client as unknown as { getTransactionStatus?: () => string | null }).getTransactionStatus?.();
    return (status ? TRANSACTION_STATES[status] : undefined) ?? 'unknown';
  }

  async cancel(): Promise<void> {
    const canceller = new Client(clientConfig(this.settings));
    try {
      await canceller.connect();
      await canceller.query('SELECT pg_cancel_backend($1)', [this.backendPid]);
    } finally {
      await canceller.end().catch(() => undefined);
    }
  }

  onConnectionLost(listener: (err: Error) => void): void {
    this.client.once('error', (err: Error) => {
      this.lost = true;
      listener(err);
    });
  }

  async close(): Promise<void> {
    await this.client.end().catch(() => undefined);
  }
}

/** Opens a session; connection errors are rethrown with passwords masked. */
async function openPgSession(settings: ConnectionSettings): Promise<Session> {
  const client = new Client(clientConfig(settings));
  // Until a run installs its own listener, a dropped connection must not crash the process.
  client.on('error', () => undefined);
  try {
    await client.connect();
    // Between a run's statements Drydock itself is busy (judging, measuring) while its transaction
    // waits: those pauses are not the migration's, so an idle_in_transaction_session_timeout from
    // the URL, the role or the database must not end the session in one. Turned off for this
    // session only, in the query Drydock sends anyway.
    const info = await client.query<{ version: string; num: string; db: string; usr: string; pid: number }>(
      "SELECT current_setting('server_version') AS version, current_setting('server_version_num') AS num, current_database() AS db, current_user AS usr, pg_backend_pid() AS pid, " +
      "set_config('idle_in_transaction_session_timeout', '0', false) AS idle_timeout",
    );
    const row = info.rows[0]!;
    return new PgSession(client, settings, { version: row.version, versionNum: Number(row.num), database: row.db, user: row.usr }, row.pid);
  } catch (err) {
    await client.end().catch(() => undefined);
    if (err instanceof Error) err.message = maskSecrets(err.message, secretsOf(settings));
    throw err;
  }
}

/** A backend that opens `pg` connections with these (already resolved) settings. */
export function pgBackend(settings: ConnectionSettings): DatabaseBackend {
  const secrets = secretsOf(settings);
  return {
    kind: 'pg',
    label: maskSecrets(describeConnection(settings), secrets),
    inProcess: false,
    capabilities: { cancel: true, concurrentSessions: true, timeouts: true },
    secrets,
    openSession: () => openPgSession(settings),
  };
}
