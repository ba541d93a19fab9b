// The two ways Drydock verifies what migration files declare, on the same files: measured by a
// dry-run on an empty database, and predicted by `verify` of a database psql built from them.
import { pgBackend } from '../../src/core/db/pg/pgBackend';
import type { RunReport } from '../../src/core/model/report';
import { runMigrations, type MigrationFile } from '../../src/core/run/runner';
import { sql } from './database';
import { psqlFiles } from './psql';
import type { ThrowawayPostgres } from './throwawayPostgres';

export interface BothWays {
  dry: RunReport;
  verify: RunReport;
  /** psql's exit code and standard error applying the files with -1 (the reference). */
  psql: { code: number | null; stderr: string };
}

/** Dry-runs the files on one fresh database and verifies another that psql -1 built from them. */
export async function verifyBothWays(server: ThrowawayPostgres, migrations: MigrationFile[], setup?: string): Promise<BothWays> {
  const dryDb = server.url(await server.createDatabase());
  const builtDb = server.url(await server.createDatabase());
  if (setup) {
    await sql(dryDb, setup);
    await sql(builtDb, setup);
  }
  const dry = await runMigrations(migrations, { mode: 'dry-run', backend: pgBackend({ connectionString: dryDb }) });
  const psql = await psqlFiles(builtDb, migrations.map((m) => m.path), { singleTransaction: true });
  const verify = await runMigrations(migrations, { mode: 'verify', backend: pgBackend({ connectionString: builtDb }) });
  return { dry, verify, psql: { code: psql.code, stderr: psql.stderr } };
}
