// Status bar item: the active connection's name and, once a run has reached it, the server's
// version; after a failed connection, a warning with the reason. Click: Select Connection.
import * as vscode from 'vscode';
import type { RunReport } from '../../core/model/report';
import { COMMANDS } from '../commands';
import type { DrydockContext } from '../context';
import { PGLITE_POSTGRES_MAJOR } from '../../core/db/pglite/engineInfo';
import { SHADOW_CONNECTION_NAME as SHADOW_CONNECTION } from '../../server/protocol';

/** The connection status bar item. */
export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('drydock.connection', vscode.StatusBarAlignment.Left, 50);
  private readonly versions = new Map<string, string>();
  private failure: { name: string; reason: string } | undefined;

  constructor(private readonly ctx: DrydockContext) {
    this.item.name = 'Drydock Connection';
    this.item.command = COMMANDS.selectConnection;
    this.render();
  }

  /** Records what a run found: the server's version, or why it could not connect. */
  reportRun(name: string, report: RunReport): void {
    if (report.server) {
      this.versions.set(name, report.server.version);
      if (this.failure?.name === name) this.failure = undefined;
    } else if (report.error) {
      this.failure = { name, reason: `${report.error.label} (${report.error.sqlstate}): ${report.error.message}` };
    }
    this.render();
  }

  failed(name: string, reason: string): void {
    this.failure = { name, reason };
    this.render();
  }

  render(): void {
    const name = this.ctx.connections.activeName();
    if (!name) {
      const onServer = this.ctx.config.shadowConnection !== '';
      const failed = this.failure?.name === SHADOW_CONNECTION;
      this.item.text = `${failed ? '$(warning)' : '$(beaker)'} Shadow · ${onServer ? 'scratch database' : `PGlite ${PGLITE_POSTGRES_MAJOR}`}`;
      this.item.tooltip = failed ? `Shadow failed: ${this.failure!.reason}`
        : `${this.ctx.connections.names().length > 0 ? 'The shadow is chosen' : 'No connection configured'}: Dry-Run Migration replays the earlier migrations in ${onServer ? 'a scratch database on drydock.shadowConnection' : 'PGlite (in Drydock\'s language server, nothing leaves the machine)'}, then dry-runs the file. Click to add or select a connection.`;
      this.item.backgroundColor = failed ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    } else if (this.failure?.name === name) {
      this.item.text = `$(warning) ${name}`;
      this.item.tooltip = `Connection failed: ${this.failure.reason}`;
      this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
    } else {
      const version = this.versions.get(name);
      this.item.text = `$(database) ${name}${version ? ` · PG ${version}` : ''}`;
      this.item.tooltip = `Drydock connection "${name}" (click to change)`;
      this.item.backgroundColor = undefined;
    }
    this.item.show();
  }

  /** What the item shows (for tests). */
  get text(): string {
    return this.item.text;
  }

  get tooltip(): string {
    return typeof this.item.tooltip === 'string' ? this.item.tooltip : this.item.tooltip?.value ?? '';
  }

  dispose(): void {
    this.item.dispose();
  }
}

/** Creates the status bar item and keeps it current with settings changes. */
export function registerStatusBar(ctx: DrydockContext): StatusBar {
  const statusBar = new StatusBar(ctx);
  ctx.subscribe(statusBar, ctx.connections.onDidChange(() => statusBar.render()), vscode.workspace.onDidChangeConfiguration((e) => {
    if (['connections', 'activeConnection', 'shadowConnection'].some((key) => ctx.config.affects(e, key))) statusBar.render();
  }));
  return statusBar;
}
