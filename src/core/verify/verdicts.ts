// Whether what the catalog holds is what a declaration asked for: one verdict per object kind.
import type { ConstraintDeclaration, FunctionDeclaration, IndexDeclaration, TriggerDeclaration } from '../parse/declarations';
import { expressionsEquivalent } from '../parse/expressions';
import type { CheckStatus } from '../model/report';
import { constraintTypeOf, triggerEvents, triggerLevel, triggerTiming } from '../sql/catalogCodes';
import { freedKey, type CatalogAnswer, type CatalogConstraint, type CatalogFunction, type CatalogIndex, type CatalogTrigger } from './catalogQuery';
import { indexDifferences } from './declaredShape';
import type { Expectation, Fate, StatementPlace } from './expectations';
import type { MeasuredObject } from './measurement';
import { pushAll } from '../model/arrays';

/** `foundAs`: the name it was found under, when not the one the files predict (a name SQL built at run time freed). */
export type Verdict = { status: CheckStatus; detail: string; foundAs?: string };

function checkIndex(d: IndexDeclaration, expected: Expectation, found: CatalogIndex): Verdict {
  if (!found.valid || !found.ready) return { status: 'invalid', detail: `index is INVALID (indisvalid=${found.valid}, indisready=${found.ready}): a failed or interrupted build; drop it and build again` };
  const problems: string[] = [];
  if (d.unique !== found.unique) problems.push(d.unique ? 'declared UNIQUE but is not unique' : 'is unique but was declared non-unique');
  if (d.method !== found.method) problems.push(`method is ${found.method}, declared ${d.method}`);
  const differences = indexDifferences(d.definition, found.definition, expected.columnRenames, found.collations);
  if (differences?.columns) problems.push(`columns are (${found.columns.join(', ')}), declared (${d.columns.join(', ')})${renamedColumns(expected)}`);
  d.opclasses.forEach((declared, i) => {
    const actual = found.opclasses[i];
    if (declared ? declared !== actual : found.defaultOpclasses[i] === false) {
      problems.push(`operator class of column ${i + 1} is ${actual}, declared ${declared ?? 'the default'}`);
    }
  });
  if (differences?.predicate) problems.push(`predicate is ${found.predicate ?? 'none'}, declared ${d.predicate ?? 'none'}${renamedColumns(expected)}`);
  pushAll(problems, differences?.others ?? []);
  return problems.length > 0
    ? { status: 'mismatch', detail: `an index with this name exists but ${problems.join('; ')}` }
    : { status: 'ok', detail: `${found.unique ? 'unique ' : ''}${found.method} index on ${found.table} (${found.columns.join(', ')}${found.opclasses.some((_, i) => !found.defaultOpclasses[i]) ? ` ${found.opclasses.join(', ')}` : ''})${found.predicate ? ` WHERE ${found.predicate}` : ''}, valid` };
}

function checkConstraint(d: ConstraintDeclaration, expected: Expectation, found: CatalogConstraint): Verdict {
  const type = constraintTypeOf(found.type);
  if (type !== d.type) return { status: 'mismatch', detail: `a ${type ?? found.type} constraint has this name, declared ${d.type}: ${found.definition}` };
  if (d.type === 'check' && d.expression && found.expression && !expressionsEquivalent(d.expression, found.expression, expected.columnRenames)) {
    return { status: 'mismatch', detail: `definition is ${found.definition}, declared CHECK (${d.expression})` };
  }
  if (!found.validated) {
    return { status: 'not-validated', detail: expected.validated
      ? `NOT VALID although the file validates it: ${found.definition}`
      : `added NOT VALID and not validated yet: existing rows are unchecked until ALTER TABLE … VALIDATE CONSTRAINT ${d.name}` };
  }
  return { status: 'ok', detail: `${found.definition}, validated` };
}

