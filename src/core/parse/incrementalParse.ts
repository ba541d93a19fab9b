// Parsing an edited text again without parsing all of it. An editor checks a file on every pause in
// typing; a 1,000-line file's parse is about 11 ms (the parser, then JSON.parse of its 300 kB tree)
// and most of its statements are the ones the last parse already read. The text before the edit
// and after it is unchanged, so the statements wholly in those parts are kept (those after it with
// their locations moved by the edit's change in length) and only the part between the nearest
// statement ends around the edit is parsed, after as many spaces as the bytes before it (so its
// locations are the whole text's).
//
// Why that is the whole-text parse: a statement ends at a `;` token, and the parser's state after
// one depends on nothing before it. The kept prefix ends just after a `;` that ended a statement in
// the last parse, and every byte before it is unchanged, so the parser reads it the same way. The
// re-parsed part must end with a `;` token that ends its last statement (checked: a `;` the edit
// put inside a comment, a string or parentheses does not), so the kept suffix starts where the
// parser is back in its initial state, as it was in the last parse. Anything else, a syntax error
// included, is answered by parsing the whole text (the caller's path, with its error positions).
import type { RawStmt } from './pgParser';
import { isPositionKey, parseSqlAfter } from './pgParser';

/** Texts smaller than this are parsed whole (the bookkeeping would cost about what it saves). */
const MIN_BYTES = 4 * 1024;
/** Files whose last parse is kept. */
const MAX_FILES = 8;
const SEMICOLON = 0x3b;

interface LastParse {
  bytes: Buffer;
  stmts: readonly RawStmt[];
}

/** The last parse of each recently edited file, to parse its next version from. */
export class ReparseCache {
  private readonly last = new Map<string, LastParse>();

  /**
   * The statements of `text`, reusing the last parse of `key` (and kept as its last parse now);
   * null when the text must be parsed whole.
   */
  reparse(key: string, text: string): RawStmt[] | null {
    const last = this.last.get(key);
    if (!last) return null;
    const bytes = Buffer.from(text, 'utf8');
    const stmts = reparsed(last, bytes);
    if (stmts) this.keep(key, bytes, stmts);
    return stmts;
  }

  /** Remembers a text's whole parse (its statements are shared with the caller's result: never changed in place). */
  remember(key: string, text: string, stmts: readonly RawStmt[]): void {
    this.keep(key, Buffer.from(text, 'utf8'), stmts);
  }

  private keep(key: string, bytes: Buffer, stmts: readonly RawStmt[]): void {
    this.last.delete(key);
    if (bytes.length < MIN_BYTES) return;
    if (this.last.size >= MAX_FILES) this.last.delete(this.last.keys().next().value!);
    this.last.set(key, { bytes, stmts });
  }
}

/** Byte offset just after statement i's terminating `;`, or null when it has none (the last statement, unterminated). */
function endAfterSemicolon(stmt: RawStmt): number | null {
  return stmt.stmt_len ? (stmt.stmt_location ?? 0) + stmt.stmt_len + 1 : null;
}

function reparsed(last: LastParse, bytes: Buffer): RawStmt[] | null {
  const old = last.bytes;
  const stmts = last.stmts;
  const shorter = Math.min(bytes.length, old.length);
  let prefix = 0;
  while (prefix < shorter && bytes[prefix] === old[prefix]) prefix++;
  if (prefix === bytes.length && prefix === old.length) return [...stmts];
  let suffix = 0;
  while (suffix < shorter - prefix && bytes[bytes.length - 1 - suffix] === old[old.length - 1 - suffix]) suffix++;
  const delta = bytes.length - old.length;

  // Kept before the edit: statements 0..kept-1, each ended by a `;` before the first changed byte.
  let kept = 0;
  let start = 0;
  while (kept < stmts.length) {
    const end = endAfterSemicolon(stmts[kept]!);
    if (end === null || end > prefix) break;
    kept++;
    start = end;
  }
  // Kept after the edit: from the first statement whose preceding `;` is in the unchanged end.
  let resumed = stmts.length;
  let stop = bytes.length;
  for (let j = Math.max(kept, 1); j < stmts.length; j++) {
    const previousEnd = endAfterSemicolon(stmts[j - 1]!);
    if (previousEnd !== null && previousEnd - 1 >= old.length - suffix && previousEnd >= start) {
      resumed = j;
      stop = previousEnd + delta;
      break;
    }
  }
  if (stop < start) return null;
  const middle = bytes.subarray(start, stop).toString('utf8');
  let parsed: RawStmt[];
  try {
    parsed = middle.trim() === '' ? [] : parseSqlAfter(middle, start).stmts ?? [];
  } catch {
    return null;
  }
  if (resumed < stmts.length) {
    // The re-parsed part must end with the `;` token that ends its last statement.
    if (bytes[stop - 1] !== SEMICOLON) return null;
    const lastParsed = parsed[parsed.length - 1];
    if (stop > start && (!lastParsed || endAfterSemicolon(lastParsed) !== stop)) return null;
  }
  const after = stmts.slice(resumed);
  return [...stmts.slice(0, kept), ...parsed, ...(delta === 0 ? after : after.map((s) => movedBy(s, delta) as RawStmt))];
}

/** A copy of a parse tree with every token position moved by `delta` bytes (lengths and unknown positions kept). */
function movedBy(value: unknown, delta: number): unknown {
  if (Array.isArray(value)) return value.map((v) => movedBy(v, delta));
  if (value === null || typeof value !== 'object') return value;
  const copy: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    copy[key] = typeof v === 'number' && v >= 0 && key !== 'stmt_len' && isPositionKey(key) ? v + delta : movedBy(v, delta);
  }
  return copy;
}
