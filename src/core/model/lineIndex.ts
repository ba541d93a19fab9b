// Offsets the way each party counts them: the parser in UTF-8 bytes, the server's error positions
// in characters (code points), editors in UTF-16 code units. Everything leaving core is UTF-16.
import type { OffsetRange, Position, Range } from './positions';

type Unit = 'byte' | 'codePoint';

const CHECKPOINT_UNITS = 1024;

/** Converts byte or code-point offsets to UTF-16 offsets; fastest when queried in ascending order. */
export class OffsetConverter {
  private readonly ascii: boolean;
  private cursorUnits = 0; // position in the source unit (bytes or code points)
  private cursorUtf16 = 0;
  // Places already walked past, every CHECKPOINT_UNITS or so: a query behind the cursor resumes from
  // the nearest one instead of the text's start (each rule reads a file's locations from its start
  // again: from the start, a 2 MB non-ASCII file cost a walk of the whole text per rule).
  private readonly checkpointUnits: number[] = [0];
  private readonly checkpointUtf16: number[] = [0];

  constructor(private readonly text: string, private readonly unit: Unit) {
    this.ascii = unit === 'codePoint' ? !/[\uD800-\uDFFF]/.test(text) : Buffer.byteLength(text, 'utf8') === text.length;
  }

  /** The UTF-16 offset of the given byte / code point offset (clamped to the text). */
  toUtf16(offset: number): number {
    if (this.ascii) return Math.min(Math.max(offset, 0), this.text.length);
    if (offset < this.cursorUnits) this.resumeBefore(offset);
    const text = this.text;
    let nextCheckpoint = this.checkpointUnits[this.checkpointUnits.length - 1]! + CHECKPOINT_UNITS;
    while (this.cursorUnits < offset && this.cursorUtf16 < text.length) {
      const code = text.charCodeAt(this.cursorUtf16);
      const isPair = code >= 0xd800 && code <= 0xdbff && this.cursorUtf16 + 1 < text.length;
      this.cursorUtf16 += isPair ? 2 : 1;
      this.cursorUnits += this.unit === 'codePoint' ? 1 : isPair ? 4 : code < 0x80 ? 1 : code < 0x800 ? 2 : 3;
      if (this.cursorUnits >= nextCheckpoint) {
        this.checkpointUnits.push(this.cursorUnits);
        this.checkpointUtf16.push(this.cursorUtf16);
        nextCheckpoint = this.cursorUnits + CHECKPOINT_UNITS;
      }
    }
    return this.cursorUtf16;
  }

  /** Moves the cursor back to the last checkpoint at or before `offset`. */
  private resumeBefore(offset: number): void {
    let lo = 0;
    let hi = this.checkpointUnits.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.checkpointUnits[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    this.cursorUnits = this.checkpointUnits[lo]!;
    this.cursorUtf16 = this.checkpointUtf16[lo]!;
    // Later checkpoints stay valid; the walk forward appends only past the last one.
  }
}

/** Maps UTF-16 offsets of one text to 1-based line/column positions. */
export class LineIndex {
  private readonly lineStarts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) this.lineStarts.push(i + 1);
      else if (c === 13 && text.charCodeAt(i + 1) !== 10) this.lineStarts.push(i + 1);
    }
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  /** 1-based position of a 0-based UTF-16 offset. */
  positionAt(offset: number): Position {
    const clamped = Math.min(Math.max(offset, 0), this.text.length);
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.lineStarts[mid] ?? 0) <= clamped) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: clamped - (this.lineStarts[lo] ?? 0) + 1 };
  }

  /** 0-based UTF-16 offset of a 1-based position. */
  offsetAt(position: Position): number {
    const start = this.lineStarts[Math.min(Math.max(position.line, 1), this.lineStarts.length) - 1] ?? 0;
    return Math.min(start + Math.max(position.column, 1) - 1, this.text.length);
  }

  rangeOf(offsets: OffsetRange): Range {
    return { start: this.positionAt(offsets.start), end: this.positionAt(offsets.end) };
  }

  /** The offsets of the 1-based line, without its line break. */
  lineOffsets(line: number): OffsetRange {
    const start = this.lineStarts[line - 1] ?? this.text.length;
    let end = this.lineStarts[line] ?? this.text.length;
    while (end > start && (this.text[end - 1] === '\n' || this.text[end - 1] === '\r')) end -= 1;
    return { start, end };
  }
}

/** UTF-16 offset of a 0-based code-point index within `text` (server error positions count characters). */
export function codePointToUtf16(text: string, codePoints: number): number {
  return new OffsetConverter(text, 'codePoint').toUtf16(codePoints);
}
