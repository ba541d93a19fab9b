// The migration tools Drydock knows, by name only: light enough for settings code that must not
// load the parser (tools.ts, with the layouts, does).

import { TEMPLATE_TOOL_NAMES } from '../model/migrationToolNames';

export const MIGRATION_TOOLS = TEMPLATE_TOOL_NAMES;
/** A migration tool whose layout and directives the renderer follows. */
export type MigrationTool = (typeof MIGRATION_TOOLS)[number];

/** True for the tools the renderer knows. */
export function isMigrationTool(value: string): value is MigrationTool {
  return (MIGRATION_TOOLS as readonly string[]).includes(value);
}