function checkTrigger(d: TriggerDeclaration, expected: Expectation, found: CatalogTrigger): Verdict {
  if (found.enabled === 'D') return { status: 'disabled', detail: 'trigger exists but is disabled (ALTER TABLE … ENABLE TRIGGER)' };
  const timing = triggerTiming(found.tgtype);
  const events = triggerEvents(found.tgtype);
  const forEach = triggerLevel(found.tgtype);
  const declaredFunction = expected.calls ?? d.function.split('.').pop();
  const problems: string[] = [];
  if (timing !== d.timing) problems.push(`fires ${timing}, declared ${d.timing}`);
  if (events.join(',') !== d.events.join(',')) problems.push(`fires on ${events.join(' OR ')}, declared ${d.events.join(' OR ')}`);
  if (forEach !== d.forEach) problems.push(`FOR EACH ${forEach}, declared ${d.forEach}`);
  if (found.function !== declaredFunction) problems.push(`calls ${found.function}(), declared ${declaredFunction}()`);
  return problems.length > 0
    ? { status: 'mismatch', detail: `trigger exists but ${problems.join('; ')}` }
    : { status: 'ok', detail: `${timing} ${events.join(' OR ')} FOR EACH ${forEach} → ${found.function}(), enabled` };
}

function checkFunction(d: FunctionDeclaration, found: CatalogFunction): Verdict {
  if (d.returnsTrigger && !found.returnsTrigger) return { status: 'mismatch', detail: 'function exists but does not return trigger' };
  return { status: 'ok', detail: `${found.language} ${d.procedure ? 'procedure' : 'function'}${found.returnsTrigger ? ' returning trigger' : ''}` };
}

function renamedColumns(e: Expectation): string {
  return e.columnRenames.size === 0 ? '' : ` (columns renamed since: ${[...e.columnRenames].map(([from, to]) => `${from} → ${to}`).join(', ')})`;
}

/** "migrations/003_x.sql:12": the file with its folder (diesel and Prisma name every file alike). */
export function describePlace(place: StatementPlace): string {
  return `${place.file.split(/[\\/]/).slice(-2).join('/')}:${place.line}`;
}

/** "by migrations/003_x.sql:12 (with its table orders)". */
export function describeFate(fate: Fate): string {
  return `by ${describePlace(fate.by)}${fate.how ? ` (${fate.how})` : ''}`;
}

function verdictOfPresent(e: Expectation, found: CatalogIndex | CatalogConstraint | CatalogTrigger | CatalogFunction): Verdict {
  const d = e.declaration;
  if (!d) return { status: 'ok', detail: 'exists' };
  switch (d.kind) {
    case 'index': return checkIndex(d, e, found as CatalogIndex);
    case 'constraint': return checkConstraint(d, e, found as CatalogConstraint);
    case 'trigger': return checkTrigger(d, e, found as CatalogTrigger);
    case 'function': return checkFunction(d, found as CatalogFunction);
  }
}

/** The verdict from what the run measured: its own statements' drops and renames, the object's state by OID. */
function measuredVerdict(e: Expectation, m: MeasuredObject, found: CatalogIndex | CatalogConstraint | CatalogTrigger | CatalogFunction | undefined): Verdict {
  if (m.oid === null && !m.droppedBy) {
    return e.declaration?.guarded
      ? { status: 'skipped', detail: 'not created: it is declared inside a DO block whose condition did not hold' }
      : { status: 'missing', detail: `${e.kind} ${e.name} did not exist after the statement that declares it ran` };
  }
  if (m.droppedBy) {
    // The files' own account of how, when it names the same statement.
    const how = e.fate?.action === 'dropped' && e.fate.by.file === m.droppedBy.file && e.fate.by.statementIndex === m.droppedBy.statementIndex && e.fate.how ? ` (${e.fate.how})` : '';
    return { status: 'dropped', detail: `dropped by ${describePlace(m.droppedBy)}${how}` };
  }
  const renamed = m.renamedBy && m.name !== e.name ? `renamed to ${m.name} by ${describePlace(m.renamedBy)}; ` : '';
  if (!found) return { status: 'missing', detail: `${renamed}${e.kind} ${m.name} no longer exists at the end of the run` };
  const verdict = verdictOfPresent(e, found);
  return { status: verdict.status, detail: `${renamed}${verdict.detail}` };
}

