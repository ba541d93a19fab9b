// `drydock dry-run | apply | verify`: run the files on PostgreSQL through core's runner.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { lintSettingsOf } from '../../core/config/drydockConfig';
import { connectionEndpoint, describeConnection, maskSecrets, secretsOf, type ConnectionSettings } from '../../core/db/connection';
import { pgBackend } from '../../core/db/pg/pgBackend';
import { withSession } from '../../core/db/withSession';
import { appliedMigrations } from '../../core/shadow/appliedMigrations';
import type { LintSettings } from '../../core/model/lintSettings';
import { RUN_MODES, type RunMode } from '../../core/model/runModes';
import type { RunReport } from '../../core/model/report';
import { renderRunOutcome, runReportChunks, type OutputFormat } from '../../core/output/formats';
import { visibleText } from '../../core/output/visibleText';
import { runMigrations, type MigrationFile, type RunProgress } from '../../core/run/runner';
import { ScratchDatabaseShadow } from '../../core/shadow/scratchDatabase';
import { runShadowDryRun } from '../../core/shadow/shadowRun';
import type { ShadowHost } from '../../core/shadow/shadowHost';
import { WorkerShadow } from '../../core/shadow/worker/workerShadow';
import { compileWasmForShortRun } from '../baselineWasm';
import { shadowCacheDir } from '../cacheDir';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, UsageError, environmentSecrets, readMigrationFiles, resolveCliConnection, wantsColor, type Io } from '../io';
import { expandRunPaths } from '../runPaths';
import { shadowConfigOf, type ShadowConfig } from '../shadowConfig';
import { fileLintSettings } from '../lintConfig';
import { OUTPUT_OPTIONS, milliseconds, outputFormatOf, parseCommandArgs } from '../options';
import { writeReport } from '../reportOutput';
import { TOOL_VERSION } from '../toolVersion';
import { docsBaseUri } from '../docsBase';
import { readSource } from '../readSource';
import type { CommandRun } from './command';
import { STDIN_NAME, STDIN_OPTIONS, readStdinMigration, readsStdin } from '../stdinInput';

const RUN_OPTIONS = {
  ...OUTPUT_OPTIONS,
  db: { type: 'string' },
  yes: { type: 'boolean' },
  'lock-timeout': { type: 'string' },
  'statement-timeout': { type: 'string' },
  reference: { type: 'string' },
  shadow: { type: 'boolean' },
  'shadow-db': { type: 'string' },
  'shadow-setup': { type: 'string', multiple: true },
  all: { type: 'boolean' },
  ...STDIN_OPTIONS,
} as const;

// The variables through which libpq (and so the CLI) finds a server: with none of them, and no
// --db, nothing is configured and a dry-run goes to the shadow.
const CONNECTION_VARIABLES = ['DATABASE_URL', 'PGHOST', 'PGHOSTADDR', 'PGPORT', 'PGDATABASE', 'PGUSER', 'PGSERVICE'];

/** True when no connection is configured at all (no --db, no DATABASE_URL, no PG* variables). */
function nothingConfigured(db: string | undefined, io: Io): boolean {
  return db === undefined && CONNECTION_VARIABLES.every((name) => !io.env[name]);
}

/** What to say when apply or verify has no database: where one can come from, and that a dry-run needs none. */
function noDatabaseMessage(mode: RunMode): string {
  return `${mode} needs a database and none was given: pass --db postgres://user@host:5432/dbname, or set DATABASE_URL or libpq's PG* variables (PGHOST, PGDATABASE, PGUSER; the password in PGPASSWORD or ~/.pgpass). `
    + 'A dry-run needs none: without a database it runs on the shadow (PGlite, the earlier migrations replayed), as --shadow asks for';
}

/**
 * The files a dry-run on a database runs: those its migration tool's bookkeeping table does not
 * list as applied. A dry-run answers "what will the next deploy do", and the tool runs only what
 * is pending: running the applied ones again fails with "already exists" (42P07) and says nothing
 * about the deploy. Said on stderr whenever a file is left out; --all runs every file given. A
 * database that cannot be read here is left for the run to report.
 */
