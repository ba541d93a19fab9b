// The files a command reads: each FILE as given, each DIR walked for .sql files in the order
// migration tools apply them (numbers as numbers), skipping folders that never hold migrations.
// `check` reads every script; a run takes a DIR as its tool lists it (runPaths.ts).
import fs from 'node:fs';
import path from 'node:path';
import { compareMigrationNames, isRevertFile, specialFileKind } from '../core/analyse/migrationFiles';
import { UsageError } from './io';
import { pushAll } from '../core/model/arrays';

const SKIP_DIRS = new Set(['node_modules', '.git', 'out', 'dist', 'target', 'vendor', '.venv']);

/** Called for a file named `*.sql` that is not a regular file (a FIFO would block the read): it is left out. */
export type OnSkipped = (file: string, kind: string) => void;

function walk(dir: string, out: string[], forwardOnly: boolean, onSkipped?: OnSkipped): void {
  // The order the tools apply them in (`9_x` before `10_x`), which the editor's check and the runs use too.
  const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => compareMigrationNames(a.name, b.name));
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    const special = entry.name.endsWith('.sql') ? specialFileKind(entry) : null;
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) walk(full, out, forwardOnly, onSkipped);
    } else if (special) onSkipped?.(full, special);
    else if (entry.isFile() && entry.name.endsWith('.sql') && !(forwardOnly && isRevertFile(full))) out.push(full);
  }
}

function isDirectory(arg: string): boolean {
  try {
    return fs.statSync(arg).isDirectory();
  } catch {
    return false; // reported as unreadable when read
  }
}

/** Each FILE as given, each DIR as `expand` makes it, in order and without repeats. */
export function expandDirs(args: readonly string[], expand: (dir: string) => string[]): string[] {
  const out: string[] = [];
  for (const arg of args) {
    if (isDirectory(arg)) pushAll(out, expand(arg));
    else out.push(arg);
  }
  return [...new Set(out)];
}

/** The .sql files under a folder, walked in order (its forward scripts only, when `forwardOnly`); a usage error when there are none. */
export function sqlFilesUnder(dir: string, forwardOnly: boolean, onSkipped?: OnSkipped): string[] {
  const found: string[] = [];
  walk(dir, found, forwardOnly, onSkipped);
  if (found.length === 0) throw new UsageError(`no .sql files under ${dir}`);
  return found;
}

/** The files `check` reads: the arguments, directories walked for every .sql file. */
export function expandMigrationPaths(args: readonly string[]): string[] {
  return expandDirs(args, (dir) => sqlFilesUnder(dir, false));
}
