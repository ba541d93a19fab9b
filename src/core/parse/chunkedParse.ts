// Parsing a large file in pieces: the parser's output for a whole 10 MB file is one JSON string of
// hundreds of MB in WebAssembly memory, which never shrinks. A large text is cut at statement ends
// (a `;` at the end of a line, outside quotes, comments, dollar bodies and parentheses) into pieces
// of about CHUNK_BYTES, each parsed on its own after as many spaces as the bytes before it (written
// straight into the parser's memory, never built as a string), so every location in the trees is
// the one a whole-file parse gives. Any doubt (a piece that does not
// parse, e.g. a cut inside BEGIN ATOMIC … END) returns null and the caller parses the whole text.
import type { ParseResult } from './pgTypes';
import { parseSqlAfter } from './pgParser';

/** Texts below this size are parsed whole. */
export const CHUNKED_PARSE_MIN_BYTES = 256 * 1024;
const CHUNK_BYTES = 64 * 1024;

/** UTF-16 offsets just after statement-ending semicolons (followed by a line break), in order. */
function statementEnds(text: string): number[] {
  const ends: number[] = [];
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '-' && text[i + 1] === '-') {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? text.length : nl;
    } else if (c === '/' && text[i + 1] === '*') {
      // Nested block comments, as PostgreSQL reads them.
      let nesting = 1;
      i += 2;
      while (i < text.length && nesting > 0) {
        if (text[i] === '/' && text[i + 1] === '*') { nesting += 1; i += 2; } else if (text[i] === '*' && text[i + 1] === '/') { nesting -= 1; i += 2; } else i += 1;
      }
      i -= 1;
    } else if (c === "'" || c === '"') {
      // Quotes double to escape; E'' strings' backslash escapes are skipped too.
      const escapes = c === "'" && /[eE]/.test(text[i - 1] ?? '') && !/[\w$]/.test(text[i - 2] ?? '');
      for (i += 1; i < text.length; i++) {
        if (escapes && text[i] === '\\') i += 1;
        else if (text[i] === c) {
          if (text[i + 1] === c) i += 1;
          else break;
        }
      }
    } else if (c === '$' && !/[\w$]/.test(text[i - 1] ?? '')) {
      const tag = /^\$([A-Za-z_\u0080-\uffff][\w\u0080-\uffff]*)?\$/.exec(text.slice(i, i + 64));
      if (tag) {
        const close = text.indexOf(tag[0], i + tag[0].length);
        if (close < 0) return ends;
        i = close + tag[0].length - 1;
      }
    } else if (c === '(') depth += 1;
    else if (c === ')') depth = Math.max(0, depth - 1);
    else if (c === ';' && depth === 0 && (text[i + 1] === '\n' || text[i + 1] === '\r')) ends.push(i + 1);
  }
  return ends;
}

/** The parse of a large text, piece by piece; null when the text is small or a piece does not parse. */
export function parseInChunks(text: string): ParseResult | null {
  if (text.length < CHUNKED_PARSE_MIN_BYTES / 4 || Buffer.byteLength(text, 'utf8') < CHUNKED_PARSE_MIN_BYTES) return null;
  const ends = statementEnds(text);
  const stmts: NonNullable<ParseResult['stmts']> = [];
  let version: number | undefined;
  let start = 0;
  let startBytes = 0;
  const pieces: number[] = [];
  for (const end of ends) if (end - (pieces[pieces.length - 1] ?? 0) >= CHUNK_BYTES) pieces.push(end);
  pieces.push(text.length);
  for (const end of pieces) {
    const piece = text.slice(start, end);
    if (piece.trim() !== '') {
      let parsed: ParseResult;
      try {
        parsed = parseSqlAfter(piece, startBytes);
      } catch {
        return null;
      }
      version ??= parsed.version;
      for (const raw of parsed.stmts ?? []) {
        stmts.push(raw);
      }
    }
    startBytes += Buffer.byteLength(piece, 'utf8');
    start = end;
  }
  return { version, stmts };
}
