// The one catalog query verification makes, and the shape of its answer. $1 holds what to look
// up (built by catalogLookups); names resolve the way PostgreSQL resolves the file's own.
import type { FunctionDeclaration } from '../parse/declarations';
import type { DeclaredKind, IndexUsage, InventoryItem } from '../model/report';
import { qualifiedSql, relationSql } from '../sql/quoting';
import type { Expectation } from './expectations';

export interface CatalogIndex { key: string; found: boolean; definition: string; valid: boolean; ready: boolean; unique: boolean; method: string; opclasses: string[]; defaultOpclasses: boolean[]; columns: string[]; collations: (string | null)[]; predicate: string | null; table: string }
export interface CatalogConstraint { key: string; found: boolean; type: string; validated: boolean; definition: string; expression: string | null }
export interface CatalogTrigger { key: string; found: boolean; enabled: string; tgtype: number; function: string }
export interface CatalogFunction { key: string; found: boolean; returnsTrigger: boolean; language: string }
export interface CatalogAnswer {
  indexes: CatalogIndex[];
  constraints: CatalogConstraint[];
  triggers: CatalogTrigger[];
  functions: CatalogFunction[];
  inventory: InventoryItem[];
  usage: IndexUsage[];
}

// Where an unqualified name is not on this session's search path, the schema the project's runner
// put it in (its own search_path, which verify cannot know): the one schema holding it, if only one does.
const USER_SCHEMAS = `pg_namespace n WHERE n.nspname <> 'information_schema' AND n.nspname !~ '^pg_'`;

/** SQL for the OID of the relation `rel` (unqualified SQL text) in the one user schema that has it, else NULL. */
function relationInOneSchema(rel: string): string {
  return `(SELECT min(f) FROM (SELECT to_regclass(quote_ident(n.nspname) || '.' || ${rel})::oid AS f FROM ${USER_SCHEMAS}) s WHERE f IS NOT NULL HAVING count(*) = 1)`;
}

/** SQL for `rel`'s OID: as this session resolves it, else, unqualified, in the one user schema that has it. */
function relationOid(rel: string): string {
  return `coalesce(to_regclass(${rel})::oid, CASE WHEN position('.' in ${rel}) = 0 THEN ${relationInOneSchema(rel)} END)`;
}

