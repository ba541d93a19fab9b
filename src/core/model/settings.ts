// Settings shared by the CLI and the extension. The extension's package.json declares the same
// keys and defaults; a test keeps the two in agreement.

/** Run settings with a default for every key. */
export interface DrydockSettings {
  /** lock_timeout for every run, in milliseconds: a migration waiting on a lock fails fast. */
  lockTimeoutMs: number;
  /** statement_timeout for every run, in milliseconds. */
  statementTimeoutMs: number;
  /** Run the read-only query that finds offending rows after a failure. */
  runFixQueries: boolean;
  /** Globs (relative to the workspace) of folders holding migrations. */
  migrationsGlobs: string[];
}

export const DEFAULT_SETTINGS: Readonly<DrydockSettings> = Object.freeze({
  lockTimeoutMs: 5_000,
  statementTimeoutMs: 60_000,
  runFixQueries: true,
  migrationsGlobs: ['**/migrations/**/*.sql', '**/migrate/**/*.sql', '**/deploy/**/*.sql', '**/*.sql'],
});

/** Settings with every missing or invalid key replaced by its default. */
export function withDefaults(partial: Partial<DrydockSettings>): DrydockSettings {
  const positive = (value: number | undefined, fallback: number) =>
    typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : fallback;
  return {
    lockTimeoutMs: positive(partial.lockTimeoutMs, DEFAULT_SETTINGS.lockTimeoutMs),
    statementTimeoutMs: positive(partial.statementTimeoutMs, DEFAULT_SETTINGS.statementTimeoutMs),
    runFixQueries: partial.runFixQueries ?? DEFAULT_SETTINGS.runFixQueries,
    migrationsGlobs: Array.isArray(partial.migrationsGlobs) ? partial.migrationsGlobs : [...DEFAULT_SETTINGS.migrationsGlobs],
  };
}