async function leaveOutApplied(files: MigrationFile[], connection: ConnectionSettings, io: Io, secrets: readonly string[]): Promise<MigrationFile[]> {
  const targets = files.map((f) => ({ absolutePath: path.resolve(io.cwd(), f.path), shown: f.path }));
  const found = await withSession(pgBackend(connection), (session) => appliedMigrations(session, targets)).catch(() => null);
  if (!found || found.applied.length === 0) return files;
  const applied = new Set(found.applied);
  const pending = files.filter((f) => !applied.has(f.path));
  const left = pending.length === 0 ? 'every file given is applied: nothing is pending, nothing was run' : `dry-running the ${pending.length} pending`;
  io.stderr.write(maskSecrets(`drydock: ${found.table} (${found.tool}'s bookkeeping) lists ${found.applied.length} of these files as applied: ${found.applied.join(', ')}; ${left}. --all dry-runs them too\n`, secrets));
  return pending;
}

/** Where the run's connection came from, in the words the user configured it with. */
function connectionSource(db: string | undefined, io: Io): string {
  if (db !== undefined) return '--db';
  if (io.env.DATABASE_URL) return 'DATABASE_URL';
  const set = CONNECTION_VARIABLES.filter((name) => io.env[name]);
  return set.length > 0 ? set.join(', ') : "libpq's defaults";
}

/**
 * A line on stderr for a run that never reached its database: which connection was tried, where it
 * came from and what to check, beside the classified error the report holds.
 */
function connectionAdvice(report: RunReport, connection: ConnectionSettings, source: string): string | null {
  const e = report.error;
  if (report.server !== null || !e) return null;
  const tried = `drydock: could not connect to ${describeConnection(connection)} (from ${source})`;
  if (e.sqlstate === '28P01' && secretsOf(connection).length === 0) {
    return `${tried}: the server asks for a password and none was given. Put it in the URL (postgres://user:PASSWORD@host/db), PGPASSWORD or ~/.pgpass`;
  }
  if (e.sqlstate.startsWith('28')) return `${tried}: the server refused the user or password`;
  if (e.sqlstate === '3D000') return `${tried}: that database does not exist on the server`;
  if (e.sqlstate.startsWith('08')) return `${tried}: no server answered there. Is PostgreSQL running, and are the host and port right?`;
  return null;
}

interface ShadowChoice {
  host: ShadowHost;
  secrets: string[];
}

/**
 * The names the project's database goes by, whose `ALTER DATABASE … SET` the scratch database takes
 * instead: the --shadow-db URL's database and, when one is configured (--db, DATABASE_URL,
 * PGDATABASE), the development database's — the databases the migrations are applied to.
 */
function projectDatabases(server: ConnectionSettings, db: string | undefined, io: Io): string[] {
  const names = [connectionEndpoint(server).database];
  if (db !== undefined || io.env.DATABASE_URL || io.env.PGDATABASE) names.push(connectionEndpoint(resolveCliConnection(db, io)).database);
  return names;
}

/**
 * The shadow a dry-run goes to: a scratch database on --shadow-db's server, else PGlite in a worker
 * thread with the user's cache (so Ctrl-C and statement_timeout stop even an endless statement).
 */
function shadowHost(shadowDb: string | undefined, db: string | undefined, io: Io, option = '--shadow-db'): ShadowChoice {
  if (shadowDb === undefined) return { host: new WorkerShadow({ cacheDir: shadowCacheDir(io.env) }), secrets: [] };
  const server = resolveCliConnection(shadowDb, io, option);
  return { host: new ScratchDatabaseShadow({ server, projectDatabases: projectDatabases(server, db, io) }), secrets: secretsOf(server) };
}

/** Says once, on stderr, that a file named like a migration is left out because it is not a regular file. */
function skippedNotes(io: Io): (file: string, kind: string) => void {
  const said = new Set<string>();
  return (file, kind) => {
    const shown = path.relative(io.cwd(), path.resolve(io.cwd(), file));
    if (said.has(shown)) return;
    said.add(shown);
    io.stderr.write(`drydock: skipped ${shown}: it is ${kind}, not a regular file\n`);
  };
}

