// Tables a migration tool creates and owns, whose DDL appears in the SQL the tool prints: Alembic's
// offline mode (`alembic upgrade --sql`) starts with CREATE TABLE alembic_version (version_num
// VARCHAR(32) …). Their column types are the tool's choice, not the project's, and no migration of
// the project will change them: the type rules leave them alone.
const TOOL_TABLES = new Set(['alembic_version']);

/** True for a tool's bookkeeping table (schema-qualified or not). */
export function isToolBookkeepingTable(table: string): boolean {
  const name = table.slice(table.lastIndexOf('.') + 1).replace(/"/g, '');
  return TOOL_TABLES.has(name);
}
