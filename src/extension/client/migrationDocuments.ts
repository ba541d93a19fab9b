// Which documents are Drydock's: the language server is sent SQL files on disk (whatever language
// mode another extension gave a .sql file), and dry-run on save asks about a file that matches
// one of drydock.migrationsGlobs in its workspace folder.
import * as vscode from 'vscode';
import type { Config } from '../config';

/** SQL files on disk (in the shape both VS Code and the language client take). */
export const MIGRATION_DOCUMENTS = [{ language: 'sql', scheme: 'file' }, { scheme: 'file', pattern: '**/*.sql' }] as const;

/** True for SQL files on disk matching one of the migrations globs of their workspace folder. */
export function isMigrationFile(document: vscode.TextDocument, config: Config): boolean {
  if (document.uri.scheme !== 'file' || (document.languageId !== 'sql' && !document.fileName.toLowerCase().endsWith('.sql'))) return false;
  const folder = vscode.workspace.getWorkspaceFolder(document.uri);
  if (!folder) return false;
  return config.runSettings.migrationsGlobs.some((glob) => vscode.languages.match({ pattern: new vscode.RelativePattern(folder, glob) }, document) > 0);
}
