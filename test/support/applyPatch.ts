// A small applier of one file's unified diff (as unifiedDiff writes it), for property tests that
// run many more cases than spawning `git apply` for each allows. Its own agreement with git is a
// test of its own (test/core/unifiedDiff.test.ts).
import { splitLines } from '../../src/core/output/unifiedDiff';

/** Applies the hunks of one file's diff to `oldText`; throws when a context or removed line does not match. */
export function applyPatch(oldText: string, diff: string): string {
  const old = splitLines(oldText);
  const out: string[] = [];
  let at = 0;
  const lines = splitLines(diff);
  let i = lines.findIndex((l) => l.startsWith('@@'));
  if (i < 0) return oldText;
  while (i < lines.length) {
    const header = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@\n$/.exec(lines[i]!);
    if (!header) throw new Error(`not a hunk header: ${JSON.stringify(lines[i])}`);
    const oldCount = header[2] === undefined ? 1 : Number(header[2]);
    const start = oldCount === 0 ? Number(header[1]) : Number(header[1]) - 1;
    while (at < start) out.push(old[at++]!);
    i++;
    while (i < lines.length && !lines[i]!.startsWith('@@')) {
      const line = lines[i]!;
      // The line this one stands for: without the newline the diff added, when a marker says the text had none.
      const noNewline = lines[i + 1] === '\\ No newline at end of file\n';
      const text = noNewline ? line.slice(1, -1) : line.slice(1);
      if (line[0] === ' ' || line[0] === '-') {
        if (old[at] !== text) throw new Error(`line ${at + 1} does not match: ${JSON.stringify(old[at])} vs ${JSON.stringify(text)}`);
        if (line[0] === ' ') out.push(text);
        at++;
      } else if (line[0] === '+') out.push(text);
      else throw new Error(`unexpected line ${JSON.stringify(line)}`);
      i += noNewline ? 2 : 1;
    }
  }
  while (at < old.length) out.push(old[at++]!);
  return out.join('');
}
