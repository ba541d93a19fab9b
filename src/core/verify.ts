// Checks that what the files declare exists and is healthy, in one catalog round trip, and answers
// the name-pattern questions teams ask (idx_%, uq_%, chk_%, update_%_updated_at) for the same tables.
import { qualifiedName, type ConstraintDeclaration, type Declaration, type FunctionDeclaration, type IndexDeclaration, type TriggerDeclaration } from './declarations';
import { expressionsEquivalent } from './expressions';
import type { ParsedFile } from './parser';
import type { CheckStatus, DeclaredKind, IndexUsage, InventoryItem, VerificationCheck } from './report';
import type { Session } from './session';
import { indexColumnSql, qualifiedSql, relationSql } from './sqlNames';

/** The state the files leave an object in, with where it was declared. */
interface Expectation {
  kind: DeclaredKind;
  name: string;
  table: string | null;
  schema: string | null;
  present: boolean;
  /** Dropped inside a DO block: whether it really went depends on a condition. */
  guardedDrop: boolean;
  declaration: Declaration | null;
  validated: boolean;
  file: string;
  statementIndex: number;
}

function keyOf(kind: DeclaredKind, name: string, table: string | null): string {
  return kind === 'index' || kind === 'function' ? `${kind}:${name}` : `${kind}:${table ?? ''}:${name}`;
}

/** Replays the files' effects in order to find what should exist (or not) at the end. */
export function expectedObjects(files: ParsedFile[]): { expectations: Expectation[]; tables: string[] } {
  const byKey = new Map<string, Expectation>();
  const tables = new Set<string>();
  const findByName = (kind: DeclaredKind, name: string, table: string | null) =>
    byKey.get(keyOf(kind, name, table)) ?? [...byKey.values()].find((e) => e.kind === kind && e.name === name && (table === null || e.table === table || e.table?.endsWith(`.${table}`) === true));
  for (const file of files) {
    for (const statement of file.statements) {
      statement.tables.forEach((t) => tables.add(t));
      for (const effect of statement.effects) {
        if (effect.action === 'declare') {
          const d = effect.declaration;
          const table = d.kind === 'function' ? null : qualifiedName(d.schema, d.table);
          byKey.set(keyOf(d.kind, d.name, table), {
            kind: d.kind, name: d.name, table, schema: d.schema, present: true, guardedDrop: false, declaration: d,
            validated: d.kind !== 'constraint' || !d.notValid, file: file.file, statementIndex: statement.index,
          });
        } else if (effect.action === 'validate') {
          const found = findByName('constraint', effect.name, effect.table);
          if (found) found.validated = true;
        } else if (effect.action === 'drop' || effect.action === 'rename-index') {
          const kind = effect.action === 'drop' ? effect.kind : 'index';
          const name = effect.action === 'drop' ? effect.name : effect.from;
          const table = effect.action === 'drop' ? effect.table : null;
          const guardedDrop = effect.action === 'drop' && effect.guarded;
          const found = findByName(kind, name, table);
          if (found) {
            found.present = false;
            found.guardedDrop = guardedDrop;
          } else if (effect.action === 'drop') {
            byKey.set(keyOf(kind, name, table), {
              kind, name, table, schema: null, present: false, guardedDrop, declaration: null, validated: true, file: file.file, statementIndex: statement.index,
            });
          }
        }
      }
    }
  }
  return { expectations: [...byKey.values()].filter((e) => e.name !== ''), tables: [...tables] };
}

interface CatalogIndex { key: string; found: boolean; valid: boolean; ready: boolean; unique: boolean; method: string; opclasses: string[]; defaultOpclasses: boolean[]; columns: string[]; predicate: string | null; table: string }
interface CatalogConstraint { key: string; found: boolean; type: string; validated: boolean; definition: string; expression: string | null }
interface CatalogTrigger { key: string; found: boolean; enabled: string; tgtype: number; function: string }
interface CatalogFunction { key: string; found: boolean; returnsTrigger: boolean; language: string }
interface CatalogAnswer {
  indexes: CatalogIndex[];
  constraints: CatalogConstraint[];
  triggers: CatalogTrigger[];
  functions: CatalogFunction[];
  inventory: InventoryItem[];
  usage: IndexUsage[];
}

