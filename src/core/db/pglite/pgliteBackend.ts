// The backend port over one PGlite instance: one session at a time (PGlite is single-user), no
// cancel and no timeouts (statements run on the caller's thread, where no timer fires until they
// end). The instance outlives the sessions; its owner (the shadow) closes it.
import type { ServerInfo } from '../../model/report';
import type { DatabaseBackend, Session } from '../backend';
import type { PgliteInstance } from './pgliteInstance';
import { PgliteSession, resetBackend } from './pgliteSession';

/** "PGlite 18.7": what reports and the status bar call this server. */
export function pgliteLabel(info: ServerInfo): string {
  return `PGlite ${info.version}`;
}

async function serverInfoOf(instance: PgliteInstance): Promise<{ info: ServerInfo; pid: number }> {
  const result = await instance.db.query<{ version: string; num: string; db: string; usr: string; pid: number }>(
    "SELECT current_setting('server_version') AS version, current_setting('server_version_num') AS num, current_database() AS db, current_user AS usr, pg_backend_pid() AS pid",
  );
  const row = result.rows[0]!;
  return { info: { version: row.version, versionNum: Number(row.num), database: row.db, user: row.usr }, pid: row.pid };
}

/** A backend whose sessions run on this PGlite instance. */
export function pgliteBackend(instance: PgliteInstance): DatabaseBackend {
  let open: Session | null = null;
  return {
    kind: 'pglite',
    label: 'PGlite (in-process shadow)',
    inProcess: true,
    capabilities: { cancel: false, concurrentSessions: false, timeouts: false },
    secrets: [],
    async openSession(): Promise<Session> {
      if (instance.closed) throw Object.assign(new Error('the PGlite shadow was closed'), { code: '08003' });
      if (open) throw Object.assign(new Error('PGlite has a single session, and it is in use'), { code: '53300' });
      // Whatever a session left behind ends when it closes; this covers one whose close never ran.
      await resetBackend(instance.db);
      const { info, pid } = await serverInfoOf(instance);
      const session = new PgliteSession(instance.db, info, pid, () => { open = null; }, () => instance.stackOverflows);
      open = session;
      return session;
    },
  };
}
