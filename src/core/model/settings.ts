// Settings shared by the CLI and the extension. The extension's package.json declares the same
// keys and defaults; a test keeps the two in agreement.
import { timeoutMs } from './durations';

/** Run settings with a default for every key. */
export interface DrydockSettings {
  /** lock_timeout for every run, in milliseconds (given as a number, or with PostgreSQL's units: "2s"). */
  lockTimeoutMs: number;
  /** statement_timeout for every run, in milliseconds (a number, or "1min", "500ms", …). */
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

/** Settings as given: the timeouts may still carry units ("2s"). */
export type DrydockSettingsInput = Partial<Omit<DrydockSettings, 'lockTimeoutMs' | 'statementTimeoutMs'>> & {
  lockTimeoutMs?: number | string | undefined;
  statementTimeoutMs?: number | string | undefined;
};

/** Settings with every missing or invalid key replaced by its default, durations in milliseconds. */
export function withDefaults(partial: DrydockSettingsInput): DrydockSettings {
  // A timeout PostgreSQL would not take as given (under 1 ms, fractional, beyond INT_MAX) reads as its default too.
  const positive = (value: number | string | undefined, fallback: number) => {
    const parsed = value === undefined ? null : timeoutMs(value);
    return parsed !== null && 'ms' in parsed ? parsed.ms : fallback;
  };
  return {
    lockTimeoutMs: positive(partial.lockTimeoutMs, DEFAULT_SETTINGS.lockTimeoutMs),
    statementTimeoutMs: positive(partial.statementTimeoutMs, DEFAULT_SETTINGS.statementTimeoutMs),
    runFixQueries: partial.runFixQueries ?? DEFAULT_SETTINGS.runFixQueries,
    migrationsGlobs: Array.isArray(partial.migrationsGlobs) ? partial.migrationsGlobs : [...DEFAULT_SETTINGS.migrationsGlobs],
  };
}
