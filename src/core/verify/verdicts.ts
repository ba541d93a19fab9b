// Whether what the catalog holds is what a declaration asked for: one verdict per object kind.
import type { ConstraintDeclaration, FunctionDeclaration, IndexDeclaration, TriggerDeclaration } from '../parse/declarations';
import { expressionsEquivalent } from '../parse/expressions';
import type { CheckStatus } from '../model/report';
import { constraintTypeOf, triggerEvents, triggerLevel, triggerTiming } from '../sql/catalogCodes';
import { indexColumnSql } from '../sql/quoting';
import type { CatalogAnswer, CatalogConstraint, CatalogFunction, CatalogIndex, CatalogTrigger } from './catalogQuery';
import { keyOf, type Expectation } from './expectations';

export type Verdict = { status: CheckStatus; detail: string };

function checkIndex(d: IndexDeclaration, found: CatalogIndex): Verdict {
  if (!found.valid || !found.ready) return { status: 'invalid', detail: `index is INVALID (indisvalid=${found.valid}, indisready=${found.ready}): a failed or interrupted build; drop it and build again` };
  const problems: string[] = [];
  if (d.unique !== found.unique) problems.push(d.unique ? 'declared UNIQUE but is not unique' : 'is unique but was declared non-unique');
  if (d.method !== found.method) problems.push(`method is ${found.method}, declared ${d.method}`);
  if (d.columns.length !== found.columns.length || d.columns.some((c, i) => !expressionsEquivalent(indexColumnSql(c), found.columns[i] ?? ''))) {
    problems.push(`columns are (${found.columns.join(', ')}), declared (${d.columns.join(', ')})`);
  }
  d.opclasses.forEach((declared, i) => {
    const actual = found.opclasses[i];
    if (declared ? declared !== actual : found.defaultOpclasses[i] === false) {
      problems.push(`operator class of column ${i + 1} is ${actual}, declared ${declared ?? 'the default'}`);
    }
  });
  if ((d.predicate === null) !== (found.predicate === null) || (d.predicate && found.predicate && !expressionsEquivalent(d.predicate, found.predicate))) {
    problems.push(`predicate is ${found.predicate ?? 'none'}, declared ${d.predicate ?? 'none'}`);
  }
  return problems.length > 0
    ? { status: 'mismatch', detail: `an index with this name exists but ${problems.join('; ')}` }
    : { status: 'ok', detail: `${found.unique ? 'unique ' : ''}${found.method} index on ${found.table} (${found.columns.join(', ')}${found.opclasses.some((_, i) => !found.defaultOpclasses[i]) ? ` ${found.opclasses.join(', ')}` : ''})${found.predicate ? ` WHERE ${found.predicate}` : ''}, valid` };
}

function checkConstraint(d: ConstraintDeclaration, expected: Expectation, found: CatalogConstraint): Verdict {
  const type = constraintTypeOf(found.type);
  if (type !== d.type) return { status: 'mismatch', detail: `a ${type ?? found.type} constraint has this name, declared ${d.type}: ${found.definition}` };
  if (d.type === 'check' && d.expression && found.expression && !expressionsEquivalent(d.expression, found.expression)) {
    return { status: 'mismatch', detail: `definition is ${found.definition}, declared CHECK (${d.expression})` };
  }
  if (!found.validated) {
    return { status: 'not-validated', detail: expected.validated
      ? `NOT VALID although the file validates it: ${found.definition}`
      : `added NOT VALID and not validated yet: existing rows are unchecked until ALTER TABLE … VALIDATE CONSTRAINT ${d.name}` };
  }
  return { status: 'ok', detail: `${found.definition}, validated` };
}

function checkTrigger(d: TriggerDeclaration, found: CatalogTrigger): Verdict {
  if (found.enabled === 'D') return { status: 'disabled', detail: 'trigger exists but is disabled (ALTER TABLE … ENABLE TRIGGER)' };
  const timing = triggerTiming(found.tgtype);
  const events = triggerEvents(found.tgtype);
  const forEach = triggerLevel(found.tgtype);
  const declaredFunction = d.function.split('.').pop();
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

/** The verdict for one expectation, given the catalog's answer. */
export function verdictFor(e: Expectation, answer: CatalogAnswer): Verdict {
  const key = keyOf(e.kind, e.name, e.table);
  const found = [...answer.indexes, ...answer.constraints, ...answer.triggers, ...answer.functions].find((f) => f.key === key && f.found);
  if (!e.present) {
    if (!found) return { status: 'ok', detail: 'absent, as the file leaves it' };
    return e.guardedDrop
      ? { status: 'skipped', detail: 'still exists: it is dropped inside a DO block whose condition did not hold' }
      : { status: 'mismatch', detail: 'still exists although the file drops or renames it' };
  }
  if (!found) {
    return e.declaration?.guarded
      ? { status: 'skipped', detail: 'not created: it is declared inside a DO block whose condition did not hold' }
      : { status: 'missing', detail: `${e.kind} ${e.name} does not exist after the migration` };
  }
  const d = e.declaration;
  if (!d) return { status: 'ok', detail: 'exists' };
  switch (d.kind) {
    case 'index': return checkIndex(d, found as CatalogIndex);
    case 'constraint': return checkConstraint(d, e, found as CatalogConstraint);
    case 'trigger': return checkTrigger(d, found as CatalogTrigger);
    case 'function': return checkFunction(d, found as CatalogFunction);
  }
}

