// PostgreSQL's table-level lock modes and which of them conflict (the table in the manual's
// "Explicit Locking" chapter), with what each one keeps other sessions from doing, in plain words.

/** A lock mode as pg_locks names it. */
export type LockMode =
  | 'AccessShareLock' | 'RowShareLock' | 'RowExclusiveLock' | 'ShareUpdateExclusiveLock'
  | 'ShareLock' | 'ShareRowExclusiveLock' | 'ExclusiveLock' | 'AccessExclusiveLock';

/** The modes from weakest to strongest. */
export const LOCK_MODES: readonly LockMode[] = [
  'AccessShareLock', 'RowShareLock', 'RowExclusiveLock', 'ShareUpdateExclusiveLock',
  'ShareLock', 'ShareRowExclusiveLock', 'ExclusiveLock', 'AccessExclusiveLock',
];

const CONFLICTS: Readonly<Record<LockMode, readonly LockMode[]>> = {
  AccessShareLock: ['AccessExclusiveLock'],
  RowShareLock: ['ExclusiveLock', 'AccessExclusiveLock'],
  RowExclusiveLock: ['ShareLock', 'ShareRowExclusiveLock', 'ExclusiveLock', 'AccessExclusiveLock'],
  ShareUpdateExclusiveLock: ['ShareUpdateExclusiveLock', 'ShareLock', 'ShareRowExclusiveLock', 'ExclusiveLock', 'AccessExclusiveLock'],
  ShareLock: ['RowExclusiveLock', 'ShareUpdateExclusiveLock', 'ShareRowExclusiveLock', 'ExclusiveLock', 'AccessExclusiveLock'],
  ShareRowExclusiveLock: ['RowExclusiveLock', 'ShareUpdateExclusiveLock', 'ShareLock', 'ShareRowExclusiveLock', 'ExclusiveLock', 'AccessExclusiveLock'],
  ExclusiveLock: ['RowShareLock', 'RowExclusiveLock', 'ShareUpdateExclusiveLock', 'ShareLock', 'ShareRowExclusiveLock', 'ExclusiveLock', 'AccessExclusiveLock'],
  AccessExclusiveLock: LOCK_MODES,
};

// Spelled once: every finding's message names its lock.
const LOCK_MODE_SQL = new Map(LOCK_MODES.map((mode) => [mode, mode.replace(/Lock$/, '').replace(/([a-z])([A-Z])/g, '$1 $2').toUpperCase()]));

/** True for a string pg_locks could report as a table lock mode. */
export function isLockMode(value: string): value is LockMode {
  return (LOCK_MODES as readonly string[]).includes(value);
}

/** True when a session holding `held` makes a session asking for `requested` wait. */
export function locksConflict(held: LockMode, requested: LockMode): boolean {
  return CONFLICTS[held].includes(requested);
}

/** The mode as SQL spells it in LOCK TABLE and the manual: "ACCESS EXCLUSIVE". */
export function lockModeSql(mode: LockMode): string {
  return LOCK_MODE_SQL.get(mode) ?? mode;
}

/** The strongest of some modes (undefined for none). */
export function strongestLock(modes: Iterable<LockMode>): LockMode | undefined {
  let strongest: LockMode | undefined;
  for (const mode of modes) if (!strongest || LOCK_MODES.indexOf(mode) > LOCK_MODES.indexOf(strongest)) strongest = mode;
  return strongest;
}

/**
 * What a lock of this mode keeps other sessions from doing on its table, judged by what ordinary
 * work asks for: SELECT takes ACCESS SHARE, INSERT/UPDATE/DELETE take ROW EXCLUSIVE, VACUUM, ANALYZE
 * and CREATE INDEX CONCURRENTLY take SHARE UPDATE EXCLUSIVE, CREATE INDEX takes SHARE.
 */
export function whatLockBlocks(mode: LockMode): string {
  if (locksConflict(mode, 'AccessShareLock')) return 'reads and writes';
  if (locksConflict(mode, 'RowExclusiveLock')) return 'writes';
  if (locksConflict(mode, 'ShareUpdateExclusiveLock')) return 'DDL and VACUUM';
  if (locksConflict(mode, 'ShareLock')) return 'index builds and most DDL';
  if (locksConflict(mode, 'ExclusiveLock')) return 'EXCLUSIVE and ACCESS EXCLUSIVE locks';
  return 'ACCESS EXCLUSIVE locks (most ALTER TABLE, DROP)';
}
