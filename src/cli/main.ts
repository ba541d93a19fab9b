// The `drydock` command: the same core engine as the extension, for terminals and scripts. Each
// command is one entry of the COMMANDS table, its module (cli/commands/*) loaded when it runs; this
// file only dispatches.
import { maskSecrets } from '../core/db/connection';
import { OUTPUT_FORMATS } from '../core/output/formats';
import { visibleText } from '../core/output/visibleText';
import type { CliCommand } from './commands/command';
import { EXIT_OK, EXIT_USAGE, UsageError, environmentSecrets, isUsageError, processIo, type Io } from './io';

export { EXIT_FAILED, EXIT_OK, EXIT_USAGE } from './io';

/** Every command, in the order the usage text lists them. */
export const COMMANDS: readonly CliCommand[] = [
  { name: 'dry-run', synopsis: 'dry-run FILE|DIR...', summary: 'run the files in one transaction that is always rolled back', load: async () => (await import('./commands/run')).runDryRun },
  { name: 'apply', synopsis: 'apply FILE|DIR...', summary: 'run the files atomically and commit only if everything succeeds', load: async () => (await import('./commands/run')).runApply },
  { name: 'verify', synopsis: 'verify FILE|DIR...', summary: 'check that what the files declare exists and is healthy (read only)', load: async () => (await import('./commands/run')).runVerify },
  { name: 'audit', synopsis: 'audit DIR', summary: 'replay the history on a shadow, each migration dry-run and measured before it is applied: every finding confirmed or contradicted', load: async () => (await import('./commands/audit')).runAudit },
  { name: 'check', synopsis: 'check FILE|DIR...', summary: 'the rules only (no database): locks, rewrites, transactions, types, syntax', load: async () => (await import('./commands/check')).runCheck },
  { name: 'rules', synopsis: 'rules [--json]', summary: 'list every rule: id, default severity, summary, docs page', load: async () => (await import('./commands/rules')).runRules },
  { name: 'new', synopsis: 'new KIND ...', summary: 'write a migration from a template (drydock new --help)', load: async () => (await import('./commands/new')).runNewCommand },
  { name: 'lsp', synopsis: 'lsp [--stdio]', summary: 'the language server on stdin/stdout, for any editor with an LSP client', load: async () => (await import('./commands/lsp')).runLsp },
];

const USAGE = `usage: drydock <command> [options] FILE...
       drydock check|dry-run|apply|verify [options] - [--stdin-filename PATH]   (SQL on standard input)

commands:
${COMMANDS.map((c) => `  ${c.synopsis.padEnd(18)}${c.summary}`).join('\n')}

options:
  --db URL                  connection URL (else DATABASE_URL, else PG* variables and ~/.pgpass);
                            with none of these, dry-run uses the shadow (PGlite)
  --shadow                  dry-run on a shadow: the migrations before FILE replayed in PGlite
                            (in-process, snapshots cached in the user's cache dir), then FILE;
                            refused with --db (the run goes to one database, never to --db)
  --shadow-db URL           the shadow as a scratch database drydock_shadow_* on that server
                            (with --db, the scratch database takes --db's database settings)
  --all                     dry-run on a database: also the files its tool's bookkeeping table
                            (schema_migrations, flyway_schema_history, …) lists as applied; by
                            default those are left out, and stderr names them
  --shadow-setup SQL        SQL the project's own migration runner sends first (repeatable)
                            (audit: on a scratch database with --shadow-db, else in PGlite)
  --reference URL           a read-only production or replica connection: estimate what the measured
                            rewrites and scans would cost there (only statistics are read, no locks)
  --format FORMAT           ${OUTPUT_FORMATS.join(' | ')} (default text); sarif is SARIF 2.1.0,
                            github prints GitHub Actions annotations, gitlab is GitLab Code Quality
                            JSON, junit is JUnit XML (a testsuite per file, a testcase per rule)
  --json                    the same as --format json
  --lock-timeout T          lock_timeout: whole milliseconds or 2s, 500ms, 1min (default 5000);
                            0 turns it off, under 1 ms or over 2147483647 ms is refused
  --statement-timeout T     statement_timeout, likewise (default 60000)
  --yes                     apply without asking (required when not on a terminal)
  --fix                     check: apply the safe fixes (each rule's own, as the editor's fix all),
                            round after round until none is left (at most 10), write the files and
                            the new migrations a fix writes (named by the folder's numbering), list
                            them on stderr, then check the result; with -, print the fixed SQL
  --diff                    check: print those fixes as a unified diff (git apply takes it) and
                            change nothing; exit 1 when there is something to fix
  --stdin-filename PATH     with -: the path the SQL stands for (its drydock.json, the earlier
                            migrations of its folder, the name in messages); else <stdin>
  --pg-version N            check, audit: the PostgreSQL major the migrations target (default: drydock.json,
                            else 14 for check, the shadow's for audit)
  --changed-since REF       check: judge only the files git reports added, changed or renamed since
                            REF (git diff REF...HEAD, plus uncommitted and untracked files); the
                            other files given still teach the schema
  --no-color                plain output
  -h, --help                this help

exit codes: 0 all good, 1 migration, verification or check failed (an error finding; for audit, a
            migration that did not dry-run or apply, or a declared object that did not verify),
            2 usage, config, parse or connection error (audit: the shadow could not be made)`;

// Options that take a value, so the command name can be found among options given before it.
const OPTIONS_WITH_VALUES = new Set(['--db', '--format', '--lock-timeout', '--statement-timeout', '--shadow-db', '--shadow-setup', '--reference', '--pg-version', '--stdin-filename']);

/** The command name's position: the first argument that is neither an option nor an option's value. */
function commandIndex(argv: readonly string[]): number {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('-')) return i;
    if (OPTIONS_WITH_VALUES.has(arg)) i += 1;
  }
  return -1;
}

/** Runs the CLI with the given arguments; resolves to the exit code. */
export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const at = commandIndex(argv);
  const help = argv.some((a) => a === '-h' || a === '--help');
  const name = at >= 0 ? argv[at]! : undefined;
  if (name !== 'new' && (help || name === undefined)) {
    (help ? io.stdout : io.stderr).write(USAGE + '\n');
    return help ? EXIT_OK : EXIT_USAGE;
  }
  try {
    const command = COMMANDS.find((c) => c.name === name);
    if (!command) throw new UsageError(`unknown command: ${name}`);
    const run = await command.load();
    return await run([...argv.slice(0, at), ...argv.slice(at + 1)], io);
  } catch (err) {
    const usage = isUsageError(err);
    const message = usage ? (err as Error).message : `drydock: ${(err as Error).stack ?? String(err)}`;
    // A stack trace quotes messages as they were when it was taken: masked here with every password known.
    io.stderr.write(`${visibleText(maskSecrets(message, environmentSecrets(io, argv)))}\n${usage ? 'run drydock --help for usage\n' : ''}`);
    return EXIT_USAGE;
  }
}

/** Resolves once everything written to the stream so far has been handed to the OS. */
function flushed(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve) => stream.write('', () => resolve()));
}

if (require.main === module) {
  main(process.argv.slice(2)).then(async (code) => {
    process.exitCode = code;
    // Once the output is out there is nothing left to do, but a closed PGlite (the shadow) still
    // takes about half a second to be torn down with the process: exit instead of waiting for it.
    await flushed(process.stdout);
    await flushed(process.stderr);
    process.exit(code);
  });
}
