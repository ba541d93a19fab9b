// The three things a run can do with a database, each described once as data that the runner,
// the CLI and the extension read, instead of comparing mode names wherever behaviour differs.

/** What a run does with the database. */
export type RunMode = 'dry-run' | 'apply' | 'verify';

/** How a mode behaves. */
export interface RunModeSpec {
  mode: RunMode;
  /** Shown in titles and messages ("Dry-run"). */
  title: string;
  /** Runs the files' statements (verify only reads the catalog). */
  executes: boolean;
  /** Opens its transaction READ ONLY. */
  readOnly: boolean;
  /** Commits when everything succeeded (otherwise the transaction is always rolled back). */
  commits: boolean;
  /** May only reach a database the user marked as a development database. */
  needsDevMark: boolean;
  /**
   * Statements PostgreSQL refuses inside a transaction block (CONCURRENTLY, VACUUM, …) are
   * simulated instead of run; a mode that does not simulate them refuses such files unless they
   * carry a no-transaction directive.
   */
  simulatesOutsideTransaction: boolean;
}

/** Every mode, by name. */
export const RUN_MODES: Readonly<Record<RunMode, RunModeSpec>> = Object.freeze({
  'dry-run': { mode: 'dry-run', title: 'Dry-run', executes: true, readOnly: false, commits: false, needsDevMark: false, simulatesOutsideTransaction: true },
  apply: { mode: 'apply', title: 'Apply', executes: true, readOnly: false, commits: true, needsDevMark: true, simulatesOutsideTransaction: false },
  verify: { mode: 'verify', title: 'Verify', executes: false, readOnly: true, commits: false, needsDevMark: false, simulatesOutsideTransaction: false },
});

/** True for a string that names a run mode. */
export function isRunMode(value: string): value is RunMode {
  return Object.hasOwn(RUN_MODES, value);
}
