// Whether a migration tool's configuration file next to a migration runs it outside a
// transaction. Such a migration may hold CREATE INDEX CONCURRENTLY without any directive in the
// file; judged as if in a transaction it got a false needs-no-transaction warning and Apply refused
// it (crates.io marks 7 of its 285 diesel migrations so).
import fs from 'node:fs';
import path from 'node:path';
import type { ToolNoTransaction } from '../model/toolNoTransaction';

// Flyway's versioned and repeatable migrations: V1__x.sql, V1_2__x.sql, R__x.sql.
const FLYWAY_MIGRATION = /^(?:V\d+(?:[._]\d+)*|R)__.*\.sql$/;

/** The configuration file that can say so for this migration, and the tool whose it is. */
function configFileOf(migration: string): ToolNoTransaction | null {
  const name = path.basename(migration);
  // diesel runs a migration's up.sql and its down.sql (the revert) the same way.
  if (name === 'up.sql' || name === 'down.sql') return { tool: 'diesel', configFile: path.join(path.dirname(migration), 'metadata.toml') };
  if (FLYWAY_MIGRATION.test(name)) return { tool: 'flyway', configFile: `${migration}.conf` };
  return null;
}

const SAYS_NO_TRANSACTION: Record<Exclude<ToolNoTransaction['tool'], 'drydock.json'>, RegExp> = {
  diesel: /^\s*run_in_transaction\s*=\s*false\b/m,
  flyway: /^\s*executeInTransaction\s*=\s*false\b/m,
};

/** The tool's configuration that runs the migration (its path, as the caller reads the file) outside a transaction, or null. */
export function readToolNoTransaction(migration: string): ToolNoTransaction | null {
  const config = configFileOf(migration);
  if (!config) return null;
  // Most migrations have no such file (the tool's default, in a transaction): one stat, no exception.
  if (!fs.statSync(config.configFile, { throwIfNoEntry: false })?.isFile()) return null;
  let text: string;
  try {
    text = fs.readFileSync(config.configFile, 'utf8');
  } catch {
    return null;
  }
  return config.tool !== 'drydock.json' && SAYS_NO_TRANSACTION[config.tool].test(text) ? config : null;
}
