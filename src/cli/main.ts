// The `drydock` command: the same core engine as the extension, for terminals and scripts. Each
// command is one entry of the COMMANDS table (cli/commands/*); this file only dispatches.
import { maskSecrets } from '../core/db/connection';
import { OUTPUT_FORMATS } from '../core/output/formats';
import { checkCommand } from './commands/check';
import type { CliCommand } from './commands/command';
import { newCommand } from './commands/new';
import { rulesCommand } from './commands/rules';
import { applyCommand, dryRunCommand, verifyCommand } from './commands/run';
import { EXIT_OK, EXIT_USAGE, UsageError, isUsageError, processIo, type Io } from './io';

export { EXIT_FAILED, EXIT_OK, EXIT_USAGE } from './io';

/** Every command, in the order the usage text lists them. */
export const COMMANDS: readonly CliCommand[] = [dryRunCommand, applyCommand, verifyCommand, checkCommand, rulesCommand, newCommand];

const USAGE = `usage: drydock <command> [options] FILE...

commands:
${COMMANDS.map((c) => `  ${c.synopsis.padEnd(18)}${c.summary}`).join('\n')}

options:
  --db URL                  connection URL (else DATABASE_URL, else PG* variables and ~/.pgpass)
  --format FORMAT           ${OUTPUT_FORMATS.join(' | ')} (default text); sarif is SARIF 2.1.0,
                            github prints GitHub Actions annotations
  --json                    the same as --format json
  --lock-timeout MS         lock_timeout in milliseconds (default 5000)
  --statement-timeout MS    statement_timeout in milliseconds (default 60000)
  --yes                     apply without asking (required when not on a terminal)
  --pg-version N            check: the PostgreSQL major the migrations target (default: drydock.json, else 14)
  --no-color                plain output
  -h, --help                this help

exit codes: 0 all good, 1 migration, verification or check failed (an error finding), 2 usage, config, parse or connection error`;

// Options that take a value, so the command name can be found among options given before it.
const OPTIONS_WITH_VALUES = new Set(['--db', '--format', '--lock-timeout', '--statement-timeout', '--pg-version']);

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
    return await command.run([...argv.slice(0, at), ...argv.slice(at + 1)], io);
  } catch (err) {
    const usage = isUsageError(err);
    const message = usage ? (err as Error).message : `drydock: ${(err as Error).stack ?? String(err)}`;
    io.stderr.write(`${maskSecrets(message)}\n${usage ? 'run drydock --help for usage\n' : ''}`);
    return EXIT_USAGE;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
}
