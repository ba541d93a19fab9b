// `drydock check --fix` and `--diff`: core's fix all, round after round (rules/fixes/fixUntilStable.ts),
// on the files `check` was given. --fix writes the fixed files and the migrations the fixes write
// (named by the folder's numbering; an existing file is never overwritten) and lists what changed,
// per file, on stderr; --diff writes nothing and prints a unified diff `git apply` takes. With SQL
// from standard input, --fix prints the fixed SQL on stdout, as formatters do, and leaves out the
// fixes that would write a new migration (they need a folder): stderr says which.
import fs from 'node:fs';
import path from 'node:path';
import type { CheckedFile } from '../core/rules/checkMigration';
import { fixUntilStable, type FixOutcome, type SourceText } from '../core/rules/fixes/fixUntilStable';
import { unifiedDiffs } from '../core/output/unifiedDiff';
import { namesIn } from '../core/templates/workspaceFiles';
import { UsageError, type Io } from './io';

export interface FixRequest {
  /** Print a diff, change nothing. */
  diff: boolean;
  /** The SQL came from standard input (fixed SQL to stdout; no new migrations). */
  stdin: boolean;
  maxRounds?: number;
}

/** A path as a diff or a list names it: relative to the working directory, with "/". */
function shownPath(io: Io, file: string): string {
  return path.relative(io.cwd(), path.resolve(io.cwd(), file)).split(path.sep).join('/');
}

/** The fixes per file, for stderr. */
function summary(io: Io, outcome: FixOutcome, verb: string, stdin: boolean): string {
  const lines: string[] = [];
  for (const file of outcome.changed) {
    lines.push(`${shownPath(io, file.path)}: ${file.before === null ? 'new migration, ' : ''}${file.fixes.length} fix(es) ${verb}`);
    for (const title of file.fixes) lines.push(`  - ${title}`);
  }
  for (const skipped of outcome.untouched) lines.push(`${shownPath(io, skipped.path)}: not fixed: ${skipped.reason}`);
  for (const left of outcome.leftOut) {
    lines.push(`${shownPath(io, left.path)}:${left.line}: left out: ${left.title}: it writes a migration ${stdin ? 'and standard input has no folder for it (run drydock check --fix on the file)' : 'that would not follow this one in the tool\'s numbering (an unnumbered name such as diesel\'s up.sql, or one that must run before it): the editor offers it as a quick fix'}`);
  }
  if (outcome.changed.length === 0) lines.push('drydock: nothing to fix');
  if (!outcome.stable) lines.push(`drydock: stopped after ${outcome.rounds} rounds of fixes and some fixes are still left; run it again, or look at what keeps changing`);
  return lines.map((l) => `${l}\n`).join('');
}

/** Fixes the files; writes them (or prints the diff); resolves to the files as fixed, for `check` to judge. */
export function applyCheckFixes(files: readonly SourceText[], check: (files: readonly SourceText[]) => readonly CheckedFile[], request: FixRequest, io: Io): { outcome: FixOutcome; stdout: string } {
  const outcome = fixUntilStable(files, {
    check, namesIn, now: new Date(), newFiles: !request.stdin, ...(request.maxRounds !== undefined ? { maxRounds: request.maxRounds } : {}),
  });
  if (request.diff) {
    io.stderr.write(summary(io, outcome, 'in the diff', request.stdin));
    return { outcome, stdout: unifiedDiffs(outcome.changed.map((f) => ({ path: shownPath(io, f.path), oldText: f.before, newText: f.after }))) };
  }
  if (request.stdin) {
    io.stderr.write(summary(io, outcome, 'applied', request.stdin));
    return { outcome, stdout: outcome.files[0]?.text ?? '' };
  }
  // New migrations first, without overwriting: a name taken since the folder was read stops before any file changes.
  for (const file of outcome.changed.filter((f) => f.before === null)) {
    try {
      fs.writeFileSync(file.path, file.after, { flag: 'wx' });
    } catch (err) {
      throw new UsageError(`cannot write the new migration ${file.path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}; nothing was fixed`);
    }
  }
  for (const file of outcome.changed.filter((f) => f.before !== null)) fs.writeFileSync(file.path, file.after);
  io.stderr.write(summary(io, outcome, 'applied', request.stdin));
  return { outcome, stdout: '' };
}
