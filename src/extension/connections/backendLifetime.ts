// The second lifetime: what lives as long as one backend (today a connection's sessions, soon an
// in-process database that must be closed). It ends when the connections change and on
// deactivate, which waits for it (an in-process database left open keeps the host alive).
import type * as vscode from 'vscode';
import type { Connections } from './connections';
import type { Log } from '../log';

/** Something to release when the backend's lifetime ends. */
export interface BackendCleanup {
  dispose(): unknown;
}

/** Owns the cleanups of the current backend. */
export class BackendLifetime implements vscode.Disposable {
  private cleanups: BackendCleanup[] = [];
  private readonly watch: vscode.Disposable;

  constructor(connections: Connections, private readonly log: Log) {
    this.watch = connections.onDidChange(() => void this.end());
  }

  /** Ties cleanups to the current backend. */
  subscribe(...cleanups: BackendCleanup[]): void {
    this.cleanups.push(...cleanups);
  }

  /** Ends the current backend's lifetime: every cleanup runs (and is awaited), newest first. */
  async end(): Promise<void> {
    const ending = this.cleanups.reverse();
    this.cleanups = [];
    for (const cleanup of ending) {
      try {
        await cleanup.dispose();
      } catch (err) {
        this.log.error(`closing the backend failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }

  dispose(): void {
    this.watch.dispose();
    void this.end();
  }
}
