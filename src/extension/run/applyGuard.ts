// Apply only ever reaches a database the user marked as a development database, and only while
// the connection points where it pointed when it was marked (host, port, database, user) and
// reaches the very server found there (system identifier, database, the server's own port): a
// changed setting, a workspace's connection of the same name, or a physical copy of the cluster
// elsewhere does not inherit the mark. Who the server is comes from the language server's identify.
import { describeEndpoint, describeIdentity, sameEndpoint, sameServer, type ServerIdentity } from '../../core/db/identity';
import type { ServerInfo } from '../../core/model/report';
import type { IdentifyResult } from '../../server/protocol';
import type { ResolvedConnection } from '../connections/connections';
import type { DevMarks } from '../connections/secrets';

/** Whether an apply may go ahead, with what the confirmation shows, or why not. */
export type ApplyVerdict =
  | { allowed: true; identity: ServerIdentity; server: ServerInfo }
  | { allowed: false; reason: string };

/** Checks the dev mark of a connection against where it points and the server it reaches now (one short connection, made by `identify`). */
export async function checkApplyAllowed(connection: ResolvedConnection, marks: DevMarks,
  identify: (connection: ResolvedConnection) => Promise<IdentifyResult>): Promise<ApplyVerdict> {
  const refused = (why: string): ApplyVerdict => ({ allowed: false, reason: `Apply refused: connection "${connection.name}" ${why}` });
  if (!connection.allowApply) return refused('is not marked as a development database (allowApply).');
  const marked = marks.get(connection.name);
  if (!marked) {
    return refused(marks.hasOutdated(connection.name)
      ? 'was marked as a development database by an earlier Drydock, before marks were bound to the host, port, database and user; mark it again with Drydock: Add Connection.'
      : 'has allowApply but no recorded server identity; mark it with Drydock: Add Connection.');
  }
  if (!sameEndpoint(connection.target, marked.endpoint)) {
    return refused(`now points to ${describeEndpoint(connection.target)}, not ${describeEndpoint(marked.endpoint)} where it was marked as a development database; mark it again with Drydock: Add Connection if that is intended.`);
  }
  const { identity, server } = await identify(connection);
  if (!sameServer(identity, marked.server)) {
    return refused(`now reaches ${describeIdentity(identity)}, not the development database it was marked on (${describeIdentity(marked.server)}).`);
  }
  return { allowed: true, identity, server };
}
