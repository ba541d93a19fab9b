// The names PostgreSQL gives constraints declared without one (ChooseConstraintName and
// ChooseIndexName in its source): <table>_<columns>_<label>, shortened to fit 63 bytes the way
// makeObjectName shortens them. When that name is already taken PostgreSQL appends a number; then
// verification finds the constraint by its shape instead.
import type { ConstraintType } from '../sql/catalogCodes';
import type { Node } from './pgTypes';
import { columnNamesIn } from './treeNames';

const MAX_NAME_BYTES = 63;

const LABELS: Record<ConstraintType, string> = { check: 'check', unique: 'key', 'primary-key': 'pkey', 'foreign-key': 'fkey', exclusion: 'excl' };

/** The first `bytes` bytes of a name, never splitting a character. */
function clip(name: string, bytes: number): string {
  let out = '';
  for (const ch of name) {
    if (Buffer.byteLength(out + ch) > bytes) break;
    out += ch;
  }
  return out;
}

/** makeObjectName: name1_name2_label, the longer of name1 and name2 shortened first until it fits. */
export function objectName(name1: string, name2: string | null, label: string): string {
  let bytes1 = Buffer.byteLength(name1);
  let bytes2 = name2 ? Buffer.byteLength(name2) : 0;
  const available = MAX_NAME_BYTES - label.length - 1 - (name2 ? 1 : 0);
  while (bytes1 + bytes2 > available) {
    if (bytes1 > bytes2) bytes1 -= 1;
    else bytes2 -= 1;
  }
  const first = clip(name1, bytes1);
  return name2 ? `${first}_${clip(name2, bytes2)}_${label}` : `${first}_${label}`;
}

/**
 * The column a CHECK's name mentions: PostgreSQL names it <table>_<column>_check when its expression
 * refers to exactly one column, else <table>_check (it no longer knows where the CHECK was written).
 */
export function checkNameColumn(expression: unknown): string | null {
  const columns = columnNamesIn(expression);
  return columns.size === 1 ? [...columns][0]! : null;
}

/**
 * The name PostgreSQL chooses for an unnamed constraint of this type on this table; `attempt` n > 0
 * is its n-th try when the name is taken (the label gets the number: t_a_check1).
 */
export function autoConstraintName(table: string, type: ConstraintType, columns: readonly string[], expression: Node | undefined, attempt = 0): string {
  const label = attempt > 0 ? `${LABELS[type]}${attempt}` : LABELS[type];
  if (type === 'primary-key') return objectName(table, null, label);
  if (type === 'check') return objectName(table, checkNameColumn(expression), label);
  // Index and foreign-key names join the columns with underscores.
  return objectName(table, columns.length > 0 ? clip(columns.join('_'), MAX_NAME_BYTES) : null, label);
}

/** The name PostgreSQL chooses for an index created without one (ChooseIndexName), on its `attempt`-th try. */
export function autoIndexName(table: string, columns: readonly string[], label: 'idx' | 'key' | 'pkey' | 'excl', attempt = 0): string {
  const numbered = attempt > 0 ? `${label}${attempt}` : label;
  if (label === 'pkey') return objectName(table, null, numbered);
  return objectName(table, columns.length > 0 ? clip(columns.join('_'), MAX_NAME_BYTES) : null, numbered);
}
