// Drydock's own queries inside the run's transaction (the probes' catalog lookups, verification,
// fix queries) run with the settings the migration left: a `SET statement_timeout = '1ms'` made
// them fail and aborted the transaction (reported as the migration's failure), and a
// `SET search_path = evil, pg_catalog, …` with an `evil.to_regclass()` made them read a function
// of the migration's. Any statement may change settings (a function it calls, a trigger it fires
// can call set_config), so each own query in a transaction is guarded: the settings it depends on
// are set for it (pg_catalog first on the search path, no statement timeout) and then given back
// exactly the values the migration had, so nothing the migration's later statements see differs.
import { randomBytes } from 'node:crypto';
import type { PipelineOptions, PipelineOutcome, QueryOutcome, Session, TransactionState } from '../db/backend';
import type { NoticeReport, ServerInfo } from '../model/report';

/** The settings an own query depends on, and the value it needs (search_path: pg_catalog put first). */
const GUARDED = ['search_path', 'statement_timeout', 'quote_all_identifiers', 'standard_conforming_strings'] as const;

// One round trip: the migration's values, read before they are set for Drydock's query (the
// subquery runs first), so they can be given back afterwards.
const GUARD_QUERY = `SELECT saved.*,
  pg_catalog.set_config('search_path', CASE WHEN saved.search_path = '' THEN 'pg_catalog' ELSE 'pg_catalog, ' || saved.search_path END, true) AS a,
  pg_catalog.set_config('statement_timeout', '0', true) AS b,
  pg_catalog.set_config('quote_all_identifiers', 'off', true) AS c,
  pg_catalog.set_config('standard_conforming_strings', 'on', true) AS d
FROM (SELECT ${GUARDED.map((name) => `pg_catalog.current_setting('${name}') AS ${name}`).join(', ')}) AS saved`;

// Chosen once per process: a migration cannot spell a prepared statement's name it never sees.
const SESSION_NONCE = randomBytes(6).toString('hex');

const RESTORE_QUERY = `SELECT ${GUARDED.map((name, i) => `pg_catalog.set_config('${name}', $${i + 1}, true)`).join(', ')}`;

/**
 * The run's session as Drydock's own queries use it: `query` is guarded inside a transaction, once
 * `guarding()` says the migration may have changed settings (any statement of it was sent);
 * everything else is the session itself.
 */
export class OwnQuerySession implements Session {
  /**
   * `guarding`: whether the migration may have changed settings. `preparedGeneration`: how many
   * statements that drop prepared statements (DEALLOCATE, DISCARD) the migration sent so far.
   */
  constructor(private readonly session: Session, private readonly guarding: () => boolean, private readonly preparedGeneration: () => number = () => 0) {}

  /**
   * The name Drydock's prepared statement goes by on this session: one the migration cannot know
   * (it could PREPARE a statement of that name and have Drydock read its answers), and a new one
   * after the migration deallocated prepared statements (the driver would still take the old one
   * for prepared, and the server would refuse it).
   */
  private preparedName(prepared: string | undefined): string | undefined {
    return prepared === undefined ? undefined : `${prepared}_${SESSION_NONCE}_${this.preparedGeneration()}`;
  }

  get serverInfo(): ServerInfo {
    return this.session.serverInfo;
  }

  get backendPid(): number {
    return this.session.backendPid;
  }

  async query(sql: string, params?: unknown[], prepared?: string): Promise<QueryOutcome> {
    // Outside a transaction block SET LOCAL would not last to the query: nothing to guard there.
    const name = this.preparedName(prepared);
    if (!this.guarding() || this.session.transactionState() !== 'in-transaction') return this.session.query(sql, params, name);
    const saved = (await this.session.query(GUARD_QUERY)).rows[0] ?? {};
    const result = await this.session.query(sql, params, name);
    await this.session.query(RESTORE_QUERY, GUARDED.map((name) => String(saved[name] ?? '')));
    return result;
  }

  pipeline(statements: readonly string[], options?: PipelineOptions): Promise<PipelineOutcome> {
    return this.session.pipeline(statements, options);
  }

  execScript(sql: string): Promise<void> {
    return this.session.execScript(sql);
  }

  onNotice(listener: (notice: NoticeReport) => void): () => void {
    return this.session.onNotice(listener);
  }

  transactionState(): TransactionState {
    return this.session.transactionState();
  }

  cancel(): Promise<void> {
    return this.session.cancel();
  }

  onConnectionLost(listener: (err: Error) => void): void {
    this.session.onConnectionLost(listener);
  }

  close(): Promise<void> {
    return this.session.close();
  }
}
