// The runs the "Migration Runs" view shows: the report core produced plus what is needed to
// re-run it. Newest first, at most `drydock.results.maxRuns`.
import * as vscode from 'vscode';
import type { RunReport } from '../../core/model/report';
import type { RunMode } from '../../core/model/runModes';

/**
 * How a run left the database: committed, rolled back, read-only (verify), not connected, nothing
 * sent (refused before connecting; "syntax error" when that is why), or the shadow's server changed.
 */
export function endingOf(report: RunReport): string {
  if (report.committed) return 'committed';
  if (report.shadow?.serverChanged?.length) return 'shadow\'s server changed';
  // A file that does not parse is refused before anything is sent, whichever database was chosen.
  if ((report.outcome === 'refused' || !report.server) && (report.diagnostics.some((d) => d.ruleId === 'syntax-error') || report.error?.sqlstate === '42601')) return 'syntax error';
  if (!report.server) return report.outcome === 'refused' ? 'nothing sent' : 'not connected';
  return report.mode === 'verify' ? 'read-only' : 'rolled back';
}

/** What was asked for, so a run can be repeated. */
export interface RunRequest {
  mode: RunMode;
  /** Files and folders as the user chose them. */
  targets: vscode.Uri[];
  /** Dry-run the folder's earlier files first (Dry-Run Folder up to this File). */
  upTo: boolean;
  connectionName: string;
}

/** One finished run as the view shows it. */
export interface RunEntry {
  id: number;
  /** The language server's id of the run (its evidence in hovers and lenses is keyed by it). */
  serverRunId?: string;
  request: RunRequest;
  report: RunReport;
  /** user@host:port/database of the connection used. */
  connectionLabel: string;
}

/** The last runs, newest first; fires when they change and tells `forget` which server runs left the view (undefined: all). */
export class ResultsStore implements vscode.Disposable {
  private entries: RunEntry[] = [];
  private nextId = 1;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly maxRuns: () => number, private readonly forget: (serverRunIds: string[] | undefined) => void = () => undefined) {}

  get runs(): readonly RunEntry[] {
    return this.entries;
  }

  /** The runs' reports, newest first. */
  get reports(): readonly RunReport[] {
    return this.entries.map((e) => e.report);
  }

  /** Adds a run (once: a server run already shown is not added again). */
  add(request: RunRequest, report: RunReport, connectionLabel: string, serverRunId?: string): RunEntry {
    const known = serverRunId === undefined ? undefined : this.entries.find((e) => e.serverRunId === serverRunId);
    if (known) return known;
    const entry: RunEntry = { id: this.nextId++, request, report, connectionLabel, ...(serverRunId ? { serverRunId } : {}) };
    const all = [entry, ...this.entries];
    this.entries = all.slice(0, this.maxRuns());
    this.forgetEntries(all.slice(this.entries.length));
    this.update();
    return entry;
  }

  remove(id: number): void {
    this.forgetEntries(this.entries.filter((e) => e.id === id));
    this.entries = this.entries.filter((e) => e.id !== id);
    this.update();
  }

  clear(): void {
    this.entries = [];
    this.forget(undefined);
    this.update();
  }

  private forgetEntries(gone: readonly RunEntry[]): void {
    const ids = gone.flatMap((e) => (e.serverRunId ? [e.serverRunId] : []));
    if (ids.length > 0) this.forget(ids);
  }

  dispose(): void {
    this.changed.dispose();
  }

  private update(): void {
    void vscode.commands.executeCommand('setContext', 'drydock.hasRuns', this.entries.length > 0);
    this.changed.fire();
  }
}
