// Runs migration files against a real PostgreSQL: dry-run (always rolled back), apply (committed only
// when every statement and the verification succeed), or verify (read-only). Produces a RunReport.
import { performance } from 'node:perf_hooks';
import { classifyError } from './classify';
import type { ConnectionSettings } from './connection';
import { maskSecrets, secretsOf } from './connection';
import { buildFixQuery, referencedTableNeedingKey } from './fixQueries';
import { loadParser, parseMigrationSync, type ParsedFile, type ParsedStatement } from './parser';
import type { Diagnostic, ErrorReport, RunMode, RunReport, StatementReport } from './report';
import { openSession, serverIdentity, type ServerIdentity, type Session } from './session';
import { withDefaults, type DrydockSettings } from './settings';
import { relationSql } from './sqlNames';
import { verifyDeclaredObjects } from './verify';

export interface MigrationFile {
  path: string;
  text: string;
}

export interface RunProgress {
  file: string;
  statementIndex: number;
  /** Statements finished so far, across all files. */
  done: number;
  total: number;
  kind: string;
}

export interface RunOptions {
  mode: RunMode;
  connection: ConnectionSettings;
  settings?: Partial<DrydockSettings>;
  signal?: AbortSignal;
  onProgress?: (progress: RunProgress) => void;
  /**
   * The server the caller checked (e.g. a development-database mark). The run verifies it on its
   * own connection before anything is sent, so a host name that now points elsewhere is refused.
   */
  expectedServer?: ServerIdentity;
}

const SAVEPOINT = 'drydock_statement';
const FIX_ROW_LIMIT = 100;

function emptyReport(files: MigrationFile[], mode: RunMode): RunReport {
  return {
    reportVersion: 1, files: files.map((f) => f.path), mode, startedAt: new Date().toISOString(), server: null,
    committed: false, transactional: true, outcome: 'succeeded', statements: [], diagnostics: [], verification: [],
    inventory: [], indexUsage: [], leftovers: [], timings: { parseMs: 0, connectMs: 0, executeMs: 0, verifyMs: 0, totalMs: 0 },
  };
}

function statementReport(s: ParsedStatement, status: StatementReport['status'], note?: string): StatementReport {
  const report: StatementReport = {
    file: s.file, index: s.index, sql: s.sql, kind: s.kind, range: s.range, offsets: s.offsets,
    status, durationMs: 0, rows: null, notices: [],
  };
  if (note) report.note = note;
  return report;
}

function refusal(file: ParsedFile, s: ParsedStatement, code: string, message: string): Diagnostic {
  return { file: file.file, severity: 'error', code, message, offsets: s.offsets, range: s.range };
}

/** Decides, before connecting, whether the files may run in this mode and whether in a transaction. */
function planRun(parsed: ParsedFile[], mode: RunMode): { refusals: Diagnostic[]; transactional: boolean } {
  const refusals: Diagnostic[] = [];
  let transactional = true;
  if (mode !== 'apply') return { refusals, transactional };
  for (const file of parsed) {
    const needsOutside = file.statements.filter((s) => s.outsideTransaction);
    if (needsOutside.length === 0) continue;
    if (!file.noTransaction) {
      for (const s of needsOutside) {
        refusals.push(refusal(file, s, 'needs-no-transaction', `${s.outsideTransaction?.reason}: applying it inside Drydock's transaction would fail with 25001. `
          + 'Add a no-transaction directive (`-- drydock:no-transaction`, dbmate `transaction:false`, goose `-- +goose NO TRANSACTION`, graphile `--! no-transaction`) and apply the file on its own.'));
      }
    } else if (parsed.length > 1) {
      refusals.push(refusal(file, needsOutside[0]!, 'no-transaction-with-others', 'A no-transaction file cannot share an atomic apply with other files: apply it on its own.'));
    } else {
      transactional = false;
    }
  }
  return { refusals, transactional };
}

class Run {
  readonly report: RunReport;
  private session: Session | null = null;
  private cancelled = false;
  private running = false;
  private connectionLost: Error | null = null;
  private readonly settings: DrydockSettings;

