// The server's side of checking a migration: the latest outcome per open document version (the
// hover and the code actions read it instead of checking again), the PostgreSQL major each
// connection's runs reported (the target version when drydock.json names none), and the open
// documents' text for the earlier migrations the check reads as context.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { ServerInfo } from '../core/model/report';
import { filePathOf, type OpenDocuments } from './documents';
import type { ServerLog } from './log';
import { MigrationChecker, type CheckOutcome, type FolderListing } from './migrationChecker';

/** Checks open documents and remembers the outcome of each document's current version. */
export class FileChecks {
  readonly checker: MigrationChecker;
  private readonly latest = new Map<string, { version: number; outcome: Promise<CheckOutcome> }>();
  private readonly majors = new Map<string, number>();
  private folderListener: ((file: string) => void) | null = null;

  constructor(documents: OpenDocuments, log: ServerLog, private readonly activeConnection: () => string | undefined) {
    this.checker = new MigrationChecker({
      openText: (file) => documents.openText(file),
      serverMajor: () => {
        const name = this.activeConnection();
        return name === undefined ? undefined : this.majors.get(name);
      },
      warn: (message) => log.warn(message),
      info: (message) => log.info(message),
      folderChanged: (file) => this.folderListener?.(file),
    });
  }

  /** Who checks a file again when its folder turned out to have changed since an edit's check (one listener). */
  onFolderChanged(listener: (file: string) => void): void {
    this.folderListener = listener;
  }

  /** Checks the document's text now and remembers the outcome for its version; an edit's check reuses the folder's last listing. */
  check(document: TextDocument, listing: FolderListing = 'fresh'): Promise<CheckOutcome> {
    const file = filePathOf(document.uri);
    if (file === null) return Promise.reject(new Error(`not a file on disk: ${document.uri}`));
    const outcome = this.checker.check(file, document.getText(), listing);
    this.latest.set(document.uri, { version: document.version, outcome });
    // A failed check is not remembered: the next ask tries again.
    outcome.catch(() => this.latest.delete(document.uri));
    return outcome;
  }

  /** The outcome for the document as it is now: the remembered one, or a new check after an edit. */
  current(document: TextDocument): Promise<CheckOutcome> {
    const known = this.latest.get(document.uri);
    return known && known.version === document.version ? known.outcome : this.check(document);
  }

  forget(uri: string): void {
    this.latest.delete(uri);
  }

  /** Records the server a connection's run reached; true when the active connection's major changed (open files need checking again). */
  recordServer(connectionName: string, server: ServerInfo | null): boolean {
    if (!server) return false;
    const major = Math.floor(server.versionNum / 10000);
    if (!Number.isInteger(major) || major < 9 || this.majors.get(connectionName) === major) return false;
    this.majors.set(connectionName, major);
    return connectionName === this.activeConnection();
  }

  /** Something every check reads changed (a drydock.json, the settings): read configs afresh, forget every outcome. */
  dependenciesChanged(): void {
    this.checker.invalidateConfig();
    this.latest.clear();
  }
}
