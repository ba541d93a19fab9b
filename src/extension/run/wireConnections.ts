// Connections as they travel to the language server: resolved here (the password from SecretStorage,
// the PG* variables and ~/.pgpass filled in), sent inside the one request that needs them, and
// remembered by the log's mask so nothing the server answers can show them.
import { secretsOf } from '../../core/db/connection';
import { SHADOW_CONNECTION_NAME, type WireConnection } from '../../server/protocol';
import { withEnvironment, type ResolvedConnection } from '../connections/connections';
import type { DrydockContext } from '../context';

/** A resolved connection for one request. */
export function toWire(connection: Pick<ResolvedConnection, 'name' | 'settings'>): WireConnection {
  return { name: connection.name, settings: connection.settings };
}

/** drydock.shadowConnection's server, resolved, or undefined for PGlite. */
export function shadowServer(ctx: DrydockContext): WireConnection | undefined {
  const url = ctx.config.shadowConnection;
  if (!url) return undefined;
  const settings = withEnvironment({ connectionString: url, applicationName: 'drydock shadow (vscode)' });
  ctx.log.addSecrets(secretsOf(settings));
  return { name: SHADOW_CONNECTION_NAME, settings };
}