  constructor(private readonly files: ParsedFile[], private readonly options: RunOptions, report: RunReport) {
    this.report = report;
    this.settings = withDefaults(options.settings ?? {});
  }

  private get secrets(): string[] {
    return secretsOf(this.options.connection);
  }

  private fail(error: ErrorReport): void {
    this.report.outcome = this.cancelled ? 'cancelled' : 'failed';
    this.report.error ??= error;
  }

  async execute(): Promise<void> {
    const signal = this.options.signal;
    const onAbort = () => {
      this.cancelled = true;
      if (this.running) this.session?.cancel().catch(() => undefined);
    };
    signal?.addEventListener('abort', onAbort);
    try {
      if (!(await this.connect())) return;
      if (signal?.aborted) onAbort();
      if (this.options.mode === 'verify') await this.verifyOnly();
      else if (this.report.transactional) await this.runInTransaction();
      else await this.runWithoutTransaction();
    } finally {
      signal?.removeEventListener('abort', onAbort);
      await this.session?.close();
    }
  }

  private async connect(): Promise<boolean> {
    const t0 = performance.now();
    try {
      this.session = await openSession(this.options.connection);
      this.session.onConnectionLost((err) => { this.connectionLost = err; });
      this.report.server = this.session.serverInfo;
      return await this.checkIdentity();
    } catch (err) {
      this.fail(classifyError(err));
      return false;
    } finally {
      this.report.timings.connectMs = performance.now() - t0;
    }
  }

  private async checkIdentity(): Promise<boolean> {
    const expected = this.options.expectedServer;
    if (!expected) return true;
    const actual = await serverIdentity(this.session!);
    if (actual.systemIdentifier === expected.systemIdentifier && actual.database === expected.database) return true;
    this.report.outcome = 'refused';
    // Not a service problem (retrying will not help): a database-category refusal of Drydock's own.
    this.report.error = {
      ...classifyError({ code: 'DRY02', message: `refused: the connection reaches server ${actual.systemIdentifier} database "${actual.database}", not the expected server ${expected.systemIdentifier} database "${expected.database}"` }),
      title: 'Not the expected server',
    };
    return false;
  }

  private async timeouts(scope: 'LOCAL' | 'SESSION'): Promise<void> {
    const session = this.session!;
    await session.query(`SET ${scope} lock_timeout = '${Math.round(this.settings.lockTimeoutMs)}ms'`);
    await session.query(`SET ${scope} statement_timeout = '${Math.round(this.settings.statementTimeoutMs)}ms'`);
  }

  private async verifyOnly(): Promise<void> {
    const session = this.session!;
    await session.query('BEGIN READ ONLY');
    try {
      await this.timeouts('LOCAL');
      await this.verify();
    } catch (err) {
      this.fail(classifyError(err));
    } finally {
      await session.query('ROLLBACK').catch(() => undefined);
    }
  }

  private async runInTransaction(): Promise<void> {
    const session = this.session!;
    try {
      await session.query('BEGIN');
      await this.timeouts('LOCAL');
      const ok = await this.runStatements(true);
      if (ok) await this.verify();
      // A cancel that lands during verification still stops the commit.
      if (ok && !this.cancelled && this.report.outcome === 'succeeded' && this.options.mode === 'apply') await this.commit();
      else if (this.cancelled) this.report.outcome = 'cancelled';
    } catch (err) {
      this.fail(classifyError(err));
    } finally {
      if (!this.report.committed) await session.query('ROLLBACK').catch(() => undefined);
    }
  }

  private async commit(): Promise<void> {
    try {
      const result = await this.session!.query('COMMIT');
      // COMMIT of an aborted transaction answers ROLLBACK instead of failing.
      this.report.committed = result.command === 'COMMIT';
      if (!this.report.committed) this.fail(classifyError({ code: '40000', message: 'the transaction was rolled back by the server instead of committed' }));
    } catch (err) {
      const error = classifyError(err);
      if (error.category === 'operational' && error.sqlstate.startsWith('08')) {
        this.fail({ ...classifyError({ code: '08007', message: `the connection failed during COMMIT; whether it committed is unknown: ${error.message}` }) });
      } else {
        this.fail(error);
      }
    }
  }

