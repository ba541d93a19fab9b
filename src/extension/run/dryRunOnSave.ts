// drydock.dryRunOnSave: dry-run a migration file when it is saved. Unset, it is on for the shadow
// (no connection configured: nothing leaves the editor) and off for connections; on a connection
// it needs `true` and a development-database mark. Trusted workspaces only, one run at a time.
// The policy lives here (the server is told not to dry-run on save itself): trust, marks and
// passwords are the extension's.
import * as vscode from 'vscode';
import { SHADOW_CONNECTION_NAME } from '../../server/protocol';
import { isMigrationFile } from '../client/migrationDocuments';
import { stateHolds } from '../commands';
import type { DrydockContext } from '../context';
import type { MigrationRunner } from './runCommands';

/** Dry-runs migrations on save when drydock.dryRunOnSave says so. */
export function registerDryRunOnSave(ctx: DrydockContext, runner: MigrationRunner): void {
  ctx.subscribe(vscode.workspace.onDidSaveTextDocument((document) => {
    const setting = ctx.config.dryRunOnSave;
    if (setting === false || !stateHolds('trusted') || ctx.runs.busy || !isMigrationFile(document, ctx.config)) return;
    void (async () => {
      const connection = await ctx.connections.resolve();
      if (!connection && ctx.connections.activeName() === undefined) {
        await runner.run({ mode: 'dry-run', targets: [document.uri], upTo: false, connectionName: SHADOW_CONNECTION_NAME }, { quiet: true });
        return;
      }
      if (setting !== true || !connection?.allowApply || !ctx.devMarks.get(connection.name)) return;
      await runner.run({ mode: 'dry-run', targets: [document.uri], upTo: false, connectionName: connection.name }, { quiet: true });
    })().catch((err: unknown) => {
      // A save handler has no caller to report to: an unexpected failure goes to the log.
      ctx.log.error(`dry-run on save of ${document.fileName} failed: ${err instanceof Error ? err.message : String(err)}`);
    });
  }));
}
