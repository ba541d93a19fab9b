// After a run, each statement that took a lock on an existing table, rewrote or scanned one shows
// what was measured above it: "ACCESS EXCLUSIVE · rewrite · ~40 s–2.7 min on reference". Only while
// the statement's text is unchanged since the run (an edit makes the measurement stale).
import * as vscode from 'vscode';
import type { StatementReport } from '../../core/model/report';
import { COMMANDS } from '../commands';
import type { DrydockContext } from '../context';
import { toPosition } from '../convert';
import type { ResultsStore } from '../results/results';
import { measurementSummary } from '../../server/measurement';
import { lastRunOf } from '../../server/lastRun';

/** The lens title for a statement, or null when nothing worth showing was measured. */
export function measurementTitle(s: StatementReport): string | null {
  const summary = measurementSummary(s);
  return summary ? `$(pulse) ${summary}` : null;
}

class MeasurementLensProvider implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(private readonly results: ResultsStore) {}

  refresh(): void {
    this.changed.fire();
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    return (lastRunOf(this.results.reports, document.uri.fsPath, document.getText())?.statements ?? []).flatMap((s) => {
      const title = measurementTitle(s);
      if (!title) return [];
      const at = toPosition(s.range.start);
      return [new vscode.CodeLens(new vscode.Range(at, at), { title, command: COMMANDS.revealResult, arguments: [s.file, s.range], tooltip: 'Measured by the last Drydock run' })];
    });
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** Registers the lens provider and refreshes it with each run. */
export function registerMeasurementLens(ctx: DrydockContext): void {
  const provider = new MeasurementLensProvider(ctx.results);
  ctx.subscribe(provider, vscode.languages.registerCodeLensProvider({ language: 'sql', scheme: 'file' }, provider), ctx.results.onDidChange(() => provider.refresh()));
}
