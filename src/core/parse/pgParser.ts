// The real PostgreSQL parser (libpg-query, compiled to WebAssembly). Loaded once, on first use:
// activation and `drydock --help` never pay for it.
import * as libpgQuery from 'libpg-query';
import type { Node, ParseResult, ScanToken } from 'libpg-query';

export type { Node, ParseResult, ScanToken };

let loading: Promise<void> | null = null;
let loaded = false;

/** Loads the WebAssembly parser; safe to call many times. */
export function loadParser(): Promise<void> {
  loading ??= libpgQuery.loadModule().then(() => {
    loaded = true;
  });
  return loading;
}

function assertLoaded(): void {
  if (!loaded) throw new Error('the PostgreSQL parser is not loaded: await loadParser() first');
}

/** A syntax error from the parser: message and 0-based character (code point) position. */
export interface ParserError {
  message: string;
  cursorPosition: number;
}

/** Raw parse of a whole text; throws ParserError-shaped errors. */
export function parseSql(sql: string): ParseResult {
  assertLoaded();
  if (sql.trim() === '') return { stmts: [] };
  return libpgQuery.parseSync(sql);
}

/** The parser's error details, or null when `err` is not a parser error. */
export function parserErrorOf(err: unknown): ParserError | null {
  if (libpgQuery.hasSqlDetails(err) && err.sqlDetails) {
    return { message: err.sqlDetails.message, cursorPosition: err.sqlDetails.cursorPosition };
  }
  return null;
}

/** Tokens of a text with byte offsets (the real scanner: comments and whitespace are not tokens). */
export function scanSql(sql: string): ScanToken[] {
  assertLoaded();
  return libpgQuery.scanSync(sql).tokens;
}

/** Parses the PL/pgSQL body of a CREATE FUNCTION statement into its statement tree. */
export function parsePlpgsql(createFunctionSql: string): unknown {
  assertLoaded();
  return libpgQuery.parsePlPgSQLSync(createFunctionSql);
}

// Every field of the parse tree that records where a token was, not what it says.
const POSITION_KEYS = new Set([
  'location', 'name_location', 'stmt_location', 'stmt_len', 'list_start', 'list_end', 'rexpr_list_start', 'rexpr_list_end',
]);

/** True for a parse-tree field that records where a token was (any `…_location` included). */
export function isPositionKey(key: string): boolean {
  return POSITION_KEYS.has(key) || key.endsWith('_location');
}

/** A parse tree (or part of one) as JSON without token positions: equal exactly when the SQL means the same. */
export function treeWithoutPositions(tree: unknown): string {
  return JSON.stringify(tree, (key, value: unknown) => (isPositionKey(key) ? undefined : value));
}

/** The parse-tree fingerprint (same for texts that differ only in layout and constants). */
export function fingerprintSql(sql: string): string {
  assertLoaded();
  return libpgQuery.fingerprintSync(sql);
}
