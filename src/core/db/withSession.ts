// Open, use, always close: the one place a short-lived session is managed.
import type { DatabaseBackend, Session } from './backend';

/** Opens a session on `backend`, runs `use` with it and closes it, whatever happens. */
export async function withSession<T>(backend: DatabaseBackend, use: (session: Session) => Promise<T>): Promise<T> {
  const session = await backend.openSession();
  try {
    return await use(session);
  } finally {
    await session.close();
  }
}

/** Runs one query in a READ ONLY transaction that is always rolled back. */
export function runReadOnlyQuery(backend: DatabaseBackend, sql: string): Promise<{ fields: string[]; rows: Record<string, unknown>[] }> {
  return withSession(backend, async (session) => {
    await session.query('BEGIN READ ONLY');
    try {
      const result = await session.query(sql);
      return { fields: result.fields, rows: result.rows };
    } finally {
      await session.query('ROLLBACK').catch(() => undefined);
    }
  });
}
