// Which files a run covers: a file, a folder's forward SQL files in name order, or a folder's files up to
// and including one file. Open editors win over disk, so unsaved edits run as shown.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { compareMigrationNames, isRevertFile } from '../../core/analyse/migrationFiles';
import { readToolNoTransaction } from '../../core/config/toolNoTransaction';
import type { MigrationFile } from '../../core/run/runner';
import { decodeFileText } from '../engine';
import { pushAll } from '../../core/model/arrays';


// A folder run goes forward: the down scripts of golang-migrate's and sqlx's NNN_x.up.sql /
// NNN_x.down.sql pairs (and diesel's, sqitch's revert/) are not run, unless one is the target itself.
async function sqlFilesIn(folder: vscode.Uri): Promise<vscode.Uri[]> {
  const entries = await vscode.workspace.fs.readDirectory(folder);
  return entries
    .filter(([name, type]) => type === vscode.FileType.File && name.toLowerCase().endsWith('.sql') && !isRevertFile(name))
    .map(([name]) => name)
    .sort(compareMigrationNames)
    .map((name) => vscode.Uri.joinPath(folder, name));
}

/** The file URIs a run over `targets` covers, in the order they run. */
export async function filesToRun(targets: readonly vscode.Uri[], upTo: boolean): Promise<vscode.Uri[]> {
  const files: vscode.Uri[] = [];
  for (const target of targets) {
    const stat = await vscode.workspace.fs.stat(target);
    if (stat.type === vscode.FileType.Directory) {
      pushAll(files, await sqlFilesIn(target));
    } else if (upTo) {
      const siblings = await sqlFilesIn(vscode.Uri.file(path.dirname(target.fsPath)));
      const name = path.basename(target.fsPath);
      pushAll(files, siblings.filter((uri) => compareMigrationNames(path.basename(uri.fsPath), name) < 0));
      files.push(target);
    } else {
      files.push(target);
    }
  }
  return files;
}

/** Reads each file's current text (from its editor when open). */
export async function readMigrationFiles(uris: readonly vscode.Uri[]): Promise<MigrationFile[]> {
  return Promise.all(uris.map(async (uri) => ({ path: uri.fsPath, text: await currentText(uri), toolNoTransaction: uri.scheme === 'file' ? readToolNoTransaction(uri.fsPath) : null })));
}

// The open document's text, else the file's: opening each file instead would fire every
// onDidOpenTextDocument listener (a diagnostics parse among them) for every file of a folder run.
async function currentText(uri: vscode.Uri): Promise<string> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open) return open.getText();
  // Invalid UTF-8 becomes a NUL so the parser reports the file as binary at its first line (as the CLI does).
  return (await decodeFileText(await vscode.workspace.fs.readFile(uri))) ?? '\u0000';
}
