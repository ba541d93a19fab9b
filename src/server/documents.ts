// The documents the client has open (LSP text document sync, incremental), and which of them are
// migrations: SQL files on disk (file: URIs) matching one of drydock.migrationsGlobs relative to
// their workspace folder, or to their own folder when they are in none.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TextDocuments } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CONFIG_FILE_NAME } from '../core/config/drydockConfig';
import { globToRegExp } from '../core/config/globs';

/** The file path of a file: URI, or null for other schemes (untitled, git). */
export function filePathOf(uri: string): string | null {
  if (!uri.startsWith('file:')) return null;
  try {
    return fileURLToPath(uri);
  } catch {
    return null;
  }
}

/** True for a drydock.json on disk. */
export function isConfigUri(uri: string): boolean {
  const file = filePathOf(uri);
  return file !== null && path.basename(file) === CONFIG_FILE_NAME;
}

/** The open documents and the workspace folders they belong to. */
export class OpenDocuments {
  readonly documents = new TextDocuments(TextDocument);
  private folders: string[] = [];

  /** Sets the workspace folders (from initialize and workspace/didChangeWorkspaceFolders), as file paths. */
  setFolders(uris: readonly string[]): void {
    this.folders = uris.map(filePathOf).filter((f): f is string => f !== null).sort((a, b) => b.length - a.length);
  }

  get(uri: string): TextDocument | undefined {
    return this.documents.get(uri);
  }

  all(): TextDocument[] {
    return this.documents.all();
  }

  /** The text of an open document at this file path (the editor's, unsaved edits included), else undefined. */
  openText(file: string): string | undefined {
    return this.documents.all().find((d) => filePathOf(d.uri) === file)?.getText();
  }

  /** A path as messages name it: relative to its workspace folder, else as it is. */
  displayPath(file: string): string {
    const folder = this.folders.find((f) => file.startsWith(f + path.sep));
    return folder ? path.relative(folder, file) : file;
  }

  /** True for SQL files on disk matching one of the migrations globs. */
  isMigration(document: TextDocument, globs: readonly string[]): boolean {
    const file = filePathOf(document.uri);
    if (file === null || (document.languageId !== 'sql' && !file.toLowerCase().endsWith('.sql'))) return false;
    const folder = this.folders.find((f) => file.startsWith(f + path.sep)) ?? path.dirname(file);
    const relative = path.relative(folder, file).split(path.sep).join('/');
    return globs.some((glob) => globToRegExp(glob).test(relative));
  }
}
