// What the connected database says about a template's target: which tables there are, their
// columns and types, and whether the table / columns a template names exist (and a GIN column is
// jsonb). Read-only catalog queries through the core Session.
import { loadParser } from '../parse/pgParser';
import type { Session } from '../db/backend';
import { planKind, type TemplateKind, type TemplateParams } from './kinds';
import { parseTableName, relationSql } from './sqlText';

/** A table the author can pick. */
export interface CatalogTable {
  /** As the catalog holds them: exact case, unquoted. */
  schema: string;
  name: string;
  /**
   * The table as SQL text ("Users", app."Order Items"; public tables unqualified): what to show
   * and what to pass on as TemplateParams.table, which reads it back exactly.
   */
  sql: string;
}

/** A catalog (schema, name) pair as the SQL text TemplateParams.table expects. */
export function tableNameFromCatalog(schema: string, name: string): string {
  return relationSql(schema === 'public' ? null : schema, name);
}

/** A column with its type as PostgreSQL prints it (format_type). */
export interface CatalogColumn {
  name: string;
  type: string;
}

function tableSqlOf(text: string): string {
  const table = parseTableName(text);
  return relationSql(table.schema, table.name);
}

/** Tables and partitioned tables outside the system schemas, schema then name. */
export async function listTables(session: Session): Promise<CatalogTable[]> {
  const result = await session.query(`
    SELECT n.nspname AS schema, c.relname AS name
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
    ORDER BY 1, 2`);
  return result.rows.map((r) => {
    const schema = String(r.schema);
    const name = String(r.name);
    return { schema, name, sql: tableNameFromCatalog(schema, name) };
  });
}

/** The table's columns in order; empty when the table does not exist. */
export async function listColumns(session: Session, table: string): Promise<CatalogColumn[]> {
  await loadParser(); // the table name is read with the real parser
  const result = await session.query(`
    SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type
    FROM pg_attribute a
    WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped
    ORDER BY a.attnum`, [tableSqlOf(table)]);
  return result.rows.map((r) => ({ name: String(r.name), type: String(r.type) }));
}

/** The columns a kind touches (the trigger's timestamp column defaults to updated_at). */
function targetColumns(kind: TemplateKind, params: TemplateParams): string[] {
  if (kind === 'trigger') return [params.columns?.[0]?.trim() || 'updated_at'];
  return (params.columns ?? []).map((c) => c.trim()).filter((c) => c !== '');
}

/**
 * Problems that would make the migration fail or do nothing on this database: a missing table or
 * column, a GIN column that is not jsonb. Empty when the target is fine. Throws on bad params.
 */
export async function checkTemplateTarget(session: Session, kind: TemplateKind, params: TemplateParams): Promise<string[]> {
  await loadParser(); // names and expressions are checked with the real parser
  planKind(kind, params); // parameter errors first, with their own messages
  const table = tableSqlOf(params.table);
  const columns = await listColumns(session, params.table);
  if (columns.length === 0) {
    const exists = await session.query('SELECT to_regclass($1) IS NOT NULL AS found', [table]);
    if (exists.rows[0]?.found !== true) {
      return kind === 'index' && params.guarded ? [] : [`table ${table} does not exist`];
    }
  }
  const problems: string[] = [];
  const byName = new Map(columns.map((c) => [c.name, c.type]));
  for (const column of targetColumns(kind, params)) {
    const type = byName.get(column);
    if (type === undefined) problems.push(`column ${column} does not exist in ${table}`);
    else if (kind === 'gin' && type !== 'jsonb' && !params.guarded) {
      problems.push(`column ${table}.${column} is ${type}, not jsonb: a jsonb GIN index needs a jsonb column (use the guarded form to skip it where it is not jsonb)`);
    }
  }
  return problems;
}
