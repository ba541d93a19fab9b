// The `drydock` command: the same core engine as the extension, for terminals and scripts.
import fs from 'node:fs';
import readline from 'node:readline';
import { parseArgs } from 'node:util';
import { describeConnection, maskSecrets, secretsOf, type ConnectionSettings } from '../core/connection';
import { decodeMigrationText, parseMigration } from '../core/parser';
import type { RunMode, RunReport } from '../core/report';
import { runMigrations, type MigrationFile, type RunProgress } from '../core/runner';
import { formatDiagnostic, formatReport } from './format';
import { runNewCommand } from './newCommand';

const USAGE = `usage: drydock <command> [options] FILE...

commands:
  dry-run FILE...   run the files in one transaction that is always rolled back
  apply FILE...     run the files atomically and commit only if everything succeeds
  verify FILE...    check that what the files declare exists and is healthy (read only)
  check FILE...     parse only (no database): syntax, psql meta-commands, transaction control
  new KIND ...      write a migration from a template (drydock new --help)

options:
  --db URL                  connection URL (else DATABASE_URL, else PG* variables and ~/.pgpass)
  --json                    print the report as JSON
  --lock-timeout MS         lock_timeout in milliseconds (default 5000)
  --statement-timeout MS    statement_timeout in milliseconds (default 60000)
  --yes                     apply without asking (required when not on a terminal)
  --no-color                plain output
  -h, --help                this help

exit codes: 0 all good, 1 migration or verification failed, 2 usage, parse or connection error`;

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
}

class UsageError extends Error {}

function readFiles(paths: string[]): MigrationFile[] {
  return paths.map((path) => {
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(path);
    } catch (err) {
      throw new UsageError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    // Invalid UTF-8 becomes a NUL so the parser reports the file as binary at its first line.
    return { path, text: decodeMigrationText(bytes) ?? '\u0000' };
  });
}

function milliseconds(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new UsageError(`${name} must be a number of milliseconds, got ${value}`);
  return n;
}

function connectionFrom(db: string | undefined, env: NodeJS.ProcessEnv): ConnectionSettings {
  const url = db ?? env.DATABASE_URL;
  return url ? { connectionString: url } : {};
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
  if (report.outcome === 'succeeded') return EXIT_OK;
  if (report.outcome === 'refused' || (report.server === null && report.error)) return EXIT_USAGE;
  return EXIT_FAILED;
}

async function check(paths: string[], io: Io, json: boolean, color: boolean): Promise<number> {
  const files = readFiles(paths);
  const parsed = await Promise.all(files.map((f) => parseMigration(f.path, f.text)));
  const diagnostics = parsed.flatMap((p) => p.diagnostics);
  if (json) {
    io.stdout.write(JSON.stringify({ files: paths, diagnostics, statements: parsed.flatMap((p) => p.statements.map((s) => ({ file: s.file, index: s.index, kind: s.kind, range: s.range, role: s.role }))) }, null, 2) + '\n');
  } else {
    for (const d of diagnostics) io.stdout.write(formatDiagnostic(d, color ? (c, t) => `\u001b[${c}m${t}\u001b[0m` : (_c, t) => t) + '\n');
    io.stdout.write(`${parsed.reduce((n, p) => n + p.statements.length, 0)} statements in ${paths.length} file(s), ${diagnostics.filter((d) => d.severity === 'error').length} error(s)\n`);
  }
  return parsed.every((p) => p.runnable) ? EXIT_OK : EXIT_USAGE;
}

/** Runs the CLI with the given arguments; resolves to the exit code. */
export async function main(argv: string[], io: Io = process): Promise<number> {
  if (argv[0] === 'new') return runNewCommand(argv.slice(1), { stdout: io.stdout, stderr: io.stderr, cwd: () => process.cwd() });
  let secrets: string[] = [];
  try {
    const { values, positionals } = parseArgs({
      args: argv, allowPositionals: true, strict: true,
      options: {
        db: { type: 'string' }, json: { type: 'boolean' }, yes: { type: 'boolean' }, 'no-color': { type: 'boolean' },
        'lock-timeout': { type: 'string' }, 'statement-timeout': { type: 'string' }, help: { type: 'boolean', short: 'h' },
      },
    });
    const [command, ...paths] = positionals;
    if (values.help || !command) {
      (values.help ? io.stdout : io.stderr).write(USAGE + '\n');
      return values.help ? EXIT_OK : EXIT_USAGE;
    }
    const color = !values['no-color'] && !values.json && io.stdout.isTTY === true && !io.env.NO_COLOR;
    if (!['dry-run', 'apply', 'verify', 'check'].includes(command)) throw new UsageError(`unknown command: ${command}`);
    if (paths.length === 0) throw new UsageError(`${command} needs at least one FILE`);
    if (command === 'check') return await check(paths, io, values.json === true, color);

    const connection = connectionFrom(values.db, io.env);
    secrets = secretsOf(connection);
    const settings = {
      lockTimeoutMs: milliseconds(values['lock-timeout'], '--lock-timeout'),
      statementTimeoutMs: milliseconds(values['statement-timeout'], '--statement-timeout'),
    };
    const files = readFiles(paths);
    if (command === 'apply' && !values.yes) {
      if (!io.stdin.isTTY) throw new UsageError('apply needs --yes when not run from a terminal');
      if (!(await confirm(io, `Apply ${paths.length} file(s) to ${describeConnection(connection)}? [y/N] `))) {
        io.stderr.write('apply cancelled\n');
        return EXIT_USAGE;
      }
    }
    const progress = io.stderr === process.stderr && process.stderr.isTTY && !values.json
      ? (p: RunProgress) => process.stderr.write(`\r\u001b[K${p.done + 1}/${p.total} ${p.file}:${p.kind}`)
      : undefined;
    const abort = new AbortController();
    const onSigint = () => abort.abort();
    process.once('SIGINT', onSigint);
    const report = await runMigrations(files, { mode: command as RunMode, connection, settings, signal: abort.signal, onProgress: progress })
      .finally(() => {
        process.off('SIGINT', onSigint);
        if (progress) process.stderr.write('\r\u001b[K');
      });
    const text = values.json ? JSON.stringify(report, null, 2) : formatReport(report, color);
    io.stdout.write(maskSecrets(text, secrets) + '\n');
    return exitCodeOf(report);
  } catch (err) {
    const message = err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') ? (err as Error).message : `drydock: ${(err as Error).stack ?? String(err)}`;
    io.stderr.write(`${maskSecrets(message, secrets)}\n${err instanceof UsageError ? 'run drydock --help for usage\n' : ''}`);
    return EXIT_USAGE;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
}
