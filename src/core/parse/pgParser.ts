// The real PostgreSQL parser (libpg-query, compiled to WebAssembly). Loaded once, on first use:
// activation and `drydock --help` never pay for it.
import type { Node, ParseResult, RawStmt, ScanResult, ScanToken } from 'libpg-query';
import { ParserSyntaxError, callWithText, loadWasmParser, parseToJson, wasmParserLoaded } from './wasmParser';
import { treeJson } from './treeWalk';

export type { Node, ParseResult, RawStmt, ScanToken };

/** Loads the WebAssembly parser; safe to call many times. */
export function loadParser(): Promise<void> {
  return loadWasmParser();
}

function assertLoaded(): void {
  if (!wasmParserLoaded()) throw new Error('the PostgreSQL parser is not loaded: await loadParser() first');
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
  return JSON.parse(parseToJson(sql)) as ParseResult;
}

/**
 * Parse of a text that starts `padBytes` bytes into a larger one: as if it followed that many
 * spaces, so every location in the tree counts from the larger text's start.
 */
export function parseSqlAfter(sql: string, padBytes: number): ParseResult {
  assertLoaded();
  return JSON.parse(parseToJson(sql, padBytes)) as ParseResult;
}

/** The parser's error details, or null when `err` is not a parser error. */
export function parserErrorOf(err: unknown): ParserError | null {
  if (err instanceof ParserSyntaxError) {
    return { message: err.sqlDetails.message, cursorPosition: err.sqlDetails.cursorPosition };
  }
  return null;
}

/** libpg-query's text functions answer an error as a message in place of their result. */
function failedCall(result: string): boolean {
  return result.startsWith('syntax error') || result.startsWith('deparse error') || result.startsWith('ERROR');
}

/** Tokens of a text with byte offsets (the real scanner: comments and whitespace are not tokens). */
export function scanSql(sql: string): ScanToken[] {
  assertLoaded();
  const result = callWithText('_wasm_scan', sql);
  if (failedCall(result)) throw new Error(result);
  return (JSON.parse(result) as ScanResult).tokens;
}

/** Parses the PL/pgSQL body of a CREATE FUNCTION statement into its statement tree. */
export function parsePlpgsql(createFunctionSql: string): unknown {
  assertLoaded();
  const result = callWithText('_wasm_parse_plpgsql', createFunctionSql);
  // Success is always a JSON object; anything else is an error message.
  if (!result.startsWith('{')) throw new Error(result);
  return JSON.parse(result);
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
  return treeJson(tree, { skipKey: isPositionKey });
}

/** The parse-tree fingerprint (same for texts that differ only in layout and constants). */
export function fingerprintSql(sql: string): string {
  assertLoaded();
  const result = callWithText('_wasm_fingerprint', sql);
  if (failedCall(result)) throw new Error(result);
  return result;
}
