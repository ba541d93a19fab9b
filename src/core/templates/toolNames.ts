// The migration tools Drydock knows, by name only: light enough for settings code that must not
// load the parser (tools.ts, with the layouts, does).

export const MIGRATION_TOOLS = ['plain', 'dbmate', 'goose', 'sqitch', 'flyway', 'graphile', 'diesel'] as const;
/** A migration tool whose layout and directives the renderer follows. */
export type MigrationTool = (typeof MIGRATION_TOOLS)[number];

/** True for the tools the renderer knows. */
export function isMigrationTool(value: string): value is MigrationTool {
  return (MIGRATION_TOOLS as readonly string[]).includes(value);
}