// One statement, one round trip. $1 holds what to look up; names are resolved the way PostgreSQL
// resolves the file's own (unqualified names through search_path).
const CATALOG_QUERY = `
WITH wanted AS (SELECT $1::jsonb AS j),
idx AS (SELECT * FROM jsonb_to_recordset((SELECT j->'indexes' FROM wanted)) AS x(key text, rel text)),
con AS (SELECT * FROM jsonb_to_recordset((SELECT j->'constraints' FROM wanted)) AS x(key text, name text, rel text)),
trg AS (SELECT * FROM jsonb_to_recordset((SELECT j->'triggers' FROM wanted)) AS x(key text, name text, rel text)),
fn AS (SELECT * FROM jsonb_to_recordset((SELECT j->'functions' FROM wanted)) AS x(key text, name text, nsp text, signature text)),
tbl AS (SELECT DISTINCT to_regclass(t) AS oid FROM jsonb_array_elements_text((SELECT j->'tables' FROM wanted)) AS t)
SELECT json_build_object(
  'indexes', (SELECT coalesce(json_agg(json_build_object(
      'key', idx.key, 'found', ix.indexrelid IS NOT NULL, 'valid', coalesce(ix.indisvalid, false), 'ready', coalesce(ix.indisready, false),
      'unique', coalesce(ix.indisunique, false), 'method', am.amname, 'table', ix.indrelid::regclass::text,
      'opclasses', (SELECT coalesce(json_agg(o.opcname ORDER BY k.n), '[]') FROM unnest(ix.indclass::oid[]) WITH ORDINALITY k(oid, n) JOIN pg_opclass o ON o.oid = k.oid),
      'defaultOpclasses', (SELECT coalesce(json_agg(o.opcdefault ORDER BY k.n), '[]') FROM unnest(ix.indclass::oid[]) WITH ORDINALITY k(oid, n) JOIN pg_opclass o ON o.oid = k.oid),
      'columns', (SELECT coalesce(json_agg(pg_get_indexdef(ix.indexrelid, k, true) ORDER BY k), '[]') FROM generate_series(1, ix.indnkeyatts) k),
      'predicate', pg_get_expr(ix.indpred, ix.indrelid, true))), '[]')
    FROM idx LEFT JOIN pg_index ix ON ix.indexrelid = to_regclass(idx.rel) LEFT JOIN pg_class c ON c.oid = ix.indexrelid LEFT JOIN pg_am am ON am.oid = c.relam),
  'constraints', (SELECT coalesce(json_agg(json_build_object(
      'key', con.key, 'found', pc.oid IS NOT NULL, 'type', pc.contype, 'validated', coalesce(pc.convalidated, false),
      'definition', pg_get_constraintdef(pc.oid, true), 'expression', pg_get_expr(pc.conbin, pc.conrelid, true))), '[]')
    FROM con LEFT JOIN pg_constraint pc ON pc.conrelid = to_regclass(con.rel) AND pc.conname = con.name),
  'triggers', (SELECT coalesce(json_agg(json_build_object(
      'key', trg.key, 'found', t.oid IS NOT NULL, 'enabled', t.tgenabled, 'tgtype', t.tgtype, 'function', p.proname)), '[]')
    FROM trg LEFT JOIN pg_trigger t ON t.tgrelid = to_regclass(trg.rel) AND t.tgname = trg.name AND NOT t.tgisinternal
    LEFT JOIN pg_proc p ON p.oid = t.tgfoid),
  'functions', (SELECT coalesce(json_agg(json_build_object(
      'key', fn.key, 'found', p.oid IS NOT NULL, 'returnsTrigger', p.prorettype = 'trigger'::regtype, 'language', l.lanname)), '[]')
    FROM fn LEFT JOIN LATERAL (
      SELECT * FROM pg_proc p
      WHERE CASE WHEN fn.signature IS NOT NULL THEN p.oid = to_regprocedure(fn.signature)
                 ELSE p.proname = fn.name AND (fn.nsp IS NULL AND pg_function_is_visible(p.oid) OR p.pronamespace::regnamespace::text = fn.nsp) END
      ORDER BY p.oid LIMIT 1) p ON true
    LEFT JOIN pg_language l ON l.oid = p.prolang),
  'inventory', (SELECT coalesce(json_agg(i ORDER BY i.kind, i.table, i.name), '[]') FROM (
      SELECT 'index' AS kind, c.relname AS name, ix.indrelid::regclass::text AS table, pg_get_indexdef(ix.indexrelid) AS definition, ix.indisvalid AND ix.indisready AS healthy
        FROM pg_index ix JOIN pg_class c ON c.oid = ix.indexrelid
        WHERE ix.indrelid IN (SELECT oid FROM tbl) AND (c.relname LIKE 'idx\\_%' OR c.relname LIKE 'uq\\_%')
      UNION ALL
      SELECT 'constraint', pc.conname, pc.conrelid::regclass::text, pg_get_constraintdef(pc.oid, true), pc.convalidated
        FROM pg_constraint pc WHERE pc.conrelid IN (SELECT oid FROM tbl) AND (pc.conname LIKE 'chk\\_%' OR pc.conname LIKE 'uq\\_%')
      UNION ALL
      SELECT 'trigger', t.tgname, t.tgrelid::regclass::text, pg_get_triggerdef(t.oid, true), t.tgenabled <> 'D'
        FROM pg_trigger t WHERE t.tgrelid IN (SELECT oid FROM tbl) AND NOT t.tgisinternal AND t.tgname LIKE 'update\\_%\\_updated\\_at'
    ) i),
  'usage', (SELECT coalesce(json_agg(json_build_object(
      'table', s.relid::regclass::text, 'index', s.indexrelname, 'scans', s.idx_scan, 'tuplesRead', s.idx_tup_read,
      'tuplesFetched', s.idx_tup_fetch, 'sizeBytes', pg_relation_size(s.indexrelid)) ORDER BY s.relid::regclass::text, s.indexrelname), '[]')
    FROM pg_stat_user_indexes s WHERE s.relid IN (SELECT oid FROM tbl))
) AS answer`;