  private async runWithoutTransaction(): Promise<void> {
    try {
      await this.timeouts('SESSION');
      const ok = await this.runStatements(false);
      this.report.committed = this.report.statements.some((s) => s.status === 'ok');
      if (ok) await this.verify();
    } catch (err) {
      this.fail(classifyError(err));
    }
  }

  private allStatements(): ParsedStatement[] {
    return this.files.flatMap((f) => f.statements);
  }

  /** Runs every statement in order; false once one failed (the rest are reported skipped). */
  private async runStatements(inTransaction: boolean): Promise<boolean> {
    const all = this.allStatements();
    const t0 = performance.now();
    let failed = false;
    for (const [done, s] of all.entries()) {
      const file = this.files.find((f) => f.file === s.file)!;
      if (failed || this.cancelled) {
        this.report.statements.push(statementReport(s, 'skipped', this.cancelled && !failed ? 'not run: the run was cancelled' : 'not run: an earlier statement failed'));
        continue;
      }
      if (s.role === 'wrapper') {
        this.report.statements.push(statementReport(s, 'skipped', 'transaction wrapper: Drydock runs the files in its own transaction'));
        continue;
      }
      this.options.onProgress?.({ file: s.file, statementIndex: s.index, done, total: all.length, kind: s.kind });
      const report = await this.runStatement(file, s, inTransaction);
      this.report.statements.push(report);
      failed = report.status === 'failed';
    }
    this.report.timings.executeMs = performance.now() - t0;
    return !failed && !this.cancelled;
  }

  private async runStatement(file: ParsedFile, s: ParsedStatement, inTransaction: boolean): Promise<StatementReport> {
    const session = this.session!;
    const simulate = this.options.mode === 'dry-run' && s.outsideTransaction !== null;
    if (simulate && s.simulatedSql === null) {
      return statementReport(s, 'simulated', `not executed: ${s.outsideTransaction!.reason}; a dry-run cannot run it and roll it back`);
    }
    const sql = simulate ? s.simulatedSql! : s.sql;
    const report = statementReport(s, simulate ? 'simulated' : 'ok', simulate ? `ran as: ${sql} (${s.outsideTransaction!.reason})` : undefined);
    const useSavepoint = inTransaction && this.settings.runFixQueries;
    const stopNotices = session.onNotice((n) => report.notices.push(n));
    const t0 = performance.now();
    try {
      if (useSavepoint) await session.query(`SAVEPOINT ${SAVEPOINT}`);
      this.running = true;
      const result = await session.query(sql);
      this.running = false;
      report.rows = result.rowCount;
      if (useSavepoint) await session.query(`RELEASE SAVEPOINT ${SAVEPOINT}`);
      if (inTransaction && session.transactionState() === 'idle') {
        throw Object.assign(new Error('the statement ended the transaction Drydock runs the file in'), { code: '2D000' });
      }
    } catch (err) {
      this.running = false;
      report.status = 'failed';
      report.error = classifyError(this.connectionLost ?? err, { file: file.file, sql: s.sql, offsets: s.offsets, lines: file.lines });
      report.error.message = maskSecrets(report.error.message, this.secrets);
      this.fail(report.error);
      if (!this.connectionLost) await this.explainFailure(s, report.error, useSavepoint);
    } finally {
      report.durationMs = performance.now() - t0;
      stopNotices();
    }
    return report;
  }

