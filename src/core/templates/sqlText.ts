// Small, exact helpers for writing SQL text: identifier and literal quoting, the names Drydock
// derives for the objects it creates, and a top-level statement splitter for template text.

/** PostgreSQL's longest identifier, in bytes; longer names are truncated by the server. */
export const MAX_IDENTIFIER_LENGTH = 63;

// Reserved words that commonly collide with column names; any of them must be quoted.
const RESERVED = new Set([
  'all', 'analyse', 'analyze', 'and', 'any', 'array', 'as', 'asc', 'check', 'collate', 'column',
  'constraint', 'create', 'current_date', 'current_user', 'default', 'desc', 'distinct', 'do', 'else',
  'end', 'except', 'false', 'fetch', 'for', 'foreign', 'from', 'grant', 'group', 'having', 'in',
  'into', 'limit', 'not', 'null', 'offset', 'on', 'only', 'or', 'order', 'primary', 'references',
  'select', 'table', 'then', 'to', 'true', 'union', 'unique', 'user', 'using', 'when', 'where', 'with',
]);

/** The identifier as SQL: bare when PostgreSQL would read it back unchanged, double-quoted otherwise. */
export function quoteIdent(name: string): string {
  if (/^[a-z_][a-z0-9_$]*$/.test(name) && !RESERVED.has(name)) return name;
  return `"${name.replace(/"/g, '""')}"`;
}

/** A string literal ('…' with quotes doubled). */
export function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

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

/**
 * Splits SQL text into top-level statements at semicolons outside quotes, dollar-quoted bodies and
 * comments. Meant for Drydock's own template text; the runner uses the real parser.
 */
export function splitTopLevelStatements(sql: string): string[] {
  const statements: string[] = [];
  let start = 0;
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i];
    const next = sql[i + 1];
    if (ch === '-' && next === '-') {
      const end = sql.indexOf('\n', i);
      i = end === -1 ? sql.length : end + 1;
    } else if (ch === '/' && next === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end === -1 ? sql.length : end + 2;
    } else if (ch === "'" || ch === '"') {
      i += 1;
      while (i < sql.length && !(sql[i] === ch && sql[i + 1] !== ch)) i += sql[i] === ch ? 2 : 1;
      i += 1;
    } else if (ch === '$') {
      const tag = /^\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i));
      if (tag) {
        const end = sql.indexOf(tag[0], i + tag[0].length);
        i = end === -1 ? sql.length : end + tag[0].length;
      } else {
        i += 1;
      }
    } else if (ch === ';') {
      statements.push(sql.slice(start, i + 1).trim());
      start = i + 1;
      i += 1;
    } else {
      i += 1;
    }
  }
  const rest = sql.slice(start).trim();
  if (rest !== '' && !/^(--[^\n]*\n?\s*)*$/.test(rest)) statements.push(rest);
  return statements.filter((s) => s !== '');
}

/** True when the statement holds a dollar-quoted body (a function or DO block). */
export function hasDollarQuotedBody(statement: string): boolean {
  return /\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$/.test(statement.replace(/--[^\n]*/g, ''));
}
