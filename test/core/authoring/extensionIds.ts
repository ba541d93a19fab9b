// Ids the extension registers, repeated here because core-tier tests cannot import vscode modules.
export const NEW_MIGRATION_COMMAND_ID = 'drydock.newMigrationFromTemplate';
