// drydock.dryRunOnSave: dry-run a migration file when it is saved. Unset, it is on for the shadow
// (no connection configured: nothing leaves the editor) and off for connections; on a connection
// it needs `true` and a development-database mark. Trusted workspaces only, one run at a time.
import type * as vscode from 'vscode';
import { stateHolds } from '../commands';
import type { DrydockContext } from '../context';
import type { MigrationRunner } from './runCommands';
import { SHADOW_CONNECTION } from './shadow';

/** Returns the save handler the diagnostics wiring calls after parsing. */
export function registerDryRunOnSave(ctx: DrydockContext, runner: MigrationRunner,
  isMigrationFile: (document: vscode.TextDocument) => boolean): (document: vscode.TextDocument) => void {
  return (document) => {
    const setting = ctx.config.dryRunOnSave;
    if (setting === false || !stateHolds('trusted') || ctx.runs.busy || !isMigrationFile(document)) return;
    void (async () => {
      const connection = await ctx.connections.resolve();
      if (!connection && ctx.connections.activeName() === undefined) {
        await runner.run({ mode: 'dry-run', targets: [document.uri], upTo: false, connectionName: SHADOW_CONNECTION }, { quiet: true });
        return;
      }
      if (setting !== true || !connection?.allowApply || !ctx.devMarks.get(connection.name)) return;
      await runner.run({ mode: 'dry-run', targets: [document.uri], upTo: false, connectionName: connection.name }, { quiet: true });
    })().catch((err: unknown) => {
      // A save handler has no caller to report to: an unexpected failure goes to the log.
      ctx.log.error(`dry-run on save of ${document.fileName} failed: ${err instanceof Error ? err.message : String(err)}`);
    });
  };
}
