// Lazy access to the core engine. Importing the parser loads a WebAssembly module and the pg
// backend pulls in `pg`; neither belongs in activation, so they are loaded on the first command or
// save that needs them (esbuild keeps dynamic imports lazy inside the bundle).
import type { DatabaseBackend } from '../core/db/backend';
import type { ConnectionSettings } from '../core/db/connection';
import type { ServerIdentity } from '../core/db/identity';
import type { FormatOptions, FormatOutcome } from '../core/format/formatSql';
import type { RunReport, ServerInfo } from '../core/model/report';
import type { ParsedFile } from '../core/parse/parseMigration';
import type { MigrationFile, RunOptions } from '../core/run/runner';
import type { ShadowHost } from '../core/shadow/shadowHost';
import type { ShadowRunOptions, ShadowTarget } from '../core/shadow/shadowRun';

/** Parses one file with the real PostgreSQL parser (loaded on first use): its statements and syntax error, no rules judged. */
export async function parseFile(file: string, text: string): Promise<ParsedFile> {
  const parser = await import('../core/parse/parseMigration');
  await parser.loadParser();
  return parser.parseMigrationSync(file, text);
}

/** The core modules the editor's check, hover and code actions use, with the parser loaded. */
export interface CheckEngine {
  analysis: typeof import('../core/analyse/fileAnalysis');
  config: typeof import('../core/config/drydockConfig');
  registry: typeof import('../core/rules/registry');
  rules: typeof import('../core/rules/checkMigration');
  parser: typeof import('../core/parse/parseMigration');
  history: typeof import('../core/shadow/history');
  ignoreFixes: typeof import('../core/rules/fixes/ignoreFixes');
  statementInfo: typeof import('../core/rules/statementInfo');
}

let checkEngineLoad: Promise<CheckEngine> | undefined;

/** Loads (once) what checking a file in the editor needs, the parser's WebAssembly included. */
export function checkEngine(): Promise<CheckEngine> {
  checkEngineLoad ??= (async () => {
    const [analysis, config, registry, rules, parser, history, ignoreFixes, statementInfo] = await Promise.all([
      import('../core/analyse/fileAnalysis'), import('../core/config/drydockConfig'), import('../core/rules/registry'),
      import('../core/rules/checkMigration'), import('../core/parse/parseMigration'), import('../core/shadow/history'),
      import('../core/rules/fixes/ignoreFixes'), import('../core/rules/statementInfo'),
    ]);
    await parser.loadParser();
    return { analysis, config, registry, rules, parser, history, ignoreFixes, statementInfo };
  })();
  // A failed load (a missing wasm file) is retried by the next caller rather than cached.
  checkEngineLoad.catch(() => {
    checkEngineLoad = undefined;
  });
  return checkEngineLoad;
}

/** A migration file's bytes as text, or null when they are not UTF-8 (core's decoding, as the CLI reads files). */
export async function decodeFileText(bytes: Uint8Array): Promise<string | null> {
  const parser = await import('../core/parse/parseMigration');
  return parser.decodeMigrationText(bytes);
}

/** Formats SQL text with core's formatter (the parser it checks meaning with is loaded on first use). */
export async function formatText(text: string, options: FormatOptions): Promise<FormatOutcome> {
  const [parser, formatter] = await Promise.all([import('../core/parse/parseMigration'), import('../core/format/formatSql')]);
  await parser.loadParser();
  return formatter.formatSql(text, options);
}

/** The pg backend for resolved connection settings. */
export async function pgBackendFor(settings: ConnectionSettings): Promise<DatabaseBackend> {
  const pg = await import('../core/db/pg/pgBackend');
  return pg.pgBackend(settings);
}

/** Runs migration files through core (dry-run, apply or verify). */
export async function runFiles(files: MigrationFile[], options: RunOptions): Promise<RunReport> {
  const runner = await import('../core/run/runner');
  return runner.runMigrations(files, options);
}

/** The identity of the server and database a backend reaches right now. */
export async function identify(backend: DatabaseBackend): Promise<{ identity: ServerIdentity; server: ServerInfo }> {
  const [{ withSession }, { serverIdentity }] = await Promise.all([import('../core/db/withSession'), import('../core/db/identity')]);
  return withSession(backend, async (session) => ({ identity: await serverIdentity(session), server: session.serverInfo }));
}

/** Runs one query inside a read-only transaction that is rolled back. */
export async function readOnlyQuery(backend: DatabaseBackend, sql: string): Promise<{ fields: string[]; rows: Record<string, unknown>[] }> {
  const { runReadOnlyQuery } = await import('../core/db/withSession');
  return runReadOnlyQuery(backend, sql);
}

/** Where a shadow lives: PGlite with snapshots kept in `cacheDir`, or scratch databases on a server. */
export type ShadowChoice =
  | { kind: 'pglite'; cacheDir: string }
  | { kind: 'scratch-database'; server: ConnectionSettings; projectDatabases: readonly string[] };

/**
 * The one place a shadow host is made (PGlite itself boots on the first run): swapping the
 * implementation (a PGlite in a worker thread) changes this function only.
 */
export async function createShadowHost(choice: ShadowChoice): Promise<ShadowHost> {
  if (choice.kind === 'scratch-database') {
    const { ScratchDatabaseShadow } = await import('../core/shadow/scratchDatabase');
    return new ScratchDatabaseShadow({ server: choice.server, projectDatabases: choice.projectDatabases });
  }
  // In a worker thread: a cancel or statement_timeout ends the worker mid-statement, and the server keeps answering meanwhile.
  const { WorkerShadow } = await import('../core/shadow/worker/workerShadow');
  return new WorkerShadow({ cacheDir: choice.cacheDir });
}

/** Dry-runs files on a shadow after replaying the migrations before them. */
export async function runShadow(targets: ShadowTarget[], options: ShadowRunOptions): Promise<RunReport> {
  const shadow = await import('../core/shadow/shadowRun');
  return shadow.runShadowDryRun(targets, options);
}

/**
 * Runs one query read-only on the shadow in the state the targets' dry-run starts from (the history
 * before them replayed, the runner's setup sent first). A host that runs whole dry-runs elsewhere
 * (the PGlite worker) lends no backend: the query then goes to a PGlite in this thread, restored
 * from the snapshot the worker's run left in `cacheDir`, and closed after the query.
 */
export async function readOnlyQueryOnShadow(targets: ShadowTarget[], shadow: { host: ShadowHost; cacheDir: string | null } & Pick<ShadowRunOptions, 'setup' | 'tool' | 'migrationsFolder' | 'noTransactionDirective'>, sql: string): Promise<{ fields: string[]; rows: Record<string, unknown>[] }> {
  const [runner, { runReadOnlyQuery }] = await Promise.all([import('../core/shadow/shadowRun'), import('../core/db/withSession')]);
  const { host: _host, cacheDir: _cacheDir, ...replay } = shadow;
  const query = (host: ShadowHost) => runner.onPreparedShadow(targets, { ...replay, host }, (backend) => runReadOnlyQuery(backend, sql));
  if (!shadow.host.runDryRun) return query(shadow.host);
  const { PgliteShadow } = await import('../core/shadow/pgliteShadow');
  const inThread = new PgliteShadow({ cacheDir: shadow.cacheDir });
  try {
    return await query(inThread);
  } finally {
    await inThread.close();
  }
}
