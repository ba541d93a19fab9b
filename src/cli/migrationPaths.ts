// The files a command reads: each FILE as given, each DIR walked for .sql files in the order
// migration tools apply them (numbers as numbers), skipping folders that never hold migrations.
// `check` reads every script; a run goes forward, so it leaves a DIR's down scripts out (diesel's
// down.sql, golang-migrate's NNN_x.down.sql, sqitch's revert/).
import fs from 'node:fs';
import path from 'node:path';
import { compareMigrationNames, isRevertFile } from '../core/analyse/migrationFiles';
import { UsageError } from './io';

const SKIP_DIRS = new Set(['node_modules', '.git', 'out', 'dist', 'target', 'vendor', '.venv']);

function walk(dir: string, out: string[], forwardOnly: boolean): void {
  // The order the tools apply them in (`9_x` before `10_x`), which the editor's check and the runs use too.
  const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => compareMigrationNames(a.name, b.name));
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) walk(full, out, forwardOnly);
    } else if (entry.isFile() && entry.name.endsWith('.sql') && !(forwardOnly && isRevertFile(full))) out.push(full);
  }
}

/** The migration files the arguments name, directories expanded (forward scripts only when `forwardOnly`), in order and without repeats. */
export function expandMigrationPaths(args: readonly string[], forwardOnly = false): string[] {
  const out: string[] = [];
  for (const arg of args) {
    let stat: fs.Stats | null = null;
    try {
      stat = fs.statSync(arg);
    } catch {
      stat = null; // reported as unreadable when read
    }
    if (stat?.isDirectory()) {
      const found: string[] = [];
      walk(arg, found, forwardOnly);
      if (found.length === 0) throw new UsageError(`no .sql files under ${arg}`);
      out.push(...found);
    } else out.push(arg);
  }
  return [...new Set(out)];
}
