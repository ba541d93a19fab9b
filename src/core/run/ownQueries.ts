// Drydock's own queries inside the run's transaction (the probes' catalog lookups, verification,
// fix queries) run with the settings the migration left: a `SET statement_timeout = '1ms'` made
// them fail and aborted the transaction (reported as the migration's failure), and a
// `SET search_path = evil, pg_catalog, …` with an `evil.to_regclass()` made them read a function
// of the migration's. Once a statement that may change settings has run, each own query is
// guarded: the settings it depends on are set for it (pg_catalog first on the search path, no
// statement timeout) and then given back exactly the values the migration had set, so nothing the
// migration's later statements see differs. Until then (most runs) nothing is added.
import type { PipelineOptions, PipelineOutcome, QueryOutcome, Session, TransactionState } from '../db/backend';
import type { NoticeReport, ServerInfo } from '../model/report';
import type { ParsedStatement } from '../parse/parseMigration';

// Statements that change session settings, or run code that might.
const MAY_CHANGE_SETTINGS = new Set(['VariableSetStmt', 'DiscardStmt', 'DoStmt', 'CallStmt', 'ExecuteStmt']);

/** True when running the statement may change a setting Drydock's own queries depend on. */
export function mayChangeSettings(s: ParsedStatement): boolean {
  return MAY_CHANGE_SETTINGS.has(Object.keys(s.node)[0] ?? '') || /set_config/i.test(s.sql);
}

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

const RESTORE_QUERY = `SELECT ${GUARDED.map((name, i) => `pg_catalog.set_config('${name}', $${i + 1}, true)`).join(', ')}`;

/**
 * The run's session as Drydock's own queries use it: `query` is guarded once `guarding()` says a
 * statement that may change settings ran; everything else is the session itself.
 */
export class OwnQuerySession implements Session {
  constructor(private readonly session: Session, private readonly guarding: () => boolean) {}

  get serverInfo(): ServerInfo {
    return this.session.serverInfo;
  }

  get backendPid(): number {
    return this.session.backendPid;
  }

  async query(sql: string, params?: unknown[], prepared?: string): Promise<QueryOutcome> {
    // Outside a transaction block SET LOCAL would not last to the query: nothing to guard there.
    if (!this.guarding() || this.session.transactionState() !== 'in-transaction') return this.session.query(sql, params, prepared);
    const saved = (await this.session.query(GUARD_QUERY)).rows[0] ?? {};
    const result = await this.session.query(sql, params, prepared);
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
