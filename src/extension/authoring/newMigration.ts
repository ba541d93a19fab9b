// "Drydock: New Migration from Template". The wizard (newMigrationWizard.ts) asks the questions and
// leaves the catalog, checks and rendering to the language server; it is imported when the command
// first runs, not at activation.
import { COMMANDS, refuseWith, registerCommands } from '../commands';
import type { DrydockContext } from '../context';

/**
 * From the explorer the command receives the clicked resource; a NewMigrationPreset argument
 * pre-answers the questions. Resolves to the paths written.
 */
const newMigration = (ctx: DrydockContext) => async (first?: unknown, second?: unknown): Promise<string[]> => {
  const wizard = await import('./newMigrationWizard');
  return wizard.newMigrationCommand(ctx, first, second);
};

/** Registers "Drydock: New Migration from Template". */
export function registerNewMigration(ctx: DrydockContext): void {
  registerCommands(ctx, {
    [COMMANDS.newMigrationFromTemplate]: {
      needs: 'trusted',
      enabled: newMigration,
      disabled: refuseWith('Drydock does not connect to databases or write migrations in Restricted Mode. Trust this workspace to create one.', []),
    },
  });
}
