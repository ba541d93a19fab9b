// ALTER COLUMN … TYPE changes PostgreSQL makes without rewriting the table (binary-coercible, and
// no stricter limit to check): from the ALTER TABLE page of the manual. Anything else rewrites the
// table and rebuilds its indexes under ACCESS EXCLUSIVE.
import type { ColumnType } from './columnTypes';

type SafeChange = (from: ColumnType, to: ColumnType) => boolean;

const noLimit = (t: ColumnType) => t.modifiers.length === 0;
const wider = (from: ColumnType, to: ColumnType) => noLimit(to) || (!noLimit(from) && (to.modifiers[0] ?? 0) >= (from.modifiers[0] ?? 0));

const SAFE_CHANGES: readonly { from: string; to: string; when: SafeChange }[] = [
  { from: 'varchar', to: 'varchar', when: wider },
  { from: 'varchar', to: 'text', when: () => true },
  { from: 'text', to: 'varchar', when: (_f, to) => noLimit(to) },
  { from: 'char', to: 'text', when: () => false }, // char(n) pads: the values change, so it rewrites
  { from: 'numeric', to: 'numeric', when: (from, to) => noLimit(to) || (!noLimit(from) && (to.modifiers[0] ?? 0) >= (from.modifiers[0] ?? 0) && to.modifiers[1] === from.modifiers[1]) },
  { from: 'varbit', to: 'varbit', when: wider },
  { from: 'cidr', to: 'inet', when: () => true },
];

/** True when changing a column from `from` to `to` needs no rewrite (and no scan). */
export function typeChangeIsSafe(from: ColumnType, to: ColumnType): boolean {
  if (from.array !== to.array) return false;
  if (from.name === to.name && from.modifiers.join() === to.modifiers.join()) return true;
  return SAFE_CHANGES.some((c) => c.from === from.name && c.to === to.name && c.when(from, to));
}
