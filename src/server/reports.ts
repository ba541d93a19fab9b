// The runs the server remembers: every report a run produced (a command's, a dry-run on save), newest
// first, at most drydock.results.maxRuns. The hover, the measurement lenses and the diagnostics read
// the last run's evidence from here; the client forgets runs it removed from its view.
import type { RunReport } from '../core/model/report';
import type { RunRequestSummary } from './protocol';

/** One finished run. */
export interface RunEntry {
  runId: string;
  request: RunRequestSummary;
  report: RunReport;
  connectionLabel: string;
}

/** The last runs, newest first. */
export class ReportStore {
  private entries: RunEntry[] = [];

  constructor(private readonly maxRuns: () => number) {}

  /** The runs' reports, newest first. */
  get reports(): readonly RunReport[] {
    return this.entries.map((e) => e.report);
  }

  byId(runId: string): RunEntry | undefined {
    return this.entries.find((e) => e.runId === runId);
  }

  add(entry: RunEntry): void {
    this.entries = [entry, ...this.entries.filter((e) => e.runId !== entry.runId)].slice(0, Math.max(this.maxRuns(), 1));
  }

  /** Forgets the runs named (all when none are named); true when any was known. */
  forget(runIds?: readonly string[]): boolean {
    const before = this.entries.length;
    this.entries = runIds ? this.entries.filter((e) => !runIds.includes(e.runId)) : [];
    return this.entries.length !== before;
  }
}
