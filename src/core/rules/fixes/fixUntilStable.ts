// `drydock check --fix`: fix all on every file, judged again and fixed again until a round changes
// nothing (a fix can reveal another: a statement moved to its own migration gets that file's
// findings), within a bound. Files a fix must not touch are left as they are: a file the parser
// refuses, and a file a round left unparsable (its round undone: that would be a fix's bug). Pure:
// the caller checks (with each file's drydock.json and the folder around it), reads the folder's
// names for the numbering of a migration a fix writes, and writes the outcome. A fix that writes a
// migration is applied only when that migration follows the fixed one in the tool's numbering.
import { compareMigrationNames, isRevertFile } from '../../analyse/migrationFiles';
import type { Finding, Fix, NewFile, TextEdit } from '../../model/findings';
import type { CheckedFile } from '../checkMigration';
import { applyEdits } from './edits';
import { fixAllOf, isFixAllFix } from './fixAll';
import { hasMigrationVersion, placeFollowingMigrations } from './followingMigration';

/** A file's path and text, in the order the files run. */
export interface SourceText {
  path: string;
  text: string;
}

export interface FixUntilStableOptions {
  /** Judges the files together, in order (earlier ones teach the schema); one checked file per file, in order. */
  check(files: readonly SourceText[]): readonly CheckedFile[];
  /** Base names in a folder on disk ("/"-or-"\"-ended path as the files carry it), for the numbering of a migration a fix writes. */
  namesIn(dir: string): readonly string[];
  now: Date;
  /** Apply fixes that write a new migration (not when the text has no folder of its own: standard input). */
  newFiles: boolean;
  /** Rounds at most (default 10). */
  maxRounds?: number;
}

/** What the fixes did to one file. */
export interface FixedFile {
  path: string;
  /** Null for a migration a fix wrote. */
  before: string | null;
  after: string;
  /** The titles of the fixes applied to it, in order (a new file's: the fix that wrote it). */
  fixes: string[];
}

export interface FixOutcome {
  /** Every file, fixed, in the order they run (new migrations in their place). */
  files: SourceText[];
  /** The files that changed or were written, in that order. */
  changed: FixedFile[];
  /** The rounds that changed something. */
  rounds: number;
  /** False when the last round still changed something: the bound was reached. */
  stable: boolean;
  /** Files no fix touched, and why. */
  untouched: { path: string; reason: string }[];
  /**
   * Fixes of the result fix all would take but could not apply: a migration it would write that
   * does not follow in the tool's numbering, or that standard input has no folder for.
   */
  leftOut: { path: string; line: number; title: string }[];
}

export const DEFAULT_MAX_FIX_ROUNDS = 10;

/** Findings that mean the parser could not read the file: no fix may touch it. */
const UNPARSABLE = new Set(['syntax-error', 'binary-file']);

const unparsable = (findings: readonly Finding[]) => findings.some((f) => UNPARSABLE.has(f.ruleId));

