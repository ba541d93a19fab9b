// Durations as PostgreSQL's time settings take them (lock_timeout, statement_timeout): a number of
// milliseconds, or a number with one of its units (us, ms, s, min, h, d), e.g. "2s", "500 ms", "1min".

const UNIT_MS: Readonly<Record<string, number>> = { us: 0.001, ms: 1, s: 1_000, min: 60_000, h: 3_600_000, d: 86_400_000 };

/** Milliseconds for a duration (a number is already milliseconds), or null when it is not one. */
export function parseDurationMs(value: string | number): number | null {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : null;
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/.exec(value);
  if (!match) return null;
  const unit = match[2] === '' ? 'ms' : match[2]!;
  const factor = UNIT_MS[unit];
  return factor === undefined ? null : Number(match[1]) * factor;
}

/** The units parseDurationMs accepts, for messages. */
export const DURATION_UNITS = Object.keys(UNIT_MS);