// One statement, one round trip.
export const CATALOG_QUERY = `
WITH wanted AS (SELECT $1::jsonb AS j),
idx AS (SELECT * FROM jsonb_to_recordset((SELECT j->'indexes' FROM wanted)) AS x(key text, oid oid, rel text)),
con AS (SELECT * FROM jsonb_to_recordset((SELECT j->'constraints' FROM wanted)) AS x(key text, oid oid, name text, rel text)),
trg AS (SELECT * FROM jsonb_to_recordset((SELECT j->'triggers' FROM wanted)) AS x(key text, oid oid, name text, rel text)),
fn AS (SELECT * FROM jsonb_to_recordset((SELECT j->'functions' FROM wanted)) AS x(key text, oid oid, name text, nsp text, signature text, args jsonb)),
tbl AS (SELECT DISTINCT to_regclass(t) AS oid FROM jsonb_array_elements_text((SELECT j->'tables' FROM wanted)) AS t)
SELECT json_build_object(
  'indexes', (SELECT coalesce(json_agg(json_build_object(
      'key', idx.key, 'found', ix.indexrelid IS NOT NULL, 'definition', pg_get_indexdef(ix.indexrelid), 'valid', coalesce(ix.indisvalid, false), 'ready', coalesce(ix.indisready, false),
      'unique', coalesce(ix.indisunique, false), 'method', am.amname, 'table', ix.indrelid::regclass::text,
      'opclasses', (SELECT coalesce(json_agg(o.opcname ORDER BY k.n), '[]') FROM unnest(ix.indclass::oid[]) WITH ORDINALITY k(oid, n) JOIN pg_opclass o ON o.oid = k.oid),
      'defaultOpclasses', (SELECT coalesce(json_agg(o.opcdefault ORDER BY k.n), '[]') FROM unnest(ix.indclass::oid[]) WITH ORDINALITY k(oid, n) JOIN pg_opclass o ON o.oid = k.oid),
      'columns', (SELECT coalesce(json_agg(pg_get_indexdef(ix.indexrelid, k, true) ORDER BY k), '[]') FROM generate_series(1, ix.indnkeyatts) k),
      'collations', (SELECT coalesce(json_agg(co.collname ORDER BY k.n), '[]') FROM unnest(ix.indcollation::oid[]) WITH ORDINALITY k(oid, n)
        LEFT JOIN pg_collation co ON co.oid = k.oid WHERE k.n <= ix.indnkeyatts),
      'predicate', pg_get_expr(ix.indpred, ix.indrelid, true))), '[]')
    FROM idx LEFT JOIN pg_index ix ON ix.indexrelid = coalesce(idx.oid, ${relationOid('idx.rel')}) LEFT JOIN pg_class c ON c.oid = ix.indexrelid LEFT JOIN pg_am am ON am.oid = c.relam),
  'constraints', (SELECT coalesce(json_agg(json_build_object(
      'key', con.key, 'found', pc.oid IS NOT NULL, 'type', pc.contype, 'validated', coalesce(pc.convalidated, false),
      'definition', pg_get_constraintdef(pc.oid, true), 'expression', pg_get_expr(pc.conbin, pc.conrelid, true))), '[]')
    FROM con LEFT JOIN LATERAL (
      SELECT * FROM pg_constraint WHERE con.oid IS NOT NULL AND oid = con.oid
      UNION ALL SELECT * FROM pg_constraint WHERE con.oid IS NULL AND conrelid = ${relationOid('con.rel')} AND conname = con.name) pc ON true),
  'triggers', (SELECT coalesce(json_agg(json_build_object(
      'key', trg.key, 'found', t.oid IS NOT NULL, 'enabled', t.tgenabled, 'tgtype', t.tgtype, 'function', p.proname)), '[]')
    FROM trg LEFT JOIN LATERAL (
      SELECT * FROM pg_trigger WHERE trg.oid IS NOT NULL AND oid = trg.oid
      UNION ALL SELECT * FROM pg_trigger WHERE trg.oid IS NULL AND tgrelid = ${relationOid('trg.rel')} AND tgname = trg.name AND NOT tgisinternal) t ON true
    LEFT JOIN pg_proc p ON p.oid = t.tgfoid),
  'functions', (SELECT coalesce(json_agg(json_build_object(
      'key', fn.key, 'found', p.oid IS NOT NULL, 'returnsTrigger', p.prorettype = 'trigger'::regtype, 'language', l.lanname)), '[]')
    FROM fn LEFT JOIN LATERAL (
      -- One branch per way of finding it, each an index lookup (a CASE in one WHERE made it a scan of pg_proc per function).
      SELECT * FROM pg_proc WHERE fn.oid IS NOT NULL AND oid = fn.oid
      UNION ALL SELECT * FROM pg_proc WHERE fn.oid IS NULL AND fn.signature IS NOT NULL AND oid = ${regprocedureSql('fn.signature', 'fn.args')}
      -- Else, unqualified, in the one schema holding it (when the search path found it, that schema is the one: the same row).
      UNION ALL SELECT * FROM pg_proc WHERE fn.oid IS NULL AND fn.signature IS NOT NULL AND fn.nsp IS NULL
        AND oid = (SELECT min(f) FROM (SELECT ${regprocedureSql(`quote_ident(n.nspname) || '.' || fn.signature`, 'fn.args')}::oid AS f FROM ${USER_SCHEMAS}) s WHERE f IS NOT NULL HAVING count(*) = 1)
      UNION ALL (SELECT * FROM pg_proc p WHERE fn.oid IS NULL AND fn.signature IS NULL AND p.proname = fn.name
                 AND (fn.nsp IS NULL AND pg_function_is_visible(p.oid) OR p.pronamespace::regnamespace::text = fn.nsp) ORDER BY p.oid LIMIT 1)
      LIMIT 1) p ON true
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



/**
 * "schema.f(int4, text)" for to_regprocedure, or null when an argument type is not known from the
 * text. `types`: for each argument, the name its type has when looked up (as SQL), when the files
 * renamed it since (a table whose row type it is follows the table's renames); null keeps the declared one.
 * `name`: the function's name now (ALTER FUNCTION … RENAME TO since).
 */
export function functionSignature(d: FunctionDeclaration | null, types: readonly (string | null)[] = [], name = d?.name ?? ''): string | null {
  const args = signatureArguments(d, types);
  return d && args ? `${relationSql(d.schema, name)}(${args.join(', ')})` : null;
}

/** The argument types of functionSignature, or null. */
export function signatureArguments(d: FunctionDeclaration | null, types: readonly (string | null)[] = []): string[] | null {
  if (!d || d.args.some((a) => a === '')) return null;
  return types.length === d.args.length ? d.args.map((a, i) => (types[i] != null ? `${types[i]}${a.endsWith('[]') ? '[]' : ''}` : a)) : d.args;
}

/**
 * SQL finding a function by `signature` (text) whose argument types are `args` (a jsonb array):
 * NULL when a type is gone (before PostgreSQL 16 to_regprocedure raises an error for a type that
 * does not exist, a table's row type dropped with its table).
 */
export function regprocedureSql(signature: string, args: string): string {
  return `CASE WHEN NOT EXISTS (SELECT 1 FROM jsonb_array_elements_text(coalesce(${args}, '[]')) a WHERE to_regtype(a) IS NULL) THEN to_regprocedure(${signature}) END`;
}

/** One object to look up: by the OID a run measured, else by its name at the end. */
export interface CatalogLookup {
  expectation: Expectation;
  oid: number | null;
}

/** What to look up, as the query's $1; each answer's key is the lookup's position in `lookups`. */
/** The key of the lookup of an expectation's `freedName`. */
export function freedKey(key: string): string {
  return `${key}:freed`;
}

export function catalogLookups(lookups: readonly CatalogLookup[], tables: string[]) {
  const pick = (kind: DeclaredKind) => lookups.map((l, i) => ({ ...l, key: String(i) })).filter((l) => l.expectation.kind === kind);
  return {
    indexes: pick('index').map(({ key, oid, expectation: e }) => ({ key, oid, rel: relationSql(e.schema, e.currentName) })),
    constraints: pick('constraint').flatMap(({ key, oid, expectation: e }) => [
      { key, oid, name: e.currentName, rel: qualifiedSql(e.table ?? '') },
      ...(e.freedName !== null && oid === null ? [{ key: freedKey(key), oid: null, name: e.freedName, rel: qualifiedSql(e.table ?? '') }] : []),
    ]),
    triggers: pick('trigger').map(({ key, oid, expectation: e }) => ({ key, oid, name: e.currentName, rel: qualifiedSql(e.table ?? '') })),
    functions: pick('function').map(({ key, oid, expectation: e }) => ({
      key, oid, name: e.currentName, nsp: e.schema, signature: functionSignature(e.declaration?.kind === 'function' ? e.declaration : null, e.argumentTypes, e.currentName),
      args: signatureArguments(e.declaration?.kind === 'function' ? e.declaration : null, e.argumentTypes),
    })),
    tables: tables.map((t) => qualifiedSql(t)),
  };
}