async function confirm(io: Io, question: string): Promise<boolean> {
  const rl = readline.createInterface({ input: io.stdin, output: io.stdout });
  try {
    const answer = await new Promise<string>((resolve) => rl.question(question, resolve));
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

function exitCodeOf(report: RunReport): number {
  // The files' dry-run may pass on the state before a failing earlier migration; the history still fails.
  if (report.outcome === 'succeeded') return report.historyFailure ? EXIT_FAILED : EXIT_OK;
  if (report.outcome === 'refused' || (report.server === null && report.error)) return EXIT_USAGE;
  return EXIT_FAILED;
}

/** The progress line on an interactive stderr (none when piped or for machine-readable output). */
function progressLine(io: Io, machineReadable: boolean): ((p: RunProgress) => void) | undefined {
  if (machineReadable || io.stderr.isTTY !== true) return undefined;
  return (p) => io.stderr.write(`\r\u001b[K${p.done + 1}/${p.total} ${visibleText(p.file)}:${p.kind}`);
}

function runCommand(mode: RunMode): CommandRun {
  return async (argv: string[], io: Io): Promise<number> => {
    const { values, positionals } = parseCommandArgs(mode, { args: argv, allowPositionals: true, strict: true, options: RUN_OPTIONS });
    const format = outputFormatOf(values);
    if (positionals.length === 0) throw new UsageError(`${mode} needs at least one FILE or DIR, or - for SQL on standard input`);
    const stdin = readsStdin(positionals, values['stdin-filename'], mode);
    const settings = {
      lockTimeoutMs: milliseconds(values['lock-timeout'], '--lock-timeout'),
      statementTimeoutMs: milliseconds(values['statement-timeout'], '--statement-timeout'),
    };
    compileWasmForShortRun();
    const wantsShadow = values.shadow === true || values['shadow-db'] !== undefined;
    if (wantsShadow && mode !== 'dry-run') throw new UsageError('--shadow and --shadow-db are for dry-run only (a shadow is thrown away)');
    // Refused rather than one silently winning: whoever types both means two things that cannot
    // both happen (the run goes to one database). --shadow-db with --db is fine: the scratch
    // database takes --db's database settings, and the run goes to the scratch database.
    if (values.shadow === true && values.db !== undefined) {
      throw new UsageError('--shadow and --db contradict each other: --shadow dry-runs on PGlite (the earlier migrations replayed in this process) and never connects to --db. '
        + 'Drop --shadow to dry-run on the --db database, or drop --db to use the shadow; --shadow-db URL makes the shadow a scratch database on a server of yours');
    }
    if (!wantsShadow && mode !== 'dry-run' && nothingConfigured(values.db, io)) throw new UsageError(noDatabaseMessage(mode));
    const onSkipped = skippedNotes(io);
    // Read up front: a bad drydock.json is a usage error before anything connects.
    const config = fileLintSettings(io);
    const read = stdin ? [await readStdinMigration(io, values['stdin-filename'])] : readMigrationFiles(expandRunPaths(positionals, onSkipped));
    const files = read.map((f) => ({ ...f, toolNoTransaction: config.noTransactionOf(f) }));
    const lint = new Map(files.map((f) => [f.path, config.settingsFor(f.path)]));
    const lintSettings = (file: string) => lint.get(file) ?? lintSettingsOf(null);
    if (wantsShadow || (mode === 'dry-run' && nothingConfigured(values.db, io))) {
      const first = files[0];
      const shadow = shadowConfigOf(first ? config.configFor(first.path) : null, { setup: values['shadow-setup'], shadowDb: values['shadow-db'] }, io);
      return shadowDryRun(files, {
        shadow, db: values.db, settings, format, noColor: values['no-color'] === true, lintSettings, onSkipped,
        secrets: environmentSecrets(io, argv),
      }, io);
    }
    const connection = resolveCliConnection(values.db, io);
    // The reference is read-only from its first statement, whatever the URL says.
    const reference = values.reference !== undefined ? { ...resolveCliConnection(values.reference, io, '--reference'), readOnly: true as const } : null;
    const secrets = [...environmentSecrets(io, argv), ...secretsOf(connection), ...(reference ? secretsOf(reference) : [])];
    if (RUN_MODES[mode].needsDevMark && !values.yes) {
      if (!io.stdin.isTTY) throw new UsageError(`${mode} needs --yes when not run from a terminal`);
      if (!(await confirm(io, `${RUN_MODES[mode].title} ${files.length} file(s) to ${describeConnection(connection)}? [y/N] `))) {
        io.stderr.write(`${mode} cancelled\n`);
        return EXIT_USAGE;
      }
    }
    const pending = mode === 'dry-run' && values.all !== true ? await leaveOutApplied(files, connection, io, secrets) : files;
    const progress = progressLine(io, format !== 'text');
    const abort = new AbortController();
    const onSigint = () => abort.abort();
    process.once('SIGINT', onSigint);
    const report = await runMigrations(pending, {
      mode, backend: pgBackend(connection), settings, lintSettings, signal: abort.signal,
      ...(progress ? { onProgress: progress } : {}), ...(reference ? { reference: pgBackend(reference) } : {}),
    })
      .catch((err: unknown) => {
        // Not a migration failure (those are in the report) but Drydock's own: never with a password.
        if (err instanceof Error) err.message = maskSecrets(err.message, secrets);
        throw err;
      })
      .finally(() => {
        process.off('SIGINT', onSigint);
        if (progress) io.stderr.write('\r\u001b[K');
      });
    const color = wantsColor(io, values['no-color'] === true) && format === 'text';
    await writeRunReport(io, report, format, color, secrets);
    const advice = connectionAdvice(report, connection, connectionSource(values.db, io));
    if (advice) io.stderr.write(`${maskSecrets(advice, secrets)}\n`);
    return exitCodeOf(report);
  };
}

/** The report (its outcome alone should rendering it fail: committed or not must reach the user). */
function writeRunReport(io: Io, report: RunReport, format: OutputFormat, color: boolean, secrets: readonly string[]): Promise<void> {
  return writeReport(io, {
    pieces: () => runReportChunks(report, format, { color, baseDir: io.cwd(), toolVersion: TOOL_VERSION, secrets, docsBaseUri: docsBaseUri(io), sourceOf: readSource }),
    outcome: (reason) => renderRunOutcome(report, format, reason),
    verdict: () => `${report.outcome}: ${report.committed ? 'committed' : 'not committed'}`,
  }, secrets);
}

interface ShadowCall {
  /** The shadow's server, setup SQL, tool and folder (flags over drydock.json). */
  shadow: ShadowConfig;
  /** The development connection (--db), if given: its database is the project's too. */
  db: string | undefined;
  settings: { lockTimeoutMs: number | undefined; statementTimeoutMs: number | undefined };
  format: ReturnType<typeof outputFormatOf>;
  noColor: boolean;
  lintSettings: (file: string) => LintSettings;
  /** The environment's passwords (the shadow server's are added to them). */
  secrets: readonly string[];
  onSkipped: (file: string, kind: string) => void;
}

/** dry-run on a shadow: the history before the files replayed first, in PGlite or a scratch database. */
async function shadowDryRun(files: MigrationFile[], call: ShadowCall, io: Io): Promise<number> {
  const shadow = shadowHost(call.shadow.shadowDb, call.db, io, call.shadow.shadowDbOption);
  const host = shadow.host;
  const secrets = [...call.secrets, ...shadow.secrets];
  const progress = progressLine(io, call.format !== 'text');
  const abort = new AbortController();
  const onSigint = () => abort.abort();
  // Ctrl-C cancels the run and the report says where it stopped: PGlite runs in a worker this
  // thread ends, a scratch database's statement is cancelled and the database dropped. A second
  // Ctrl-C ends the process at once.
  process.once('SIGINT', onSigint);
  // SQL from standard input without --stdin-filename has no folder: its history is an empty one.
  const noFolder = files.some((f) => f.path === STDIN_NAME) ? fs.mkdtempSync(path.join(os.tmpdir(), 'drydock-stdin-')) : null;
  const targets = files.map((f) => ({ ...f, absolutePath: noFolder !== null && f.path === STDIN_NAME ? path.join(noFolder, 'stdin.sql') : path.resolve(io.cwd(), f.path) }));
  let report: RunReport;
  try {
    report = await runShadowDryRun(targets, {
      host, settings: call.settings, lintSettings: call.lintSettings, signal: abort.signal, setup: call.shadow.setup, onSkipped: call.onSkipped,
      ...(call.shadow.tool ? { tool: call.shadow.tool } : {}), ...(call.shadow.migrationsFolder ? { migrationsFolder: call.shadow.migrationsFolder } : {}),
      ...(call.shadow.noTransactionDirective ? { noTransactionDirective: call.shadow.noTransactionDirective } : {}),
      displayPath: (p) => path.relative(io.cwd(), p),
      ...(progress ? { onProgress: progress, onReplay: (done: number, total: number) => io.stderr.write(`\r\u001b[Kshadow: replaying ${done + 1}/${total}`) } : {}),
    });
  } catch (err) {
    await host.close();
    if (err instanceof Error) err.message = maskSecrets(err.message, secrets);
    throw err;
  } finally {
    process.off('SIGINT', onSigint);
    if (progress) io.stderr.write('\r\u001b[K');
    if (noFolder !== null) fs.rmSync(noFolder, { recursive: true, force: true });
  }
  const color = wantsColor(io, call.noColor) && call.format === 'text';
  await writeRunReport(io, report, call.format, color, secrets);
  // After the report: an open PGlite keeps the process alive, and a snapshot may still be being written.
  await host.close();
  return exitCodeOf(report);
}

export const runDryRun = runCommand('dry-run');
export const runApply = runCommand('apply');
export const runVerify = runCommand('verify');
