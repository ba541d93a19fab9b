// The migration tools whose histories the shadow replays: the template tools, and the tools whose
// migrations Drydock does not write but whose folders it reads (Prisma, golang-migrate,
// postgres-migrations, sqlx, Atlas, tern, sql-migrate, node-pg-migrate). Detected as the templates
// detect them, with the evidence only one tool leaves first (its folders look like another's
// otherwise: sqlx's NNN_x.up.sql are golang-migrate's names, Prisma's folders diesel's).
import { detectMigrationTool, type WorkspaceEntry } from '../templates/detect';
import { HISTORY_TOOL_NAMES } from '../model/migrationToolNames';

export const HISTORY_TOOLS = HISTORY_TOOL_NAMES;
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

/** What only one tool leaves in a migrations folder: its files, or its markers in the migrations' text. */
const OWN_EVIDENCE: readonly { tool: HistoryTool; path?: RegExp; text?: RegExp }[] = [
  { tool: 'atlas', path: /^atlas\.sum$/ },
  { tool: 'atlas', text: /^--\s*atlas:\w+/m },
  { tool: 'sql-migrate', text: /^-- \+migrate (?:Up|Down)\b/m },
  { tool: 'tern', text: /^---- (?:create above \/ drop below|tern: disable-tx) ----$/m },
  { tool: 'node-pg-migrate', text: /^\s*--[\s-]*(?:up|down)\s+migration\s*$/im },
  { tool: 'postgres-migrations', text: /^-- postgres-migrations disable-transaction/m },
  // sqlx's directive, and the first line its `migrate add` writes.
  { tool: 'sqlx', text: /^-- (?:no-transaction|Add (?:up |down )?migration script here)/ },
];

/** The configuration files and manifests above the folder that name a tool (weaker: a monorepo's manifest may name several). */
const CONFIG_EVIDENCE: readonly { tool: HistoryTool; path: RegExp; text?: RegExp }[] = [
  { tool: 'tern', path: /^tern\.conf$/ },
  { tool: 'sql-migrate', path: /^dbconfig\.yml$/ },
  { tool: 'postgres-migrations', path: /^package\.json$/, text: /"postgres-migrations"\s*:/ },
  { tool: 'node-pg-migrate', path: /^package\.json$/, text: /"node-pg-migrate"\s*:/ },
  { tool: 'sqlx', path: /^Cargo\.toml$/, text: /^\s*sqlx\s*=|^\s*\[(?:workspace\.)?dependencies\.sqlx\]/m },
];

/** The tool the most entries testify for, by `rules`, or null. */
function mostEvidence(entries: readonly WorkspaceEntry[], rules: readonly { tool: HistoryTool; path?: RegExp; text?: RegExp }[]): HistoryTool | null {
  const votes = new Map<HistoryTool, number>();
  for (const e of entries) {
    for (const rule of rules) {
      const matches = (rule.path ? rule.path.test(e.path) : true) && (rule.text ? e.text !== undefined && rule.text.test(e.text) : true);
      if (matches) votes.set(rule.tool, (votes.get(rule.tool) ?? 0) + 1);
    }
  }
  return [...votes].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
}

/** Which tool the entries (paths relative to the migrations folder) belong to. */
export function detectHistoryTool(entries: readonly WorkspaceEntry[], override?: HistoryTool | 'auto'): HistoryTool {
  if (override && override !== 'auto') return override;
  if (entries.some((e) => PRISMA_EVIDENCE.some((p) => p.test(e.path)))) return 'prisma';
  const own = mostEvidence(entries, OWN_EVIDENCE);
  // atlas.sum beside NNN_x.up.sql / NNN_x.down.sql pairs: a folder Atlas writes in golang-migrate's
  // format for golang-migrate to apply (openmeter); Atlas's own files are NNN_x.sql.
  if (own === 'atlas' && entries.some((e) => GOLANG_MIGRATE_EVIDENCE.test(e.path))) return 'golang-migrate';
  if (own) return own;
  const tool = detectMigrationTool(entries).tool;
  if (tool !== 'plain') return tool;
  // A configuration file or a tool's annotations say more than golang-migrate's file names do.
  return mostEvidence(entries, CONFIG_EVIDENCE) ?? (entries.some((e) => GOLANG_MIGRATE_EVIDENCE.test(e.path)) ? 'golang-migrate' : 'plain');
}