/** The catalog's object answering the lookup `key`, if it was found. */
export function foundUnder(answer: CatalogAnswer, key: string): CatalogIndex | CatalogConstraint | CatalogTrigger | CatalogFunction | undefined {
  return [...answer.indexes, ...answer.constraints, ...answer.triggers, ...answer.functions].find((f) => f.key === key && f.found);
}

/**
 * The verdict for one expectation, given the catalog's answer under `key` and, after a run, what it
 * measured. `laterCodeRan` is the proof that the later statement building SQL at run time from text
 * naming the object (`codeNamingItAfter`) ran on this database: an object declared after it exists.
 */
export function verdictFor(e: Expectation, key: string, answer: CatalogAnswer, measured?: MeasuredObject, laterCodeRan?: string): Verdict {
  const found = foundUnder(answer, key);
  if (measured) return measuredVerdict(e, measured, found);
  if (!e.present) {
    // The catalog's object of that name is a later declaration's; this one went where the files say.
    if (e.redeclared && e.fate) return { status: 'dropped', detail: `dropped ${describeFate(e.fate)}, declared again later` };
    if (!found) {
      return e.declaration && e.fate ? { status: 'dropped', detail: `dropped ${describeFate(e.fate)}` } : { status: 'ok', detail: 'absent, as the file leaves it' };
    }
    if (e.guardedDrop) return { status: 'skipped', detail: 'still exists: it is dropped inside a DO block whose condition did not hold' };
    // Dropped with what it hangs on, yet there: the files' end state has it after all (re-created at run time).
    if (e.declaration && e.fate && !e.fate.explicit) return verdictOfPresent(e, found);
    return { status: 'mismatch', detail: `still exists although the file drops or renames it${e.fate ? ` (${describeFate(e.fate)})` : ''}` };
  }
  const renamed = e.currentName !== e.name && e.fate?.action === 'renamed' ? `renamed to ${e.currentName} ${describeFate(e.fate)}; ` : '';
  if (!found) {
    if (e.declaration?.guarded) return { status: 'skipped', detail: 'not created: it is declared inside a DO block whose condition did not hold' };
    const freed = e.freedName;
    const underFreedName = e.codeRanBefore && freed !== null ? foundUnder(answer, freedKey(key)) : undefined;
    if (e.codeRanBefore && freed !== null && underFreedName) {
      const verdict = verdictOfPresent(e, underFreedName);
      return { status: verdict.status, detail: `${renamed}named ${freed}: ${describePlace(e.codeRanBefore)} ran SQL built at run time before it, which freed that name; ${verdict.detail}`, foundAs: freed };
    }
    if (e.codeRanBefore) {
      return { status: 'skipped', detail: `${renamed}not found under ${e.currentName}, the name PostgreSQL was expected to give it, and ${describePlace(e.codeRanBefore)} ran SQL built at run time before it, which may have freed or taken that name (a dry-run measures what it did)` };
    }
    if (e.codeNamingItAfter && laterCodeRan) {
      // Declared unconditionally, so it existed; gone now; a later statement that builds SQL from text
      // naming it ran here: that statement took it, as a dry-run measures.
      return { status: 'dropped', detail: `${renamed}dropped or renamed by SQL that ${describePlace(e.codeNamingItAfter)} built at run time from text naming it: not found, and that statement ran here (${laterCodeRan}, declared after it, exists)` };
    }
    if (e.codeRanAfter) {
      return { status: 'skipped', detail: `${renamed}not found, and ${describePlace(e.codeRanAfter)} later runs SQL built at run time that may have dropped or renamed it (a dry-run measures what it did)` };
    }
    return { status: 'missing', detail: `${renamed}${e.kind} ${e.currentName} does not exist after the migration` };
  }
  const verdict = verdictOfPresent(e, found);
  return { status: verdict.status, detail: `${renamed}${verdict.detail}` };
}