  /** Runs the read-only fix query for a failure, and reports INVALID indexes a CONCURRENTLY build left. */
  private async explainFailure(s: ParsedStatement, error: ErrorReport, inSavepoint: boolean): Promise<void> {
    const session = this.session!;
    try {
      if (inSavepoint) await session.query(`ROLLBACK TO SAVEPOINT ${SAVEPOINT}`);
      if (!this.report.transactional) await this.reportLeftoverIndexes(s);
      if (!this.settings.runFixQueries) return;
      const referenced = referencedTableNeedingKey(s);
      const key = referenced ? await this.primaryKeyOf(referenced.schema, referenced.table) : null;
      const fixQuery = buildFixQuery(s, error, key);
      if (!fixQuery) return;
      error.fixQuery = fixQuery;
      if (!this.report.transactional) await session.query('BEGIN READ ONLY');
      else await session.query('SET LOCAL transaction_read_only = on');
      const result = await session.query(`SELECT * FROM (${fixQuery}) AS fix LIMIT ${FIX_ROW_LIMIT}`);
      error.fixRows = result.rows;
      if (!this.report.transactional) await session.query('ROLLBACK');
    } catch {
      // The explanation is best effort; the failure itself is already reported.
    }
  }

  private async primaryKeyOf(schema: string | null, table: string): Promise<string[] | null> {
    const result = await this.session!.query(
      `SELECT array_agg(a.attname ORDER BY k.n)::text[] AS cols FROM pg_constraint c
       CROSS JOIN unnest(c.conkey) WITH ORDINALITY k(attnum, n) JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
       WHERE c.conrelid = to_regclass($1) AND c.contype = 'p'`, [relationSql(schema, table)]);
    return (result.rows[0]?.cols as string[] | null) ?? null;
  }

  private async reportLeftoverIndexes(s: ParsedStatement): Promise<void> {
    if (!('IndexStmt' in s.node) || !s.node.IndexStmt.concurrent || !s.node.IndexStmt.idxname) return;
    const name = s.node.IndexStmt.idxname;
    const result = await this.session!.query(
      'SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE NOT i.indisvalid AND i.indexrelid = to_regclass($1)',
      [relationSql(s.node.IndexStmt.relation?.schemaname ?? null, name)]);
    for (const row of result.rows) {
      this.report.leftovers.push(`${String(row.relname)}: INVALID index left by the failed CREATE INDEX CONCURRENTLY; DROP INDEX CONCURRENTLY it before retrying`);
    }
  }

  private async verify(): Promise<void> {
    const t0 = performance.now();
    try {
      const result = await verifyDeclaredObjects(this.session!, this.files);
      this.report.verification = result.checks;
      this.report.inventory = result.inventory;
      this.report.indexUsage = result.indexUsage;
      const first = result.failures[0];
      if (first) {
        this.fail({ ...classifyError({ code: 'DRY01', message: `verification failed: ${first.kind} ${first.name} is ${first.status}: ${first.detail}` }), sqlstate: 'DRY01', title: 'Verification failed', file: first.file });
      }
    } catch (err) {
      this.fail(classifyError(err));
    } finally {
      this.report.timings.verifyMs = performance.now() - t0;
    }
  }
}

/** Parses, then runs the files in order in one run (one transaction unless a no-transaction apply). */
export async function runMigrations(files: MigrationFile[], options: RunOptions): Promise<RunReport> {
  const t0 = performance.now();
  const report = emptyReport(files, options.mode);
  await loadParser();
  const parsed = files.map((f) => parseMigrationSync(f.path, f.text));
  report.timings.parseMs = performance.now() - t0;
  report.diagnostics = parsed.flatMap((p) => p.diagnostics);
  const plan = planRun(parsed, options.mode);
  report.diagnostics.push(...plan.refusals);
  report.transactional = plan.transactional;
  if (parsed.some((p) => !p.runnable) || plan.refusals.length > 0) {
    report.outcome = 'refused';
    if (options.mode !== 'verify') {
      report.statements = parsed.flatMap((p) => p.statements.map((s) => statementReport(s, 'skipped', 'not run: the run was refused before anything was sent (see diagnostics)')));
    }
  } else {
    await new Run(parsed, options, report).execute();
  }
  report.timings.totalMs = performance.now() - t0;
  return report;
}
