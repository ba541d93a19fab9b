// drydock.dryRunOnSave: dry-run a migration file when it is saved. Off by default; only in
// trusted workspaces, only on a connection marked as a development database, one run at a time.
import type * as vscode from 'vscode';
import { stateHolds } from '../commands';
import type { DrydockContext } from '../context';
import type { MigrationRunner } from './runCommands';

/** Returns the save handler the diagnostics wiring calls after parsing. */
export function registerDryRunOnSave(ctx: DrydockContext, runner: MigrationRunner,
  isMigrationFile: (document: vscode.TextDocument) => boolean): (document: vscode.TextDocument) => void {
  return (document) => {
    if (!ctx.config.dryRunOnSave || !stateHolds('trusted') || ctx.runs.busy || !isMigrationFile(document)) return;
    void (async () => {
      const connection = await ctx.connections.resolve();
      if (!connection?.allowApply || !ctx.devMarks.get(connection.name)) return;
      await runner.run({ mode: 'dry-run', targets: [document.uri], upTo: false, connectionName: connection.name }, { quiet: true });
    })().catch((err: unknown) => {
      // A save handler has no caller to report to: an unexpected failure goes to the log.
      ctx.log.error(`dry-run on save of ${document.fileName} failed: ${err instanceof Error ? err.message : String(err)}`);
    });
  };
}
