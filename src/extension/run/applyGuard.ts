// Apply only ever reaches a database the user marked as a development database, and only while
// the connection still reaches the very server (system identifier + database) that was marked.
import type { DatabaseBackend } from '../../core/db/backend';
import { describeIdentity, sameServer, type ServerIdentity } from '../../core/db/identity';
import type { ServerInfo } from '../../core/model/report';
import type { ResolvedConnection } from '../connections/connections';
import type { DevMarks } from '../connections/secrets';
import { identify } from '../engine';

/** Whether an apply may go ahead, with what the confirmation shows, or why not. */
export type ApplyVerdict =
  | { allowed: true; identity: ServerIdentity; server: ServerInfo }
  | { allowed: false; reason: string };

/** Checks the dev mark of a connection against the server it reaches now (one short connection). */
export async function checkApplyAllowed(connection: ResolvedConnection, backend: DatabaseBackend, marks: DevMarks): Promise<ApplyVerdict> {
  if (!connection.allowApply) {
    return { allowed: false, reason: `Apply refused: connection "${connection.name}" is not marked as a development database (allowApply).` };
  }
  const marked = marks.get(connection.name);
  if (!marked) {
    return { allowed: false, reason: `Apply refused: connection "${connection.name}" has allowApply but no recorded server identity; mark it with Drydock: Add Connection.` };
  }
  const { identity, server } = await identify(backend);
  if (!sameServer(identity, marked)) {
    return {
      allowed: false,
      reason: `Apply refused: connection "${connection.name}" now reaches ${describeIdentity(identity)}, ` +
        `not the development database it was marked on (${describeIdentity(marked)}).`,
    };
  }
  return { allowed: true, identity, server };
}
