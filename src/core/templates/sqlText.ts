// Small, exact helpers for writing SQL text: table names, identifier and literal quoting (shared
// with the rest of core), and the names Drydock derives for the objects it creates.

/** PostgreSQL's longest identifier, in bytes; longer names are truncated by the server. */
export const MAX_IDENTIFIER_LENGTH = 63;

import { quoteIdent, quoteLiteral } from '../sqlNames';

export { quoteIdent, quoteLiteral };

/** A possibly schema-qualified table name split into its parts. */
export interface TableName {
  schema: string | null;
  name: string;
}

/** Splits "schema.table" (either part may be double-quoted) into its parts. */
export function parseTableName(text: string): TableName {
  const parts: string[] = [];
  const re = /\s*(?:"((?:[^"]|"")*)"|([^".\s]+))\s*(\.|$)/y;
  let complete = false;
  for (let match = re.exec(text); match !== null; match = re.exec(text)) {
    parts.push(match[1] !== undefined ? match[1].replace(/""/g, '"') : (match[2] ?? '').toLowerCase());
    if (match[3] === '') {
      complete = true;
      break;
    }
  }
  if (!complete || parts.length > 2 || parts.some((p) => p === '')) {
    throw new Error(`not a table name: ${JSON.stringify(text)}`);
  }
  return parts.length === 2 ? { schema: parts[0] ?? null, name: parts[1] ?? '' } : { schema: null, name: parts[0] ?? '' };
}

/** The table as SQL text, schema-qualified when it was given with a schema. */
export function tableSql(table: TableName): string {
  return table.schema ? `${quoteIdent(table.schema)}.${quoteIdent(table.name)}` : quoteIdent(table.name);
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

