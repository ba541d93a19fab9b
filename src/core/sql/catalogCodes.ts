// The codes PostgreSQL's catalogs (and its parse trees) use for kinds of objects, decoded once:
// pg_trigger.tgtype (also CreateTrigStmt.timing/events) and pg_constraint.contype.

/** When a trigger fires relative to its event. */
export type TriggerTiming = 'BEFORE' | 'AFTER' | 'INSTEAD OF';

// Bits of pg_trigger.tgtype (src/include/catalog/pg_trigger.h).
const TRIGGER_ROW = 1;
const TRIGGER_BEFORE = 2;
const TRIGGER_INSTEAD = 64;
const TRIGGER_EVENTS: readonly (readonly [number, string])[] = [[4, 'INSERT'], [8, 'DELETE'], [16, 'UPDATE'], [32, 'TRUNCATE']];

/** A trigger's timing from tgtype (or a parse tree's timing bits). */
export function triggerTiming(bits: number): TriggerTiming {
  return bits & TRIGGER_INSTEAD ? 'INSTEAD OF' : bits & TRIGGER_BEFORE ? 'BEFORE' : 'AFTER';
}

/** A trigger's events, in PostgreSQL's order (INSERT, DELETE, UPDATE, TRUNCATE), from event bits. */
export function triggerEvents(bits: number): string[] {
  return TRIGGER_EVENTS.filter(([bit]) => bits & bit).map(([, name]) => name);
}

/** ROW or STATEMENT from tgtype. */
export function triggerLevel(tgtype: number): 'ROW' | 'STATEMENT' {
  return tgtype & TRIGGER_ROW ? 'ROW' : 'STATEMENT';
}

/** The kinds of table constraint Drydock verifies. */
export type ConstraintType = 'check' | 'unique' | 'primary-key' | 'foreign-key' | 'exclusion';

const CONTYPES: Readonly<Record<string, ConstraintType>> = { c: 'check', u: 'unique', p: 'primary-key', f: 'foreign-key', x: 'exclusion' };

/** The pg_constraint.contype letter of a constraint type. */
export function contypeOf(type: ConstraintType): string {
  return Object.entries(CONTYPES).find(([, t]) => t === type)![0];
}

/** The constraint type of a pg_constraint.contype letter, or undefined for others (e.g. 'n', 't'). */
export function constraintTypeOf(contype: string): ConstraintType | undefined {
  return CONTYPES[contype];
}
