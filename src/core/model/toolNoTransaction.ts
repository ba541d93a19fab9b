/**
 * A migration tool's own configuration saying a migration runs outside a transaction, in a file
 * next to it rather than a directive inside it: diesel's `metadata.toml` (`run_in_transaction =
 * false`), Flyway's `<migration>.sql.conf` (`executeInTransaction=false`).
 */
export interface ToolNoTransaction {
  tool: 'diesel' | 'flyway';
  /** The configuration file that says so. */
  configFile: string;
}
