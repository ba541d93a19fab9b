// The migration tools Drydock knows, by name only, in the lowest layer: drydock.json's `tool`
// setting is validated against them (config/ may import only model/), the templates write the
// first list's layouts, and the shadow replays every tool of the second.

/** The tools whose migrations the templates write. */
export const TEMPLATE_TOOL_NAMES = ['plain', 'dbmate', 'goose', 'sqitch', 'flyway', 'graphile', 'diesel'] as const;

/** The tools whose histories the shadow replays: the template tools, and the ones whose folders Drydock only reads. */
export const HISTORY_TOOL_NAMES = [...TEMPLATE_TOOL_NAMES, 'prisma', 'golang-migrate', 'postgres-migrations', 'sqlx', 'atlas', 'tern', 'sql-migrate', 'node-pg-migrate'] as const;
