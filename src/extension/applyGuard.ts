// Apply only ever reaches a database the user marked as a development database, and only while
// the connection still reaches the very server (system identifier + database) that was marked.
import type { ServerInfo } from '../core/report';
import type { ResolvedConnection } from './connections';
import { identify } from './engine';
import type { DevMarks, ServerIdentity } from './secrets';

/** Whether an apply may go ahead, with what the confirmation shows, or why not. */
export type ApplyVerdict =
  | { allowed: true; identity: ServerIdentity; server: ServerInfo }
  | { allowed: false; reason: string };

/** Checks the dev mark of a connection against the server it reaches now (one short connection). */
export async function checkApplyAllowed(connection: ResolvedConnection, marks: DevMarks): Promise<ApplyVerdict> {
  if (!connection.allowApply) {
    return { allowed: false, reason: `Apply refused: connection "${connection.name}" is not marked as a development database (allowApply).` };
  }
  const marked = marks.get(connection.name);
  if (!marked) {
    return { allowed: false, reason: `Apply refused: connection "${connection.name}" has allowApply but no recorded server identity; mark it with Drydock: Add Connection.` };
  }
  const { identity, server } = await identify(connection.settings);
  if (identity.systemIdentifier !== marked.systemIdentifier || identity.database !== marked.database) {
    return {
      allowed: false,
      reason: `Apply refused: connection "${connection.name}" now reaches server ${identity.systemIdentifier} database "${identity.database}", ` +
        `not the development database it was marked on (server ${marked.systemIdentifier} database "${marked.database}").`,
    };
  }
  return { allowed: true, identity, server };
}
