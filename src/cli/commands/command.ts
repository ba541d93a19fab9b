// The shape of a CLI command: its name, a line for the usage text, and how to load it.
import type { Io } from '../io';

/** Runs a command with the arguments after its name; resolves to the exit code. */
export type CommandRun = (argv: string[], io: Io) => Promise<number>;

export interface CliCommand {
  name: string;
  /** "dry-run FILE..." as the usage text shows it. */
  synopsis: string;
  summary: string;
  /**
   * The command's module, loaded only when it runs: `check` then never evaluates pg, PGlite or the
   * templates, which every command paid for at start-up when all were imported up front.
   */
  load(): Promise<CommandRun>;
}
