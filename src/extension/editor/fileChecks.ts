// The editor's side of checking a migration: the latest outcome per open document version (the
// hover and the code actions read it instead of checking again), the PostgreSQL major each
// connection's runs reported (the target version when drydock.json names none), and unsaved
// editor text for the earlier migrations the check reads as context.
import * as vscode from 'vscode';
import type { ServerInfo } from '../../core/model/report';
import type { DrydockContext } from '../context';
import { MigrationChecker, type CheckOutcome } from '../../server/migrationChecker';

/** Checks open documents and remembers the outcome of each document's current version. */
export class FileChecks implements vscode.Disposable {
  readonly checker: MigrationChecker;
  private readonly latest = new Map<string, { version: number; outcome: Promise<CheckOutcome> }>();
  private readonly majors = new Map<string, number>();
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when what every check depends on changed (a drydock.json, the server's version): open files need checking again. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly ctx: DrydockContext) {
    this.checker = new MigrationChecker({
      openText: (file) => vscode.workspace.textDocuments.find((d) => d.isDirty && d.uri.scheme === 'file' && d.uri.fsPath === file)?.getText(),
      serverMajor: () => {
        const name = this.activeName();
        return name === undefined ? undefined : this.majors.get(name);
      },
      warn: (message) => ctx.log.warn(message),
    });
  }

  /** Checks the document's text now and remembers the outcome for its version. */
  check(document: vscode.TextDocument): Promise<CheckOutcome> {
    const outcome = this.checker.check(document.uri.fsPath, document.getText());
    this.latest.set(document.uri.toString(), { version: document.version, outcome });
    // A failed check is not remembered: the next ask tries again.
    outcome.catch(() => this.latest.delete(document.uri.toString()));
    return outcome;
  }

  /** The outcome for the document as it is now: the remembered one, or a new check after an edit. */
  current(document: vscode.TextDocument): Promise<CheckOutcome> {
    const known = this.latest.get(document.uri.toString());
    return known && known.version === document.version ? known.outcome : this.check(document);
  }

  forget(document: vscode.TextDocument): void {
    this.latest.delete(document.uri.toString());
  }

  /** Records the server a connection's run reached; a new major re-checks open files (their pgVersion may follow it). */
  recordServer(connectionName: string, server: ServerInfo | null): void {
    if (!server) return;
    const major = Math.floor(server.versionNum / 10000);
    if (!Number.isInteger(major) || major < 9 || this.majors.get(connectionName) === major) return;
    this.majors.set(connectionName, major);
    if (connectionName === this.activeName()) this.dependenciesChanged();
  }

  /** A drydock.json was created, changed or deleted: read configs afresh and check open files again. */
  configChanged(): void {
    this.checker.invalidateConfig();
    this.dependenciesChanged();
  }

  /** Something every check reads changed (the active connection, so the server version): check open files again. */
  dependenciesChanged(): void {
    this.latest.clear();
    this.changed.fire();
  }

  private activeName(): string | undefined {
    return this.ctx.connections.activeName();
  }

  dispose(): void {
    this.changed.dispose();
  }
}
