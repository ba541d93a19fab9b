// The one run in flight: its AbortController (Cancel Run → core's cancellation → rollback) and the
// `drydock.running` context key that enables Cancel and disables starting another run.
import * as vscode from 'vscode';

/** Tracks the single run in flight and its cancellation. */
export class RunController implements vscode.Disposable {
  private current: AbortController | undefined;

  get busy(): boolean {
    return this.current !== undefined;
  }

  /** Starts a run; the returned signal aborts when the user cancels. */
  start(): AbortSignal {
    if (this.current) throw new Error('a Drydock run is already in progress');
    this.current = new AbortController();
    void vscode.commands.executeCommand('setContext', 'drydock.running', true);
    return this.current.signal;
  }

  finish(): void {
    this.current = undefined;
    void vscode.commands.executeCommand('setContext', 'drydock.running', false);
  }

  /** Cancels the run in flight; returns false when nothing was running. */
  cancel(): boolean {
    if (!this.current) return false;
    this.current.abort();
    return true;
  }

  dispose(): void {
    this.current?.abort();
  }
}
