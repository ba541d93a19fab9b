// The server's diagnostics set into VS Code a slice at a time. VS Code's extension host converts a
// file's whole list and sends it to the window in one go on each set, on its own thread: for a
// 1,000-line migration's 751 findings that was 30-80 ms in one turn of the loop every extension
// shares. Here a long list is cut into slices of SLICE_SIZE, each slice lives in a collection of its
// own ("drydock", "drydock-2", ...: VS Code shows and returns the union), and each is set in its
// own turn, the first one turn after the language client converted the message. A newer list for a
// file replaces an unfinished older one.
import * as vscode from 'vscode';

/**
 * Diagnostics set per turn (and per collection). VS Code's own conversion and send of a slice of
 * 100 took 20-30 ms of the host's thread on a loaded machine, and the language client's own
 * immediates can land in the same turn: 50 keeps a turn near 10 ms.
 */
const SLICE_SIZE = 50;

/** A file's diagnostics spread over collections, one slice per turn. */
export class ShardedDiagnostics implements vscode.Disposable {
  private readonly collections: vscode.DiagnosticCollection[] = [];
  /** How many collections hold something for each file. */
  private readonly used = new Map<string, number>();
  /** The latest write per file: a write that is not it any more stops. */
  private readonly writes = new Map<string, number>();
  private nextWrite = 0;
  /** Who waits for every write to be done (whenWritten). */
  private writtenWaiters: (() => void)[] = [];

  constructor(private readonly name: string) {}

  /** Replaces a file's diagnostics. */
  set(uri: vscode.Uri, diagnostics: readonly vscode.Diagnostic[]): void {
    const key = uri.toString();
    const write = ++this.nextWrite;
    this.writes.set(key, write);
    const slices = Math.ceil(diagnostics.length / SLICE_SIZE);
    // Until this write ends, every collection an earlier write may have filled counts as used.
    const total = Math.max(slices, this.used.get(key) ?? 0, 1);
    this.used.set(key, total);
    const setSlice = (i: number) => {
      const slice = diagnostics.slice(i * SLICE_SIZE, (i + 1) * SLICE_SIZE);
      // The first collection is always set, an empty list included: a publish is seen to happen.
      if (slice.length > 0 || i === 0) this.collection(i).set(uri, slice);
      else this.collection(i).delete(uri);
    };
    const next = (i: number) => {
      if (this.writes.get(key) !== write) return;
      if (i >= total) {
        this.writes.delete(key);
        if (slices > 0) this.used.set(key, slices);
        else this.used.delete(key);
        this.wakeIfWritten();
        return;
      }
      setSlice(i);
      setImmediate(() => next(i + 1));
    };
    // Not in the turn that converted the server's message (the language client's own work).
    setImmediate(() => next(0));
  }

  /** Resolves once every list given so far is set in full (the tests' way to know a publish landed). */
  whenWritten(): Promise<void> {
    if (this.writes.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.writtenWaiters.push(resolve));
  }

  private wakeIfWritten(): void {
    if (this.writes.size > 0) return;
    const waiters = this.writtenWaiters;
    this.writtenWaiters = [];
    for (const wake of waiters) wake();
  }

  /** Removes every diagnostic (the server stopped: its restart publishes afresh). */
  clear(): void {
    this.writes.clear();
    this.used.clear();
    for (const c of this.collections) c.clear();
    this.wakeIfWritten();
  }

  private collection(i: number): vscode.DiagnosticCollection {
    while (this.collections.length <= i) {
      const n = this.collections.length;
      this.collections.push(vscode.languages.createDiagnosticCollection(n === 0 ? this.name : `${this.name}-${n + 1}`));
    }
    return this.collections[i]!;
  }

  dispose(): void {
    this.writes.clear();
    this.wakeIfWritten();
    for (const c of this.collections) c.dispose();
    this.collections.length = 0;
  }
}
