// Pieces of a statement's own text (a CHECK expression, an index's column list, a predicate),
// located with the real PostgreSQL scanner so quotes, comments and dollar bodies are never misread.
import { scanSql, type ScanToken } from './pgParser';
import { OffsetConverter } from '../model/lineIndex';

/** A scanner token with UTF-16 offsets relative to the statement text. */
export interface Token {
  start: number;
  end: number;
  text: string;
  upper: string;
  /** True for SQL keywords (reserved or not), false for identifiers, literals and punctuation. */
  keyword: boolean;
}

function tokensOf(sql: string): Token[] {
  let scanned: ScanToken[] = [];
  try {
    scanned = scanSql(sql);
  } catch {
    scanned = []; // unscannable text has no tokens; callers then find nothing
  }
  const toUtf16 = new OffsetConverter(sql, 'byte');
  return scanned.map((t) => {
    const start = toUtf16.toUtf16(t.start);
    const end = toUtf16.toUtf16(t.end);
    const text = sql.slice(start, end);
    return { start, end, text, upper: text.toUpperCase(), keyword: t.keywordKind !== 0 };
  });
}

/** The tokens of one statement, addressable by UTF-16 offset. */
export class StatementText {
  readonly tokens: Token[];
  private readonly byteToUtf16: OffsetConverter;

  constructor(readonly sql: string) {
    this.byteToUtf16 = new OffsetConverter(sql, 'byte');
    this.tokens = tokensOf(sql);
  }

  /** UTF-16 offset of a statement-relative byte offset (parse-tree locations). */
  offsetOfByte(byteOffset: number): number {
    return this.byteToUtf16.toUtf16(byteOffset);
  }

  /** Index of the first token starting at or after `offset` whose text is `word` (case-insensitive). */
  findToken(word: string, offset = 0, depthZeroOnly = false): number {
    const wanted = word.toUpperCase();
    let depth = 0;
    for (let i = 0; i < this.tokens.length; i++) {
      const token = this.tokens[i]!;
      if (token.start >= offset && token.upper === wanted && (!depthZeroOnly || depth === 0)) return i;
      if (token.start >= offset) depth += token.text === '(' ? 1 : token.text === ')' ? -1 : 0;
    }
    return -1;
  }

  /** The token index of the parenthesis closing the one at `openIndex`, or -1. */
  closingParen(openIndex: number): number {
    let depth = 0;
    for (let i = openIndex; i < this.tokens.length; i++) {
      const text = this.tokens[i]!.text;
      if (text === '(') depth += 1;
      else if (text === ')' && --depth === 0) return i;
    }
    return -1;
  }

  /** Text between two token indexes (exclusive of both). */
  between(openIndex: number, closeIndex: number): string {
    const open = this.tokens[openIndex];
    const close = this.tokens[closeIndex];
    return open && close ? this.sql.slice(open.end, close.start).trim() : '';
  }

  /** Inner text of the first parenthesised group starting at or after `offset`. */
  parenthesisedFrom(offset: number): { inner: string; closeIndex: number } | null {
    const open = this.findToken('(', offset);
    if (open < 0) return null;
    const close = this.closingParen(open);
    return close < 0 ? null : { inner: this.between(open, close), closeIndex: close };
  }

  /** The elements of a parenthesised list, split at its top-level commas. */
  listItems(openIndex: number, closeIndex: number): string[] {
    const items: string[] = [];
    let depth = 0;
    let itemStart = this.tokens[openIndex]!.end;
    for (let i = openIndex + 1; i < closeIndex; i++) {
      const token = this.tokens[i]!;
      if (token.text === '(' || token.text === '[') depth += 1;
      else if (token.text === ')' || token.text === ']') depth -= 1;
      else if (token.text === ',' && depth === 0) {
        items.push(this.sql.slice(itemStart, token.start).trim());
        itemStart = token.end;
      }
    }
    items.push(this.sql.slice(itemStart, this.tokens[closeIndex]!.start).trim());
    return items.filter((item) => item !== '');
  }
}
