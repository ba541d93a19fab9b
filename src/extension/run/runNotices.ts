// What the user hears about a finished run. A run the user asked for (a command, a lens, Re-run)
// ends with a notification that carries its next steps: Show Run, Open Fix Query, Show Output (as
// the git extension's failed operations offer "Open Git Log"). A dry-run on save is a background
// check, as ESLint's and rust-analyzer's are: its failure stays in the status bar (and in the
// Problems panel, through the run's diagnostics) for as long as the file fails, and interrupts
// with one notification per file and failure, not on every save; a run that succeeds, or fails
// differently, resets that.
import path from 'node:path';
import * as vscode from 'vscode';
import type { ErrorReport, RunReport } from '../../core/model/report';
import { RUN_MODES } from '../../core/model/runModes';
import { errorLine } from '../../core/output/errorLine';
import { COMMANDS } from '../commands';
import type { DrydockContext } from '../context';
import type { NotificationKind } from '../prompts';
import { endingOf, type RunEntry } from '../results/results';
import { ErrorNode, RunNode, isStale, type ResultNode } from '../results/resultsTree';

/** The actions a notification about a run can carry. */
export const RUN_ACTIONS = { showRun: 'Show Run', openFixQuery: 'Open Fix Query', showOutput: 'Show Output' } as const;

/** The error that ended a run: the failed statement's, else the run's own. */
export function failureOf(report: RunReport): ErrorReport | undefined {
  return report.statements.find((s) => s.error)?.error ?? report.error;
}

/** What makes one failure of a file differ from another (a new one is notified again). */
function failureKey(report: RunReport): string {
  const error = failureOf(report);
  return [report.outcome, error?.sqlstate, error?.file, error?.position?.line, error?.message].join('\u0000');
}

/** Notifications of finished runs, and the status bar item of failing dry-runs on save. */
export class RunNotices implements vscode.Disposable {
  /** Saved file → its failure (as last notified); present while the file's dry-run on save fails. */
  private readonly failing = new Map<string, { key: string; entry: RunEntry }>();
  private readonly item = vscode.window.createStatusBarItem('drydock.saveRuns', vscode.StatusBarAlignment.Left, 49);

  constructor(private readonly ctx: DrydockContext, private readonly view: vscode.TreeView<ResultNode>) {
    this.item.name = 'Drydock Dry-Run on Save';
  }

  /** A run the user asked for: one notification with its next steps (`preface`: said first). */
  announce(entry: RunEntry, preface?: string): void {
    const { report } = entry;
    const title = `${preface ? `${preface} ` : ''}${RUN_MODES[report.mode].title}`;
    const error = failureOf(report);
    if (report.outcome === 'succeeded') {
      this.notify('info', `Drydock: ${title} succeeded (${endingOf(report)}).`, entry, [RUN_ACTIONS.showRun]);
    } else if (error) {
      this.notify('error', `Drydock: ${title} ${report.outcome} (${endingOf(report)}): ${this.ctx.log.mask(errorLine(error))}`, entry, this.failureActions(error));
    } else {
      this.notify('warning', `Drydock: ${title} ${report.outcome} (${endingOf(report)}).`, entry, [RUN_ACTIONS.showRun, RUN_ACTIONS.showOutput]);
    }
  }

  /** A dry-run on save: the status bar while its file fails, a notification when the file starts failing or fails differently. */
  saveRunFinished(entry: RunEntry): void {
    const { report } = entry;
    const file = entry.request.targets[0]?.fsPath ?? report.files[0] ?? '';
    if (report.outcome !== 'failed' && report.outcome !== 'refused') {
      // Passed (or cancelled): a later failure is news again.
      this.failing.delete(file);
      this.render();
      return;
    }
    const key = failureKey(report);
    const before = this.failing.get(file);
    this.failing.set(file, { key, entry });
    this.render();
    if (before?.key === key) return;
    const error = failureOf(report);
    const what = error ? this.ctx.log.mask(errorLine(error)) : endingOf(report);
    this.notify('warning', `Drydock: dry-run on save of ${path.basename(file)} ${report.outcome}: ${what}`, entry, error ? this.failureActions(error) : [RUN_ACTIONS.showRun]);
  }

  /** A run that produced no report (refused, the server unreachable): the reason, and the log. */
  failed(message: string): void {
    void this.ctx.prompts.notify('error', message, [RUN_ACTIONS.showOutput]).then((choice) => {
      if (choice === RUN_ACTIONS.showOutput) this.ctx.log.channel.show(true);
    });
  }

  /** Files whose last dry-run on save failed (for tests). */
  get failingFiles(): string[] {
    return [...this.failing.keys()];
  }

  /** The status bar item's text ('' when hidden; for tests). */
  get statusText(): string {
    return this.failing.size > 0 ? this.item.text : '';
  }

  /** Selects (and expands) a run in the Migration Runs view. */
  async showRun(entry: RunEntry): Promise<void> {
    // The node as the view lists it (its id says whether it is the newest run).
    const node = new RunNode(entry, this.ctx.results.runs[0] === entry, isStale(entry.report));
    await this.view.reveal(node, { select: true, focus: true, expand: true });
  }

  dispose(): void {
    this.item.dispose();
  }

  private failureActions(error: ErrorReport): string[] {
    return [...(error.fixQuery ? [RUN_ACTIONS.openFixQuery] : []), RUN_ACTIONS.showRun, RUN_ACTIONS.showOutput];
  }

  /** Shows a notification; not awaited by the run (it may stay open), its action done when chosen. */
  private notify(kind: NotificationKind, message: string, entry: RunEntry, actions: string[]): void {
    void this.ctx.prompts.notify(kind, message, actions).then((choice) => this.act(choice, entry)).catch((err: unknown) => {
      this.ctx.log.error(`notification action failed: ${err instanceof Error ? err.message : String(err)}`);
    });
  }

  private async act(choice: string | undefined, entry: RunEntry): Promise<void> {
    if (choice === RUN_ACTIONS.showRun) await this.showRun(entry);
    else if (choice === RUN_ACTIONS.showOutput) this.ctx.log.channel.show(true);
    else if (choice === RUN_ACTIONS.openFixQuery) {
      const error = failureOf(entry.report);
      if (error?.fixQuery) await vscode.commands.executeCommand(COMMANDS.openFixQuery, new ErrorNode(error, entry));
    }
  }

  private render(): void {
    const failing = [...this.failing.entries()];
    const last = failing[failing.length - 1];
    if (!last) {
      this.item.hide();
      return;
    }
    const [file, { entry }] = last;
    const error = failureOf(entry.report);
    this.item.text = `$(error) Dry-run on save: ${failing.length === 1 ? path.basename(file) : `${failing.length} files`}`;
    this.item.tooltip = failing.map(([f, { entry: e }]) => {
      const err = failureOf(e.report);
      return `${path.basename(f)}: ${e.report.outcome}${err ? ` (${err.label} ${err.sqlstate}): ${this.ctx.log.mask(err.message)}` : ''}`;
    }).join('\n') + '\nClick to go to the failing statement.';
    this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
    const where = error?.file && error.range ? [error.file, error.range] : undefined;
    this.item.command = where ? { command: COMMANDS.revealResult, title: 'Reveal in Editor', arguments: where } : COMMANDS.showOutput;
    this.item.show();
  }
}
