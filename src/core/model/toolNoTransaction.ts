/**
 * A migration tool's own configuration saying a migration runs outside a transaction, in a file
 * next to it rather than a directive inside it: diesel's `metadata.toml` (`run_in_transaction =
 * false`), Flyway's `<migration>.sql.conf` (`executeInTransaction=false`).
 */
export interface ToolNoTransaction {
  /** 'drydock.json': the project's own runner's directive, named there (noTransactionDirective), is in the file. */
  tool: 'diesel' | 'flyway' | 'drydock.json';
  /** The configuration file that says so. */
  configFile: string;
  /** Where the file holds the project's directive (1-based), for 'drydock.json'. */
  line?: number;
}
