// Quoting names and values into SQL that Drydock writes itself (fix queries, catalog lookups).

// PostgreSQL's reserved and type/function-name keywords (Appendix C): as a table, column or index
// name they must be quoted. Column-name keywords (int, time, values, …) may stand bare there.
const KEYWORDS_NEEDING_QUOTES = new Set(`
all analyse analyze and any array as asc asymmetric both case cast check collate column constraint
create current_catalog current_date current_role current_time current_timestamp current_user default
deferrable desc distinct do else end except false fetch for foreign from grant group having in
initially intersect into lateral leading limit localtime localtimestamp not null offset on only or
order placing primary references returning select session_user some symmetric system_user table then
to trailing true union unique user using variadic when where window with
authorization binary collation concurrently cross current_schema freeze full ilike inner is isnull
join left like natural notnull outer overlaps right similar tablesample verbose`.trim().split(/\s+/));

/** An identifier as SQL: bare when PostgreSQL would read it back unchanged, else double-quoted. */
export function quoteIdent(name: string): string {
  if (/^[a-z_][a-z0-9_$]*$/.test(name) && !KEYWORDS_NEEDING_QUOTES.has(name)) return name;
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

/** A "schema.table" name as the parse tree spells it (unquoted parts), back as SQL. */
export function qualifiedSql(qualified: string): string {
  return qualified.split('.').map(quoteIdent).join('.');
}

/** An index column as declared (a bare column name, or an expression's own text) as SQL. */
export function indexColumnSql(column: string): string {
  return /^[\w$]+$/.test(column) ? quoteIdent(column) : column;
}
