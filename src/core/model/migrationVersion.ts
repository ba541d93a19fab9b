// Migration versions as the tools number them, in the lowest layer: the history's order
// (analyse/migrationFiles.ts) and drydock.json's startAfter (config/startAfter.ts) compare them the
// same way. Sequence numbers, timestamps, diesel's dashed dates, Flyway's dotted V1_2.
import path from 'node:path';

// The version a name starts with: digits, and the dashes of diesel's 2017-09-23-182408 form.
const LEADING_VERSION = /^\d[\d-]*/;
// Versions this long are timestamps (YYYYMMDDHHMMSS and longer).
const TIMESTAMP_DIGITS = 14;

/** The version a migration's name starts with, without its dashes (diesel records `2017-09-23-182408_x` as 20170923182408), or null. */
export function leadingVersion(name: string): string | null {
  return LEADING_VERSION.exec(name)?.[0].replace(/-/g, '') ?? null;
}

/**
 * Two leading versions in the order the tools apply them. Sequence numbers compare as numbers
 * (`9_x` before `10_x`). Timestamps compare digit by digit, as diesel compares its versions: a longer
 * one adds precision, it is not a larger number (crates.io's `2026-07-30-140000-0000_x` comes after
 * `20260101000000_y` and before `20261201000000_z`). Dashes are not part of the version: diesel
 * records `2017-09-23-182408_x` as 20170923182408, after `20170820000000_y` (compared with its
 * dashes, every dashed name of a year came before every undashed one: crates.io's history then
 * altered its `emails` table before creating it).
 */
export function compareVersions(a: string, b: string): number {
  if (a.length !== b.length && Math.min(a.length, b.length) < TIMESTAMP_DIGITS) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

// Flyway's versioned and undo migrations: V1_2__x.sql, U1_2__x.sql (a repeatable R__x.sql has no version).
const FLYWAY_VERSION = /^[VU](\d+(?:[._]\d+)*)__/;
// Scripts whose version is their folder's name (diesel's up.sql, Prisma's migration.sql).
const FOLDER_SCRIPTS = new Set(['up.sql', 'down.sql', 'migration.sql']);

/** The version a migration file carries, as its tool numbers it ("42", "20170923182408", Flyway's "1.2"), or null (R__x.sql, a sqitch change). */
export function migrationVersionOf(file: string): string | null {
  const base = path.basename(file);
  const name = FOLDER_SCRIPTS.has(base) ? path.basename(path.dirname(file)) : base;
  const flyway = FLYWAY_VERSION.exec(name);
  if (flyway) return flyway[1]!.replace(/_/g, '.');
  return leadingVersion(name);
}

const withoutLeadingZeros = (part: string) => part.replace(/^0+(?=\d)/, '');

/**
 * Two migration versions in the tools' order: dotted ones (Flyway) part by part as numbers (1.2
 * before 1.10, 1.2 the same as 1.2.0), others as compareVersions orders them.
 */
export function compareMigrationVersions(a: string, b: string): number {
  if (!a.includes('.') && !b.includes('.')) return compareVersions(withoutLeadingZeros(a), withoutLeadingZeros(b));
  const partsA = a.split('.').map(withoutLeadingZeros);
  const partsB = b.split('.').map(withoutLeadingZeros);
  for (let i = 0; i < Math.max(partsA.length, partsB.length); i++) {
    const x = partsA[i] ?? '0';
    const y = partsB[i] ?? '0';
    if (x.length !== y.length) return x.length - y.length;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}