function functionSignature(d: FunctionDeclaration | null): string | null {
  if (!d || d.args.some((a) => a === '')) return null;
  return `${relationSql(d.schema, d.name)}(${d.args.join(', ')})`;
}

function lookups(expectations: Expectation[], tables: string[]) {
  const pick = (kind: DeclaredKind) => expectations.filter((e) => e.kind === kind);
  return {
    indexes: pick('index').map((e) => ({ key: keyOf(e.kind, e.name, e.table), rel: relationSql(e.schema, e.name) })),
    constraints: pick('constraint').map((e) => ({ key: keyOf(e.kind, e.name, e.table), name: e.name, rel: qualifiedSql(e.table ?? '') })),
    triggers: pick('trigger').map((e) => ({ key: keyOf(e.kind, e.name, e.table), name: e.name, rel: qualifiedSql(e.table ?? '') })),
    functions: pick('function').map((e) => ({
      key: keyOf(e.kind, e.name, e.table), name: e.name, nsp: e.schema,
      signature: functionSignature(e.declaration?.kind === 'function' ? e.declaration : null),
    })),
    tables: tables.map((t) => qualifiedSql(t)),
  };
}

type Verdict = { status: CheckStatus; detail: string };

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

const CONTYPES: Record<string, ConstraintDeclaration['type']> = { c: 'check', u: 'unique', p: 'primary-key', f: 'foreign-key', x: 'exclusion' };

function checkConstraint(d: ConstraintDeclaration, expected: Expectation, found: CatalogConstraint): Verdict {
  if (CONTYPES[found.type] !== d.type) return { status: 'mismatch', detail: `a ${CONTYPES[found.type] ?? found.type} constraint has this name, declared ${d.type}: ${found.definition}` };
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

const TIMING_BEFORE = 2;
const TIMING_INSTEAD = 64;

function checkTrigger(d: TriggerDeclaration, found: CatalogTrigger): Verdict {
  if (found.enabled === 'D') return { status: 'disabled', detail: 'trigger exists but is disabled (ALTER TABLE … ENABLE TRIGGER)' };
  const timing = found.tgtype & TIMING_INSTEAD ? 'INSTEAD OF' : found.tgtype & TIMING_BEFORE ? 'BEFORE' : 'AFTER';
  const events = [[4, 'INSERT'], [8, 'DELETE'], [16, 'UPDATE'], [32, 'TRUNCATE']].filter(([bit]) => found.tgtype & (bit as number)).map(([, n]) => n);
  const forEach = found.tgtype & 1 ? 'ROW' : 'STATEMENT';
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

function verdictFor(e: Expectation, answer: CatalogAnswer): Verdict {
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

export interface VerificationResult {
  checks: VerificationCheck[];
  inventory: InventoryItem[];
  indexUsage: IndexUsage[];
  /** The checks showing the migration did not leave the database as declared. */
  failures: VerificationCheck[];
}

const FAILING: CheckStatus[] = ['missing', 'invalid', 'mismatch', 'disabled'];

/** Verifies every object the files declare, in one catalog query on `session`. */
export async function verifyDeclaredObjects(session: Session, files: ParsedFile[]): Promise<VerificationResult> {
  const { expectations, tables } = expectedObjects(files);
  if (expectations.length === 0 && tables.length === 0) return { checks: [], inventory: [], indexUsage: [], failures: [] };
  const result = await session.query(CATALOG_QUERY, [JSON.stringify(lookups(expectations, tables))]);
  const answer = result.rows[0]?.answer as CatalogAnswer;
  const checks = expectations.map((e): VerificationCheck => {
    const verdict = verdictFor(e, answer);
    return { kind: e.kind, name: e.name, table: e.table, status: verdict.status, detail: verdict.detail, file: e.file, statementIndex: e.statementIndex };
  });
  const failures = checks.filter((c, i) => FAILING.includes(c.status) || (c.status === 'not-validated' && expectations[i]?.validated));
  const indexUsage = answer.usage.map((u) => ({
    ...u, scans: Number(u.scans), tuplesRead: Number(u.tuplesRead), tuplesFetched: Number(u.tuplesFetched), sizeBytes: Number(u.sizeBytes),
  }));
  return { checks, inventory: answer.inventory, indexUsage, failures };
}
