// The file-system side of "new migration" shared by the CLI and the extension: listing a
// workspace for tool detection and numbering, and writing rendered files without overwriting.
import fs from 'node:fs';
import path from 'node:path';
import type { WorkspaceEntry } from './detect';
import { mergeInto, type RenderedFile } from './tools';

const SKIP_DIRS = new Set(['node_modules', '.git', 'out', 'dist', 'target', 'vendor', '.venv', '__pycache__']);
const READ_TEXT = /\.sql$|(^|\/)(sqitch\.plan|sqitch\.conf|diesel\.toml|flyway\.conf|flyway\.toml)$/;
const TEXT_BYTES = 4096;

/** Workspace-relative paths (with the start of .sql and tool config files) under `root`. */
export function scanWorkspace(root: string, maxFiles = 5000): WorkspaceEntry[] {
  const entries: WorkspaceEntry[] = [];
  const walk = (dir: string, depth: number) => {
    if (depth > 8 || entries.length >= maxFiles) return;
    let items: fs.Dirent[];
    try {
      items = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const item of items.sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, item.name);
      if (item.isDirectory()) {
        if (!SKIP_DIRS.has(item.name)) walk(full, depth + 1);
      } else if (item.isFile() && entries.length < maxFiles) {
        const rel = path.relative(root, full).split(path.sep).join('/');
        const entry: WorkspaceEntry = { path: rel };
        if (READ_TEXT.test(rel)) entry.text = readStart(full);
        entries.push(entry);
      }
    }
  };
  walk(root, 0);
  return entries;
}

/** The names in a folder (the current one for ''), none when it cannot be read: what a new migration is numbered among. */
export function namesIn(dir: string): string[] {
  try {
    return fs.readdirSync(dir === '' ? '.' : dir);
  } catch {
    return [];
  }
}

function readStart(file: string): string {
  const fd = fs.openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(TEXT_BYTES);
    const n = fs.readSync(fd, buffer, 0, TEXT_BYTES, 0);
    return buffer.subarray(0, n).toString('utf8');
  } finally {
    fs.closeSync(fd);
  }
}

function isInside(dir: string, full: string): boolean {
  return full.startsWith(path.resolve(dir) + path.sep);
}

/**
 * Writes rendered files under `root` (or under one of `alsoUnder`, folders the user named
 * explicitly): new files are created (an existing one is an error, checked before anything is
 * written), append files are merged into what is there (see `mergeInto`, which may refuse).
 * Returns absolute paths, each once.
 */
export function writeRenderedFiles(root: string, files: readonly RenderedFile[], alsoUnder: readonly string[] = []): string[] {
  const targets = files.map((file) => ({ file, full: path.resolve(root, ...file.path.split('/')) }));
  for (const { file, full } of targets) {
    if (![root, ...alsoUnder].some((dir) => isInside(dir, full))) throw new Error(`${file.path} is outside ${root}`);
    if (file.mode === 'create' && fs.existsSync(full)) throw new Error(`${file.path} already exists; not overwriting it`);
  }
  // Every text is worked out before anything is written: a refused merge leaves the project as it was.
  // Appends to one file (a sqitch plan line per migration of a kind split in two) build on each other.
  const merged = new Map<string, string>();
  for (const { file, full } of targets) {
    const existing = file.mode !== 'append' ? null : merged.get(full) ?? (fs.existsSync(full) ? fs.readFileSync(full, 'utf8') : null);
    merged.set(full, mergeInto(file, existing));
  }
  for (const { file, full } of targets) {
    const text = merged.get(full);
    if (text === undefined) continue; // written already, with every append to it
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, text, { flag: file.mode === 'create' ? 'wx' : 'w' });
    merged.delete(full);
  }
  // Each file once: a kind split in two migrations appends two lines to one sqitch.plan.
  return [...new Set(targets.map((t) => t.full))];
}
