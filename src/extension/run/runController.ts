// The one run in flight: its cancellation (Cancel Run, the progress notification's Cancel → the
// language server's `$/cancelRequest` → core's cancellation → rollback) and the `drydock.running`
// context key that enables Cancel and disables starting another run.
import * as vscode from 'vscode';

/** Tracks the single run in flight and its cancellation. */
export class RunController implements vscode.Disposable {
  private current: vscode.CancellationTokenSource | undefined;

  get busy(): boolean {
    return this.current !== undefined;
  }

  /** Starts a run; the returned token is cancelled when the user cancels. */
  start(): vscode.CancellationToken {
    if (this.current) throw new Error('a Drydock run is already in progress');
    this.current = new vscode.CancellationTokenSource();
    void vscode.commands.executeCommand('setContext', 'drydock.running', true);
    return this.current.token;
  }

  finish(): void {
    this.current?.dispose();
    this.current = undefined;
    void vscode.commands.executeCommand('setContext', 'drydock.running', false);
  }

  /** Cancels the run in flight; returns false when nothing was running. */
  cancel(): boolean {
    if (!this.current) return false;
    this.current.cancel();
    return true;
  }

  dispose(): void {
    this.current?.cancel();
  }
}
