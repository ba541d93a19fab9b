// Quoting names and values into SQL that Drydock writes itself (fix queries, catalog lookups).
import { scanSql } from './pgParser';

const UNRESERVED = 1;

function isKeywordNeedingQuotes(name: string): boolean {
  try {
    const token = scanSql(name)[0];
    return token !== undefined && token.keywordKind > UNRESERVED;
  } catch {
    return true;
  }
}

/** An identifier as SQL: bare when PostgreSQL would read it back unchanged, else double-quoted. */
export function quoteIdent(name: string): string {
  if (/^[a-z_][a-z0-9_$]*$/.test(name) && !isKeywordNeedingQuotes(name)) return name;
  return `"${name.replace(/"/g, '""')}"`;
}

/** A string literal. */
export function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** schema.table (or table) as SQL. */
export function relationSql(schema: string | null, table: string): string {
  return schema ? `${quoteIdent(schema)}.${quoteIdent(table)}` : quoteIdent(table);
}
