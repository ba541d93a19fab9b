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

/** PostgreSQL's largest lock_timeout and statement_timeout: INT_MAX milliseconds (about 24.8 days). */
export const MAX_TIMEOUT_MS = 2_147_483_647;

/**
 * A lock_timeout or statement_timeout in whole milliseconds, or what the value must be instead
 * (and why). PostgreSQL counts both in whole milliseconds and reads 0 as "off": a value under one
 * millisecond ("400us") would quietly turn the timeout off, and one beyond INT_MAX is refused by
 * the server only once the run has started.
 */
export function timeoutMs(value: string | number): { ms: number } | { mustBe: string; why?: string } {
  const ms = parseDurationMs(value);
  if (ms === null) return { mustBe: `a number of milliseconds or a duration with a unit (${DURATION_UNITS.join(', ')})` };
  const whole = Math.round(ms);
  // 1.1s is 1100.0000000000002 in floating point: a hair off a whole number is that number.
  if (Math.abs(ms - whole) > 1e-6) {
    return ms < 1
      ? { mustBe: 'at least 1 ms, or 0 to turn it off', why: 'PostgreSQL counts it in whole milliseconds and would read this as 0, which turns it off' }
      : { mustBe: 'a whole number of milliseconds', why: 'PostgreSQL counts it in whole milliseconds' };
  }
  if (whole > MAX_TIMEOUT_MS) return { mustBe: `at most ${MAX_TIMEOUT_MS} ms (about 24.8 days)`, why: 'PostgreSQL refuses more' };
  return { ms: whole };
}
