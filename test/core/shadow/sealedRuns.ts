// Runs of the sealed scratch shadow for the tests that attack it: a migration folder dry-run on a
// scratch database of a throwaway server, with the cluster's fingerprint required unchanged.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import type { RunReport } from '../../../src/core/model/report';
import { SCRATCH_PREFIX, ScratchDatabaseShadow } from '../../../src/core/shadow/scratchDatabase';
import { runShadowDryRun } from '../../../src/core/shadow/shadowRun';
import { sql } from '../../support/database';
import { clusterFingerprint, fingerprintDiff } from '../../support/fingerprint';
import { everyMajorUnderTest } from '../../support/throwawayPostgres';
import { relativeTo, target, writeFolder } from './folders';

/** PostgreSQL 13, 15 and 17 (DRYDOCK_LOCK_PG picks others). */
export const SEALED_MAJORS = process.env.DRYDOCK_LOCK_PG ? everyMajorUnderTest() : everyMajorUnderTest().filter((b) => [13, 15, 17].includes(b.major));

/** The scratch databases on the server. */
export async function scratchDatabases(url: string): Promise<string[]> {
  return (await sql<{ datname: string }>(url, 'SELECT datname FROM pg_database WHERE starts_with(datname, $1)', [SCRATCH_PREFIX])).map((r) => r.datname);
}

/** Waits (polling) until `done` holds; a guard against hanging, not a timing assertion. */
export async function until(done: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 1200; i++) {
    if (await done()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`gave up waiting until ${what}`);
}

/** Sessions end a moment after their client closes them: the fingerprint waits until none but its own are left. */
export async function quiet(url: string): Promise<void> {
  await until(async () => (await sql<{ n: string }>(url, "SELECT count(*) AS n FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND backend_type = 'client backend'"))[0]!.n === '0', 'other sessions ended');
}

/** The folder's last migration (by name, under migrations/) dry-run on a scratch shadow of `shadowDb`, and the host that ran it. */
export async function shadowRun(files: Record<string, string>, shadowDb: string): Promise<{ report: RunReport; host: ScratchDatabaseShadow }> {
  const root = writeFolder(files);
  try {
    const last = Object.keys(files).filter((f) => f.startsWith('migrations/') && f.endsWith('.sql')).sort().pop()!;
    const host = new ScratchDatabaseShadow({ server: { connectionString: shadowDb } });
    return { report: await runShadowDryRun([target(root, last)], { host, displayPath: relativeTo(root) }), host };
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

/** Runs the folder's last migration on a scratch shadow (connecting as `url`, a superuser, unless `shadowDb`); the cluster must be as it was. */
export async function sealedRun(url: string, files: Record<string, string>, onHost?: (h: ScratchDatabaseShadow) => void, shadowDb = url): Promise<RunReport> {
  await quiet(url);
  const fingerprint = await clusterFingerprint(url);
  const { report, host } = await shadowRun(files, shadowDb);
  onHost?.(host);
  await quiet(url);
  assert.equal(fingerprintDiff(fingerprint, await clusterFingerprint(url)), 'identical', `the cluster changed: ${JSON.stringify(report.error)}`);
  assert.deepEqual(await scratchDatabases(url), []);
  return report;
}
