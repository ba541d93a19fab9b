// ALTER COLUMN … TYPE changes PostgreSQL makes without rewriting the table or rebuilding its
// indexes: a binary-coercible change, or a raised limit that PostgreSQL's length-coercion support
// functions (varchar_support, numeric_support, the temporal and interval ones) turn into a no-op.
// Measured on PostgreSQL 13 to 18 alike (test/core/locks.test.ts compares this table with the
// server on every major). Anything else rewrites the table and rebuilds its indexes under ACCESS
// EXCLUSIVE; so do, here, the changes that keep the table but rebuild the column's indexes (text →
// citext, a scalar limit inside an array), and timestamp ↔ timestamptz, in place only when the
// session's TimeZone is UTC (timestampZoneSwap: the caller knows whether the file set it).
import type { ColumnType } from './columnTypes';

type SafeChange = (from: ColumnType, to: ColumnType) => boolean;

/** The type's limit (length, precision), or null when it has none. */
const limitOf = (t: ColumnType): number | null => t.modifiers[0] ?? null;

/** No limit now, or one at least the old one: every old value fits unchanged (varchar, varbit). */
const noLowerLimit: SafeChange = (from, to) => {
  const limit = limitOf(to);
  const old = limitOf(from);
  return limit === null || (old !== null && limit >= old);
};

// timestamp, timestamptz, time and timetz keep at most 6 fractional digits: no precision, or 6,
// or more than before, changes no value.
const MAX_TEMPORAL_PRECISION = 6;
const noLowerPrecision: SafeChange = (from, to) => noLowerLimit(from, to) || limitOf(to) === MAX_TEMPORAL_PRECISION;

// numeric(p, s): a higher precision with the same scale (numeric(p) is numeric(p, 0)), or none at all.
const numericWidened: SafeChange = (from, to) => {
  if (to.modifiers.length === 0) return true;
  if (from.modifiers.length === 0) return false;
  return (to.modifiers[0] ?? 0) >= (from.modifiers[0] ?? 0) && (to.modifiers[1] ?? 0) === (from.modifiers[1] ?? 0);
};

// interval [fields] [(p)] arrives as [fields mask, precision?]. In place: no modifiers at all, or
// the same fields with a precision no lower (none is 6).
const FULL_INTERVAL_FIELDS = 0x7fff;
const intervalWidened: SafeChange = (from, to) => {
  if (to.modifiers.length === 0) return true;
  const fields = (t: ColumnType) => t.modifiers[0] ?? FULL_INTERVAL_FIELDS;
  const precision = (t: ColumnType) => t.modifiers[1] ?? MAX_TEMPORAL_PRECISION;
  return fields(from) === fields(to) && precision(to) >= precision(from);
};

const always: SafeChange = () => true;

const SAFE_CHANGES: readonly { from: string; to: string; when: SafeChange }[] = [
  { from: 'varchar', to: 'varchar', when: noLowerLimit },
  { from: 'varchar', to: 'text', when: always },
  { from: 'text', to: 'varchar', when: (_from, to) => limitOf(to) === null },
  { from: 'numeric', to: 'numeric', when: numericWidened },
  { from: 'varbit', to: 'varbit', when: noLowerLimit },
  { from: 'timestamp', to: 'timestamp', when: noLowerPrecision },
  { from: 'timestamptz', to: 'timestamptz', when: noLowerPrecision },
  { from: 'time', to: 'time', when: noLowerPrecision },
  { from: 'timetz', to: 'timetz', when: noLowerPrecision },
  { from: 'interval', to: 'interval', when: intervalWidened },
  { from: 'cidr', to: 'inet', when: always },
];

/** True when changing a column from `from` to `to` needs no rewrite (and no scan). */
export function typeChangeIsSafe(from: ColumnType, to: ColumnType): boolean {
  if (from.array !== to.array) return false;
  if (from.name === to.name && from.modifiers.join() === to.modifiers.join()) return true;
  // An array's elements are coerced one by one: any other change rewrites, or rebuilds its indexes.
  if (from.array) return false;
  return SAFE_CHANGES.some((c) => c.from === from.name && c.to === to.name && c.when(from, to));
}

/** timestamp ↔ timestamptz with no lower precision: in place in a session whose TimeZone is UTC (PostgreSQL 12+). */
export function timestampZoneSwap(from: ColumnType, to: ColumnType): boolean {
  if (from.array || to.array) return false;
  const swapped = (from.name === 'timestamp' && to.name === 'timestamptz') || (from.name === 'timestamptz' && to.name === 'timestamp');
  return swapped && noLowerPrecision(from, to);
}
