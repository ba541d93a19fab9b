// A unified diff of two texts, in the form `git apply` and `patch -p1` take: `diff --git` headers,
// a new file from /dev/null, hunks with three lines of context, and "\ No newline at end of file"
// where a text ends without one. Lines keep their own terminators, so a CRLF file's lines are
// compared and written as they are (CR included) and a last line without a newline differs from
// the same line with one. The edit script is Myers' O((N+M)D) shortest one, run on what remains
// between the common prefix and suffix (a fix changes a few lines of a long migration).

/** One file's change: `oldText` null for a file the change creates. */
export interface FileChange {
  /** The path as the diff names it (relative, `/`-separated). */
  path: string;
  oldText: string | null;
  newText: string;
}

const CONTEXT = 3;

/** The text's lines, each with its terminator (the last may have none). */
export function splitLines(text: string): string[] {
  const lines: string[] = [];
  let start = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', start)) {
    lines.push(text.slice(start, i + 1));
    start = i + 1;
  }
  if (start < text.length) lines.push(text.slice(start));
  return lines;
}

type Op = 'equal' | 'delete' | 'insert';

/** The shortest edit script from `a` to `b` (Myers), as one op per line of either side. */
function editScript(a: readonly number[], b: readonly number[]): Op[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = max === 0;
  for (let d = 0; d <= max && !found; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) { x++; y++; }
      v[offset + k] = x;
      if (x >= n && y >= m) { found = true; break; }
    }
  }
  // Back from (n, m) through the saved frontiers, one edit per step and the diagonals between.
  const ops: Op[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const frontier = trace[d]!;
    const k = x - y;
    const down = k === -d || (k !== d && frontier[offset + k - 1]! < frontier[offset + k + 1]!);
    const prevK = down ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : frontier[offset + prevK]!;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) { ops.push('equal'); x--; y--; }
    if (d > 0) {
      if (down) { ops.push('insert'); y--; } else { ops.push('delete'); x--; }
    }
  }
  while (x > 0 && y > 0) { ops.push('equal'); x--; y--; }
  return ops.reverse();
}

/** The lines of both texts as numbers (equal lines, equal numbers), for a fast comparison. */
function intern(a: readonly string[], b: readonly string[]): { a: number[]; b: number[] } {
  const ids = new Map<string, number>();
  const id = (line: string) => {
    let known = ids.get(line);
    if (known === undefined) ids.set(line, known = ids.size);
    return known;
  };
  return { a: a.map(id), b: b.map(id) };
}

/** The ops of the whole texts: the common prefix and suffix as equal, Myers in between. */
function diffLines(oldLines: readonly string[], newLines: readonly string[]): Op[] {
  let prefix = 0;
  while (prefix < oldLines.length && prefix < newLines.length && oldLines[prefix] === newLines[prefix]) prefix++;
  let suffix = 0;
  while (suffix < oldLines.length - prefix && suffix < newLines.length - prefix
    && oldLines[oldLines.length - 1 - suffix] === newLines[newLines.length - 1 - suffix]) suffix++;
  const { a, b } = intern(oldLines.slice(prefix, oldLines.length - suffix), newLines.slice(prefix, newLines.length - suffix));
  return [...new Array<Op>(prefix).fill('equal'), ...editScript(a, b), ...new Array<Op>(suffix).fill('equal')];
}

/** One line of a hunk, with the marker git expects after a line that ends its file without a newline. */
function hunkLine(marker: string, line: string): string {
  return line.endsWith('\n') ? `${marker}${line}` : `${marker}${line}\n\\ No newline at end of file\n`;
}

/** "@@ -l,s +l,s @@" with the conventions of diff -u (an empty side starts at the line before it). */
function range(start: number, count: number): string {
  if (count === 1) return `${start + 1}`;
  return `${count === 0 ? start : start + 1},${count}`;
}

/** The hunks turning `oldLines` into `newLines`, each with up to three lines of context. */
function hunks(oldLines: readonly string[], newLines: readonly string[]): string {
  const ops = diffLines(oldLines, newLines);
  // Where each op stands on either side.
  const at: { o: number; n: number }[] = [];
  let o = 0;
  let n = 0;
  for (const op of ops) {
    at.push({ o, n });
    if (op !== 'insert') o++;
    if (op !== 'delete') n++;
  }
  let out = '';
  let i = 0;
  while (i < ops.length) {
    if (ops[i] === 'equal') { i++; continue; }
    // A hunk: from CONTEXT equal ops before the first change to CONTEXT after the last one, where
    // changes closer than twice the context share a hunk.
    const start = Math.max(0, i - CONTEXT);
    let end = i;
    for (;;) {
      while (end < ops.length && ops[end] !== 'equal') end++;
      let next = end;
      while (next < ops.length && ops[next] === 'equal') next++;
      if (next < ops.length && next - end <= 2 * CONTEXT) { end = next; continue; }
      end = Math.min(ops.length, end + CONTEXT);
      break;
    }
    let body = '';
    let oldCount = 0;
    let newCount = 0;
    for (let j = start; j < end; j++) {
      const op = ops[j]!;
      const { o: oj, n: nj } = at[j]!;
      if (op === 'equal') { body += hunkLine(' ', oldLines[oj]!); oldCount++; newCount++; }
      else if (op === 'delete') { body += hunkLine('-', oldLines[oj]!); oldCount++; }
      else { body += hunkLine('+', newLines[nj]!); newCount++; }
    }
    const first = at[start]!;
    out += `@@ -${range(first.o, oldCount)} +${range(first.n, newCount)} @@\n${body}`;
    i = end;
  }
  return out;
}

/**
 * A path as git writes it in a header: in double quotes with C escapes when it holds a quote, a
 * backslash, a control character or a non-ASCII one (git's default core.quotePath).
 */
export function gitQuotedPath(prefix: string, file: string): string {
  const full = `${prefix}${file}`;
  if (!/["\\\u0000-\u001f\u007f-\uffff]/.test(full)) return full;
  const escapes: Record<number, string> = { 7: '\\a', 8: '\\b', 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r', 34: '\\"', 92: '\\\\' };
  let quoted = '"';
  for (const byte of Buffer.from(full, 'utf8')) {
    quoted += escapes[byte] ?? (byte < 0x20 || byte >= 0x7f ? `\\${byte.toString(8).padStart(3, '0')}` : String.fromCharCode(byte));
  }
  return `${quoted}"`;
}

/** The diff of one file ('' when nothing changed): git headers, then its hunks. */
export function unifiedDiff(change: FileChange): string {
  if (change.oldText === change.newText) return '';
  const a = gitQuotedPath('a/', change.path);
  const b = gitQuotedPath('b/', change.path);
  const header = change.oldText === null
    ? `diff --git ${a} ${b}\nnew file mode 100644\n--- /dev/null\n+++ ${b}\n`
    : `diff --git ${a} ${b}\n--- ${a}\n+++ ${b}\n`;
  const body = hunks(splitLines(change.oldText ?? ''), splitLines(change.newText));
  return `${header}${body}`;
}

/** The diffs of several files, one after the other (files that did not change left out). */
export function unifiedDiffs(changes: readonly FileChange[]): string {
  return changes.map(unifiedDiff).join('');
}