function dirOf(file: string): string {
  return file.slice(0, Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
}

function baseOf(file: string): string {
  return file.slice(dirOf(file).length);
}

/**
 * The edits with their line breaks as the file writes its own (CRLF when its first line ends so),
 * as an editor does when it applies an edit: the fix builders write "\n".
 */
function inFileLineEnds(text: string, edits: readonly TextEdit[]): TextEdit[] {
  const first = text.indexOf('\n');
  if (first <= 0 || text[first - 1] !== '\r') return [...edits];
  return edits.map((e) => ({ ...e, newText: e.newText.replace(/\r?\n/g, '\r\n') }));
}

/** Where a new migration goes in the run order: after the last file of its folder that sorts before it. */
function insertionIndex(files: readonly SourceText[], created: string, fixedAt: number): number {
  let at = fixedAt + 1;
  files.forEach((f, i) => {
    if (dirOf(f.path) === dirOf(created) && compareMigrationNames(baseOf(f.path), baseOf(created)) < 0 && i + 1 > at) at = i + 1;
  });
  return at;
}

/** Applies fix all to the files, round after round, until nothing changes or `maxRounds` is reached. */
export function fixUntilStable(input: readonly SourceText[], options: FixUntilStableOptions): FixOutcome {
  const maxRounds = options.maxRounds ?? DEFAULT_MAX_FIX_ROUNDS;
  let files = input.map((f) => ({ ...f }));
  const original = new Map<string, string | null>(input.map((f) => [f.path, f.text]));
  const titles = new Map<string, { round: number; title: string }[]>();
  const untouched = new Map<string, string>();
  // Each file's text before the last round changed it (null: the round wrote it).
  let previous = new Map<string, string | null>();
  // The file whose fix wrote each new migration.
  const writtenBy = new Map<string, string>();
  let rounds = 0;
  let stable = false;
  let leftOut: FixOutcome['leftOut'] = [];
  for (let round = 1; ; round++) {
    const checked = options.check(files);
    // A file the last round left unparsable: that round undone for it, and the file left alone from now on.
    const broken = files.filter((f, i) => previous.has(f.path) && unparsable(checked[i]!.diagnostics));
    // A new migration undone undoes its fixed file too: the statement it took must go back.
    for (const f of [...broken]) {
      const creator = files.find((c) => c.path === writtenBy.get(f.path));
      if (creator && !broken.includes(creator)) broken.push(creator);
    }
    if (broken.length > 0) {
      for (const f of broken) {
        untouched.set(f.path, 'a fix left it unparsable: the fix is undone (please report this as a Drydock bug)');
        titles.set(f.path, (titles.get(f.path) ?? []).filter((t) => t.round !== round - 1));
      }
      files = files.flatMap((f) => {
        if (!broken.includes(f)) return [f];
        const before = previous.get(f.path)!;
        return before === null ? [] : [{ ...f, text: before }];
      });
      previous = new Map();
      continue;
    }
    const next = [...files];
    const changedNow = new Map<string, string | null>();
    files.forEach((file, i) => {
      const findings = checked[i]!.diagnostics;
      if (unparsable(findings)) {
        if (original.get(file.path) !== undefined) untouched.set(file.path, 'the parser cannot read it');
        return;
      }
      if (untouched.has(file.path)) return;
      const names = () => [
        ...options.namesIn(dirOf(file.path)),
        ...next.filter((f) => dirOf(f.path) === dirOf(file.path)).map((f) => baseOf(f.path)),
      ];
      const selection = fixAllOf(findings, file.path, {
        newFiles: options.newFiles,
        place: (fix: Fix, taken: readonly NewFile[]) => {
          if ((fix.newFiles ?? []).length === 0) return fix;
          // Only a migration that follows this one in the tool's numbering: one named otherwise (before it, or
          // next to a diesel up.sql) the tool might never run, or would reject as a second file of one version.
          // A down script has no "next" migration: what it undoes runs in it or not at all.
          if (!hasMigrationVersion(file.path) || isRevertFile(file.path) || fix.newFiles!.some((f) => f.following === undefined)) return null;
          const placed = placeFollowingMigrations(fix, file.path, options.now, () => [...names(), ...taken.map((t) => baseOf(t.file))]);
          const existing = new Set([...names(), ...taken.map((t) => baseOf(t.file))]);
          return placed.newFiles!.some((f) => existing.has(baseOf(f.file))) ? null : placed;
        },
      });
      if (selection.fixes.length === 0) return;
      const at = next.findIndex((f) => f.path === file.path);
      changedNow.set(file.path, file.text);
      next[at] = { ...file, text: applyEdits(file.text, inFileLineEnds(file.text, selection.edits)) };
      const list = titles.get(file.path) ?? [];
      for (const { fix } of selection.fixes) list.push({ round, title: fix.title });
      titles.set(file.path, list);
      for (const created of selection.newFiles) {
        next.splice(insertionIndex(next, created.file, next.findIndex((f) => f.path === file.path)), 0, { path: created.file, text: created.text });
        changedNow.set(created.file, null);
        writtenBy.set(created.file, file.path);
        const written = selection.fixes.find(({ fix }) => fix.newFiles?.includes(created))?.fix.title ?? 'written by a fix';
        titles.set(created.file, [{ round, title: written }]);
      }
    });
    if (changedNow.size === 0) {
      stable = true;
      leftOut = files.flatMap((file, i) => (untouched.has(file.path) ? [] : checked[i]!.diagnostics
        .filter((d) => d.fix !== undefined && d.file === file.path && isFixAllFix(d.fix, file.path, true))
        .map((d) => ({ path: file.path, line: d.range.start.line, title: d.fix!.title }))));
      break;
    }
    // The bound: this round's fixes are found but not applied, and the outcome says so.
    if (round > maxRounds) {
      for (const [file, list] of titles) titles.set(file, list.filter((t) => t.round !== round));
      break;
    }
    rounds = round;
    files = next;
    previous = changedNow;
  }
  const changed = files.flatMap((f): FixedFile[] => {
    const before = original.has(f.path) ? original.get(f.path)! : null;
    if (before === f.text) return [];
    return [{ path: f.path, before, after: f.text, fixes: (titles.get(f.path) ?? []).map((t) => t.title) }];
  });
  return { files, changed, rounds, stable, untouched: [...untouched].map(([path, reason]) => ({ path, reason })), leftOut };
}
