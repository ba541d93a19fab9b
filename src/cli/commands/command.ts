// The shape of a CLI command: its name, a line for the usage text, and how it runs.
import type { Io } from '../io';

export interface CliCommand {
  name: string;
  /** "dry-run FILE..." as the usage text shows it. */
  synopsis: string;
  summary: string;
  /** Runs with the arguments after the command name; resolves to the exit code. */
  run(argv: string[], io: Io): Promise<number>;
}
