// The migration tools whose histories the shadow replays: the template tools, and Prisma and
// golang-migrate, whose migrations Drydock does not write but whose folders it reads. Detected as the templates detect
// them, with Prisma's evidence first (its folders look like diesel's otherwise).
import { detectMigrationTool, type WorkspaceEntry } from '../templates/detect';
import { MIGRATION_TOOLS } from '../templates/toolNames';

export const HISTORY_TOOLS = [...MIGRATION_TOOLS, 'prisma', 'golang-migrate'] as const;
/** A tool whose history the shadow can replay. */
export type HistoryTool = (typeof HISTORY_TOOLS)[number];

/** True for a name of a tool the shadow replays. */
export function isHistoryTool(value: string): value is HistoryTool {
  return (HISTORY_TOOLS as readonly string[]).includes(value);
}

const PRISMA_EVIDENCE: readonly RegExp[] = [
  /^(?:.*\/)?migration_lock\.toml$/,
  /^(?:.*\/)?\d{14}_[^/]+\/migration\.sql$/,
];

// golang-migrate's pairs: 0001_x.up.sql and 0001_x.down.sql (no configuration file to find).
const GOLANG_MIGRATE_EVIDENCE = /^\d+_[^/]*\.up\.sql$/;

/** Which tool the entries (paths relative to the migrations folder) belong to. */
export function detectHistoryTool(entries: readonly WorkspaceEntry[], override?: HistoryTool | 'auto'): HistoryTool {
  if (override && override !== 'auto') return override;
  if (entries.some((e) => PRISMA_EVIDENCE.some((p) => p.test(e.path)))) return 'prisma';
  const tool = detectMigrationTool(entries).tool;
  // A configuration file or a tool's annotations say more than golang-migrate's file names do.
  return tool === 'plain' && entries.some((e) => GOLANG_MIGRATE_EVIDENCE.test(e.path)) ? 'golang-migrate' : tool;
}
