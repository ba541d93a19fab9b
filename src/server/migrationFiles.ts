// Which files a run covers: a file, a folder's forward SQL files in name order, or a folder's files up to
// and including one file. Open editors win over disk, so unsaved edits run as shown. Paths in, paths
// out (no editor types): the language server and the VS Code extension both select files here.
import fs from 'node:fs/promises';
import * as path from 'node:path';
import { compareMigrationNames, isRevertFile } from '../core/analyse/migrationFiles';
import { readToolNoTransaction } from '../core/config/toolNoTransaction';
import type { MigrationFile } from '../core/run/runner';
import { decodeFileText } from './engine';
import { pushAll } from '../core/model/arrays';

/** The text of a file open in the editor (with unsaved edits), or undefined to read it from disk. */
export type OpenText = (file: string) => string | undefined;

// A folder run goes forward: the down scripts of golang-migrate's and sqlx's NNN_x.up.sql /
// NNN_x.down.sql pairs (and diesel's, sqitch's revert/) are not run, unless one is the target itself.
async function sqlFilesIn(folder: string): Promise<string[]> {
  const entries = await fs.readdir(folder, { withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && e.name.toLowerCase().endsWith('.sql') && !isRevertFile(e.name))
    .map((e) => e.name)
    .sort(compareMigrationNames)
    .map((name) => path.join(folder, name));
}

/** The absolute file paths a run over `targets` (files and folders) covers, in the order they run. */
export async function filesToRun(targets: readonly string[], upTo: boolean): Promise<string[]> {
  const files: string[] = [];
  for (const target of targets) {
    const stat = await fs.stat(target);
    if (stat.isDirectory()) {
      pushAll(files, await sqlFilesIn(target));
    } else if (upTo) {
      const siblings = await sqlFilesIn(path.dirname(target));
      const name = path.basename(target);
      pushAll(files, siblings.filter((file) => compareMigrationNames(path.basename(file), name) < 0));
      files.push(target);
    } else {
      files.push(target);
    }
  }
  return files;
}

/** Reads each file's current text (from its editor when open). */
export async function readMigrationFiles(files: readonly string[], openText: OpenText = () => undefined): Promise<MigrationFile[]> {
  return Promise.all(files.map(async (file) => ({ path: file, text: openText(file) ?? await diskText(file), toolNoTransaction: readToolNoTransaction(file) })));
}

// Invalid UTF-8 becomes a NUL so the parser reports the file as binary at its first line (as the CLI does).
async function diskText(file: string): Promise<string> {
  return (await decodeFileText(await fs.readFile(file))) ?? '\u0000';
}
