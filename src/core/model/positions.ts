// Places in a file as every part of Drydock speaks of them: 1-based lines, 1-based columns and
// 0-based offsets, all counted in UTF-16 code units as editors count them.

/** A place in a file: 1-based line, 1-based column in UTF-16 code units. */
export interface Position {
  line: number;
  column: number;
}

/** A span in a file; `end` is exclusive. */
export interface Range {
  start: Position;
  end: Position;
}

/** 0-based UTF-16 offsets into the file text; `end` is exclusive. */
export interface OffsetRange {
  start: number;
  end: number;
}
