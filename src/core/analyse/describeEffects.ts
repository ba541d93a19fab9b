// A prediction in plain words, the way every finding and the hover state it: the lock by
// PostgreSQL's name and table, what it keeps others from doing, and whether the table is rewritten
// or read in full while the lock is held.
import { lockModeSql, whatLockBlocks, type LockMode } from '../sql/lockModes';
import type { PredictedEffects, PredictedLock } from './predictEffects';

/** "ACCESS EXCLUSIVE on orders (blocks reads and writes)"; "… on index i and on its table (…)" when the files do not name the index's table. */
export function describeLock(lock: PredictedLock): string {
  const on = lock.onTableOfIndex ? `index ${lock.relation} and on its table` : lock.relation;
  return `${lockModeSql(lock.mode)} on ${on} (blocks ${whatLockBlocks(lock.mode)})`;
}

/** The table whose readers and writers the lock keeps waiting: "orders", or "the table of index i". */
export function lockedTable(lock: PredictedLock): string {
  return lock.onTableOfIndex ? `the table of index ${lock.relation}` : lock.relation;
}

/** The lock of the prediction on one relation, or the strongest one. */
export function lockOn(effects: PredictedEffects, relation?: string): PredictedLock | undefined {
  if (relation !== undefined) return effects.locks.find((l) => l.relation === relation);
  return [...effects.locks].sort((a, b) => rank(b.mode) - rank(a.mode))[0];
}

const RANKS: readonly LockMode[] = [
  'AccessShareLock', 'RowShareLock', 'RowExclusiveLock', 'ShareUpdateExclusiveLock',
  'ShareLock', 'ShareRowExclusiveLock', 'ExclusiveLock', 'AccessExclusiveLock',
];

function rank(mode: LockMode): number {
  return RANKS.indexOf(mode);
}

/**
 * The whole prediction as one sentence: "Takes ACCESS EXCLUSIVE on orders (blocks reads and
 * writes) and rewrites orders." Empty when the statement takes no table lock.
 */
export function describeEffects(effects: PredictedEffects): string {
  if (effects.locks.length === 0) return '';
  const parts = [`Takes ${effects.locks.map(describeLock).join(' and ')}`];
  if (effects.rewrites.length > 0) parts.push(`rewrites ${effects.rewrites.join(', ')} in full`);
  if (effects.scans.length > 0) parts.push(`reads all of ${effects.scans.join(', ')} while it holds the lock`);
  if (effects.everyRow.length > 0) parts.push(`writes every row of ${effects.everyRow.join(', ')}`);
  return `${parts.length > 2 ? `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}` : parts.join(' and ')}.`;
}

/** True when the lock keeps ordinary reads or writes waiting (SHARE and stronger). */
export function blocksReadsOrWrites(mode: LockMode): boolean {
  return rank(mode) >= rank('ShareLock');
}
