// Building blocks of fixes: text edits with both offsets and ranges, as the Finding model wants.
import type { Fix, TextEdit } from '../../model/findings';
import type { OffsetRange } from '../../model/positions';
import type { ParsedFile } from '../../parse/parseMigration';

/** A replacement of `offsets` in the file by `newText`. */
export function replaceText(file: ParsedFile, offsets: OffsetRange, newText: string): TextEdit {
  return { file: file.file, offsets, range: file.lines.rangeOf(offsets), newText };
}

/** An insertion at `offset`. */
export function insertText(file: ParsedFile, offset: number, newText: string): TextEdit {
  return replaceText(file, { start: offset, end: offset }, newText);
}

/** A fix of one file. */
export function fixOf(title: string, ...edits: TextEdit[]): Fix {
  return { title, edits };
}

/** Applies a fix's edits of one file to its text (edits must not overlap). */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.offsets.start - a.offsets.start)) out = out.slice(0, e.offsets.start) + e.newText + out.slice(e.offsets.end);
  return out;
}

/** The offset of the start of the line holding `offset`. */
export function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** The whitespace that indents the line holding `offset`. */
export function indentAt(text: string, offset: number): string {
  const start = lineStart(text, offset);
  return /^[ \t]*/.exec(text.slice(start))![0];
}
