// Migration folders for the shadow tests, written to temp directories in each tool's layout.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ShadowTarget } from '../../../src/core/shadow/shadowRun';

/** Writes `files` (relative path → text) under a new temp directory and returns it. */
export function writeFolder(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'drydock-shadow-'));
  for (const [relative, text] of Object.entries(files)) {
    const full = path.join(root, ...relative.split('/'));
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, text);
  }
  return root;
}

/** A file of a folder as a shadow target, named relative to the folder. */
export function target(root: string, relative: string): ShadowTarget {
  const absolutePath = path.join(root, ...relative.split('/'));
  return { path: relative, absolutePath, text: fs.readFileSync(absolutePath, 'utf8') };
}

/** Names history files relative to the folder, as the CLI does relative to its directory. */
export const relativeTo = (root: string) => (p: string) => path.relative(root, p).split(path.sep).join('/');

/** Every file under `dir` with its size and modification time, for "nothing was written here" checks. */
export function listing(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name)).sort()
    // A snapshot being written is renamed when done: a file gone since readdir is left out.
    .flatMap((f) => { const s = fs.statSync(f, { throwIfNoEntry: false }); return s ? [`${f} ${s.size} ${s.mtimeMs}`] : []; });
}
