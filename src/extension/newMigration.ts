// "Drydock: New Migration from Template". The wizard (newMigrationWizard.ts) needs core's templates
// and the PostgreSQL parser, so it is imported when the command first runs, not at activation.
import * as vscode from 'vscode';
import type { NewMigrationHost } from './newMigrationWizard';

export const NEW_MIGRATION_COMMAND = 'drydock.newMigrationFromTemplate';

/**
 * Registers "Drydock: New Migration from Template". From the explorer it receives the clicked
 * resource; a NewMigrationPreset argument pre-answers the questions. Resolves to the paths written.
 */
export function registerNewMigration(ctx: NewMigrationHost): void {
  ctx.subscribe(vscode.commands.registerCommand(NEW_MIGRATION_COMMAND, async (first?: unknown, second?: unknown): Promise<string[]> => {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage('Drydock does not connect to databases or write migrations in Restricted Mode. Trust this workspace to create one.');
      return [];
    }
    const wizard = await import('./newMigrationWizard');
    return wizard.newMigrationCommand(ctx, first, second);
  }));
}
