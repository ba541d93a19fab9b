// `check --changed-since REF`: which of the migration files the command was given git reports as
// added, changed or renamed since REF, and how a check judges only those while still learning the
// schema from every other file of the folder.
//
// "Changed since REF" is what a pull request shows (`git diff REF...HEAD`: since the merge base, so
// commits that landed on REF's branch meanwhile do not count), plus what is not committed yet
// (staged, unstaged and untracked files), so the same command answers in CI and before a commit.
// Deleted files have nothing left to judge; files outside the given folders are not migrations.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { isRevertFile } from '../core/analyse/migrationFiles';
import { UsageError, type Io } from './io';

function git(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): { ok: boolean; stdout: string; stderr: string; missing: boolean } {
  const result = spawnSync('git', args, { cwd, env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const missing = (result.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
  return { ok: result.status === 0, stdout: result.stdout ?? '', stderr: result.stderr ?? '', missing };
}

function isDirectory(file: string): boolean {
  try {
    return fs.statSync(file).isDirectory();
  } catch {
    return false;
  }
}

function realPath(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    return path.resolve(file);
  }
}

/**
 * The absolute, real paths of the files added, changed or renamed since REF (committed or not), in
 * the repository that holds `where` (the first file or folder the command was given).
 */
export function filesChangedSince(ref: string, where: string, io: Pick<Io, 'cwd' | 'env'>): Set<string> {
  const given = path.resolve(io.cwd(), where);
  const cwd = isDirectory(given) ? given : path.dirname(given);
  // Three git calls in all (each a process: the check's time budget counts them): the root, the branch's changes, the pending ones.
  const probe = git(['rev-parse', '--show-toplevel'], cwd, io.env);
  if (probe.missing) throw new UsageError('--changed-since needs git, which is not on the PATH');
  if (!probe.ok) throw new UsageError(`--changed-since needs a git repository: ${cwd} is not in one`);
  const root = probe.stdout.trim();
  const noCommit = new UsageError(`--changed-since ${ref}: no such commit in this repository (in CI, fetch enough history for the base, e.g. fetch-depth: 0)`);
  if (ref.startsWith('-')) throw noCommit;
  const changed = new Set<string>();
  const add = (name: string) => changed.add(realPath(path.join(root, name)));
  // Since the merge base with REF: what the pull request changes. A (added), C, M, R (renamed: the new name).
  const committed = git(['diff', '--name-only', '-z', '--diff-filter=ACMR', '--end-of-options', `${ref}...HEAD`], root, io.env);
  if (!committed.ok) {
    if (!git(['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`], root, io.env).ok) throw noCommit;
    throw new UsageError(`--changed-since ${ref}: git diff failed: ${committed.stderr.trim()}`);
  }
  for (const name of committed.stdout.split('\0')) if (name) add(name);
  // Not committed yet: staged, unstaged and untracked (not ignored) files; a deleted one is not on disk.
  const pending = git(['status', '--porcelain=v1', '-z', '--untracked-files=all', '--no-renames'], root, io.env);
  if (!pending.ok) throw new UsageError(`--changed-since ${ref}: git status failed: ${pending.stderr.trim()}`);
  for (const entry of pending.stdout.split('\0')) {
    const name = entry.slice(3);
    if (name && fs.existsSync(path.join(root, name))) add(name);
  }
  return changed;
}

/** The files a check learns from before, judges, and learns from after, when only `judged` are judged. */
export interface JudgedSlice<T> {
  /** Before the first judged file: their schema is learned, nothing in them is analysed or reported. */
  before: T[];
  /** From the first judged file to the last: analysed together; only the judged ones are reported. */
  between: T[];
  /** After the last judged file: what holds at any point (a later index) counts, nothing is reported. */
  after: T[];
}

/** Splits files (in the order they apply) around the judged ones. */
export function sliceAroundJudged<T>(files: readonly T[], isJudged: (file: T) => boolean): JudgedSlice<T> {
  const first = files.findIndex(isJudged);
  if (first < 0) return { before: [...files], between: [], after: [] };
  let last = files.length - 1;
  while (!isJudged(files[last]!)) last--;
  return { before: files.slice(0, first), between: files.slice(first, last + 1), after: files.slice(last + 1) };
}

/** Whether a check with only `judged` files judged needs the file at all: a revert script teaches no schema. */
export function neededWhenJudging(judged: (file: string) => boolean): (file: string) => boolean {
  return (file) => judged(file) || !isRevertFile(file);
}

/** The predicate for the paths a command was given (relative to `cwd`): true when git reports the file as changed. */
export function changedPredicate(changed: ReadonlySet<string>, cwd: string): (file: string) => boolean {
  // Asked several times per file (which to read, note, slice and report): each path is resolved once.
  const answers = new Map<string, boolean>();
  return (file) => {
    let answer = answers.get(file);
    if (answer === undefined) answers.set(file, answer = changed.has(realPath(path.resolve(cwd, file))));
    return answer;
  };
}
