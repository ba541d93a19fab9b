// drydock.dryRunOnSave: dry-run a migration file when it is saved. Unset, it is on for the shadow
// (no connection configured: nothing leaves the editor) and off for connections; on a connection
// it needs `true` and a development-database mark. Trusted workspaces only, one run at a time.
// The policy lives here (the server is told not to dry-run on save itself): trust, marks and
// passwords are the extension's.
//
// A save is the user's when VS Code reports it as Manual (Ctrl+S, Save All, File > Save). The
// saves files.autoSave makes are reported as AfterDelay (afterDelay) or FocusOut (onFocusChange and
// onWindowChange alike): none of them says "the SQL is ready", so they dry-run only with
// drydock.dryRunOnAutoSave. Even the user's save waits for a pause (no edit for SAVE_PAUSE_MS; an
// edit meanwhile leaves the run to the next save) and for a file that parses: the server's check
// says so, and its syntax-error diagnostic already tells what is wrong.
import * as vscode from 'vscode';
import { SERVER_COMMANDS, SHADOW_CONNECTION_NAME, type PlanRunResult } from '../../server/protocol';
import { isMigrationFile } from '../client/migrationDocuments';
import { stateHolds } from '../commands';
import type { DrydockContext } from '../context';
import type { MigrationRunner } from './runCommands';

/** How long a saved file must stay unedited before its dry-run starts. */
const SAVE_PAUSE_MS = 750;

/** The save reasons of files.autoSave (onWindowChange arrives as FocusOut). */
const AUTO_SAVE_REASONS: ReadonlySet<vscode.TextDocumentSaveReason> = new Set([vscode.TextDocumentSaveReason.AfterDelay, vscode.TextDocumentSaveReason.FocusOut]);

/** What became of a save (the last one of each file; for the log and the tests). */
export type SaveDecision =
  | 'off' | 'auto-save' | 'edited since' | 'syntax error' | 'busy' | 'not allowed on this connection' | 'ran';

/** Dry-runs on save: the decisions, and the runs waiting for their pause. */
export class SaveRuns implements vscode.Disposable {
  private readonly reasons = new Map<string, vscode.TextDocumentSaveReason>();
  private readonly waiting = new Map<string, NodeJS.Timeout>();
  private readonly decisions = new Map<string, SaveDecision>();
  private readonly decided = new vscode.EventEmitter<{ uri: vscode.Uri; decision: SaveDecision }>();
  /** Fires when a save's fate is known (skipped for a reason, or run and recorded). */
  readonly onDidDecide = this.decided.event;

  constructor(private readonly ctx: DrydockContext, private readonly runner: MigrationRunner) {}

  /** The last decision about a file's save. */
  decisionFor(uri: vscode.Uri): SaveDecision | undefined {
    return this.decisions.get(uri.toString());
  }

  willSave(event: vscode.TextDocumentWillSaveEvent): void {
    this.reasons.set(event.document.uri.toString(), event.reason);
  }

  /** A file was edited: a run waiting for its pause gives way to the next save. */
  edited(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    const timer = this.waiting.get(key);
    if (!timer) return;
    clearTimeout(timer);
    this.waiting.delete(key);
    this.decide(document.uri, 'edited since');
  }

  saved(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    // A save no will-save event announced (another extension's) counts as the user's.
    const reason = this.reasons.get(key) ?? vscode.TextDocumentSaveReason.Manual;
    this.reasons.delete(key);
    if (this.ctx.config.dryRunOnSave === false || !stateHolds('trusted') || !isMigrationFile(document, this.ctx.config)) return;
    if (AUTO_SAVE_REASONS.has(reason) && !this.ctx.config.dryRunOnAutoSave) {
      this.decide(document.uri, 'auto-save');
      return;
    }
    clearTimeout(this.waiting.get(key));
    const version = document.version;
    this.waiting.set(key, setTimeout(() => {
      this.waiting.delete(key);
      this.afterPause(document, version).catch((err: unknown) => {
        // A save handler has no caller to report to: an unexpected failure goes to the log.
        this.ctx.log.error(`dry-run on save of ${document.fileName} failed: ${err instanceof Error ? err.message : String(err)}`);
      });
    }, SAVE_PAUSE_MS));
  }

  dispose(): void {
    for (const timer of this.waiting.values()) clearTimeout(timer);
    this.waiting.clear();
    this.decided.dispose();
  }

  private async afterPause(document: vscode.TextDocument, version: number): Promise<void> {
    const { ctx } = this;
    if (document.isDirty || document.version !== version) return this.decide(document.uri, 'edited since');
    if (ctx.runs.busy) return this.decide(document.uri, 'busy');
    const connection = await ctx.connections.resolve();
    const onShadow = !connection && ctx.connections.activeName() === undefined;
    if (!onShadow && (ctx.config.dryRunOnSave !== true || !connection?.allowApply || !ctx.devMarks.get(connection.name))) {
      return this.decide(document.uri, 'not allowed on this connection');
    }
    const plan = await ctx.server.execute<PlanRunResult>(SERVER_COMMANDS.planRun, { targets: [document.uri.toString()], upTo: false });
    if (plan.status === 'planned' && plan.syntaxErrors.length > 0) {
      const first = plan.syntaxErrors[0]!;
      ctx.log.info(`dry-run on save of ${vscode.workspace.asRelativePath(document.uri)} waits for the file to parse (line ${first.line}: ${first.message})`);
      return this.decide(document.uri, 'syntax error');
    }
    if (document.version !== version) return this.decide(document.uri, 'edited since');
    const connectionName = onShadow ? SHADOW_CONNECTION_NAME : connection!.name;
    await this.runner.run({ mode: 'dry-run', targets: [document.uri], upTo: false, connectionName }, { quiet: true, onSave: true });
    this.decide(document.uri, 'ran');
  }

  private decide(uri: vscode.Uri, decision: SaveDecision): void {
    this.decisions.set(uri.toString(), decision);
    if (decision !== 'ran') this.ctx.log.channel.debug(`no dry-run on save of ${vscode.workspace.asRelativePath(uri)}: ${decision}`);
    this.decided.fire({ uri, decision });
  }
}

/** Dry-runs migrations on save when drydock.dryRunOnSave says so. */
export function registerDryRunOnSave(ctx: DrydockContext, runner: MigrationRunner): SaveRuns {
  const saves = new SaveRuns(ctx, runner);
  ctx.subscribe(
    saves,
    vscode.workspace.onWillSaveTextDocument((event) => saves.willSave(event)),
    vscode.workspace.onDidChangeTextDocument((event) => {
      if (event.contentChanges.length > 0) saves.edited(event.document);
    }),
    vscode.workspace.onDidSaveTextDocument((document) => saves.saved(document)),
  );
  return saves;
}
