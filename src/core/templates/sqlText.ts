// Small, exact helpers for writing SQL text: table names, identifier and literal quoting (shared
// with the rest of core), and the names Drydock derives for the objects it creates.

import { parserErrorOf, parseSql } from '../parse/pgParser';
import { quoteIdent, quoteLiteral, relationSql } from '../sql/quoting';

export { quoteIdent, quoteLiteral, relationSql };

/** PostgreSQL's longest identifier, in bytes; longer names are truncated by the server. */
export const MAX_IDENTIFIER_LENGTH = 63;

/** A possibly schema-qualified table name split into its parts. */
export interface TableName {
  schema: string | null;
  name: string;
}

// What `SELECT FROM <one table>` holds; any other clause means the text was more than a name.
const BARE_SELECT_KEYS = new Set(['fromClause', 'op', 'limitOption']);

/**
 * Reads "schema.table" or "table" (either part may be double-quoted) the way PostgreSQL does, by
 * parsing `SELECT FROM <text>` with the real parser (after `loadParser()`): unquoted parts fold to
 * lower case, quoted ones keep their case. Anything but one plain table reference is refused.
 */
export function parseTableName(text: string): TableName {
  return parseQualifiedName(text, 'table');
}

/**
 * Reads "schema.name" or "name" as PostgreSQL does (see parseTableName); `what` names the object
 * in the error ("not a table name", "not a function name").
 */
export function parseQualifiedName(text: string, what: string): TableName {
  const refuse = (why: string): never => {
    throw new Error(`not a ${what} name: ${JSON.stringify(text)} (${why})`);
  };
  let stmts;
  try {
    stmts = parseSql(`SELECT FROM ${text}`).stmts ?? [];
  } catch (err) {
    const parserError = parserErrorOf(err);
    if (!parserError) throw err;
    return refuse(`${parserError.message}; quote names that are reserved words or hold spaces`);
  }
  const select = stmts.length === 1 ? stmts[0]?.stmt : undefined;
  const from = select && 'SelectStmt' in select ? select.SelectStmt : undefined;
  const bare = from && Object.keys(from).every((key) => BARE_SELECT_KEYS.has(key)) && from.op === 'SETOP_NONE';
  const only = bare && from.fromClause?.length === 1 ? from.fromClause[0] : undefined;
  const range = only && 'RangeVar' in only ? only.RangeVar : undefined;
  if (!range || !range.relname) return refuse(`expected schema.${what} or ${what}`);
  if (range.catalogname !== undefined) return refuse('a database-qualified name');
  if (range.alias !== undefined) return refuse('an alias; quote names that hold spaces');
  if (range.inh !== true) return refuse('ONLY is not part of a name');
  return { schema: range.schemaname ?? null, name: range.relname };
}

/** The name fragment a word contributes to a derived name: lowercase, runs of other characters as "_". */
function nameFragment(word: string): string {
  return word.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
}

/**
 * A derived object name such as idx_<table>_<cols>: fragments joined by "_", cut to PostgreSQL's
 * 63-byte limit so that the name written is the name the catalog will hold.
 */
export function deriveName(prefix: string, table: string, columns: readonly string[], suffix = ''): string {
  const parts = [prefix, nameFragment(table), ...columns.map(nameFragment), suffix].filter((p) => p !== '');
  return parts.join('_').slice(0, MAX_IDENTIFIER_LENGTH).replace(/_+$/, '');
}

/** A migration name as a file-name slug: lowercase words joined by "_". */
export function slugify(name: string): string {
  const slug = nameFragment(name);
  if (slug === '') throw new Error(`migration name ${JSON.stringify(name)} has no letters or digits`);
  return slug;
}

