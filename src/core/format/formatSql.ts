// Formatting that never changes meaning. sql-formatter (postgresql dialect) lays the text out; the
// real PostgreSQL parser then proves the result means the same: the parse tree of the output,
// without token positions, must equal the input's (so constants, identifiers and dollar-quoted
// bodies are unchanged byte for byte), its fingerprint must match, and the migration directives
// (-- migrate:up, -- +goose …, --! …, -- drydock:…) must still stand on their own lines, in order.
// Text that does not parse is refused with the parser's message, never "fixed".
import { format, type KeywordCase } from 'sql-formatter';
import { isDirectiveLine } from '../parse/directives';
import { fingerprintSql, parseSql, parserErrorOf, treeWithoutPositions } from '../parse/pgParser';
import { LineIndex, codePointToUtf16 } from '../model/lineIndex';
import type { Position } from '../model/positions';
import { DEFAULT_FORMAT_OPTIONS, type FormatOptions } from './formatOptions';

export { DEFAULT_FORMAT_OPTIONS, type FormatOptions };

/** The formatted text, or why the text was left alone. */
export type FormatOutcome =
  | { ok: true; text: string; changed: boolean }
  | { ok: false; reason: string; position?: Position };

/** The directive comment lines of a text, trimmed, in order. */
function directivesOf(text: string): string[] {
  return text.split('\n').filter(isDirectiveLine).map((line) => line.trim());
}

/** The parse tree as JSON without token positions: equal exactly when the statements mean the same. */
function parsedWithoutPositions(sql: string): string {
  return treeWithoutPositions(parseSql(sql));
}

function refuseUnparsable(text: string, err: unknown): FormatOutcome {
  const parserError = parserErrorOf(err);
  if (!parserError) throw err;
  const position = new LineIndex(text).positionAt(codePointToUtf16(text, parserError.cursorPosition));
  return {
    ok: false,
    reason: `Not formatted: the file does not parse (${parserError.message} at line ${position.line}, column ${position.column}). Formatting never guesses at broken SQL.`,
    position,
  };
}

function layout(text: string, options: FormatOptions): string {
  return format(text, {
    language: 'postgresql',
    keywordCase: options.keywordCase as KeywordCase,
    tabWidth: options.indent,
    useTabs: options.useTabs,
    expressionWidth: options.lineWidth,
    linesBetweenQueries: 1,
  });
}

/**
 * Formats SQL text (a whole file or a selection of whole statements) after `loadParser()`.
 * Returns the input unchanged with a reason when it does not parse or formatting would alter it.
 */
export function formatSql(text: string, partial: Partial<FormatOptions> = {}): FormatOutcome {
  const options = { ...DEFAULT_FORMAT_OPTIONS, ...partial };
  let before: string;
  try {
    before = parsedWithoutPositions(text);
  } catch (err) {
    return refuseUnparsable(text, err);
  }
  if (text.trim() === '') return { ok: true, text, changed: false };
  let formatted: string;
  try {
    formatted = layout(text, options);
  } catch (err) {
    return { ok: false, reason: `Not formatted: sql-formatter could not lay this text out (${(err as Error).message.split('\n')[0]}).` };
  }
  if (/\n$/.test(text) && !formatted.endsWith('\n')) formatted += '\n';
  let after: string;
  try {
    after = parsedWithoutPositions(formatted);
  } catch {
    return { ok: false, reason: 'Not formatted: the formatted text would not parse, so the file was left as it is.' };
  }
  if (after !== before || fingerprintSql(formatted) !== fingerprintSql(text)) {
    return { ok: false, reason: 'Not formatted: the formatted text would mean something different (its parse tree changed), so the file was left as it is.' };
  }
  if (directivesOf(formatted).join('\n') !== directivesOf(text).join('\n')) {
    return { ok: false, reason: 'Not formatted: formatting would move or merge migration directive comments, so the file was left as it is.' };
  }
  return { ok: true, text: formatted, changed: formatted !== text };
}

/** Exported for tests: the comparison formatSql relies on. */
export const _private = { treeWithoutPositions: parsedWithoutPositions, directivesOf };
