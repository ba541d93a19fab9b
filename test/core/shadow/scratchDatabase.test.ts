// The shadow as a scratch database on a real server: created, replayed, dry-run, dropped (after a
// failure and a killed connection too); stale scratch databases of earlier runs removed; the
// configured development database never touched.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ScratchDatabaseShadow, SCRATCH_PREFIX } from '../../../src/core/shadow/scratchDatabase';
import { runShadowDryRun } from '../../../src/core/shadow/shadowRun';
import { catalogSnapshot, sql } from '../../support/database';
import { startPostgres, type ThrowawayPostgres } from '../../support/throwawayPostgres';
import { relativeTo, target, writeFolder } from './folders';

let server: ThrowawayPostgres;
before(async () => { server = await startPostgres(); });
after(async () => { await server.stop(); });

async function scratchDatabases(): Promise<string[]> {
  const rows = await sql<{ datname: string }>(server.url(), 'SELECT datname FROM pg_database WHERE starts_with(datname, $1)', [SCRATCH_PREFIX]);
  return rows.map((r) => r.datname);
}

const FOLDER = {
  'migrations/001_accounts.sql': 'CREATE TABLE accounts (id int PRIMARY KEY, email text);\n',
  'migrations/002_index.sql': '-- drydock:no-transaction\nCREATE INDEX CONCURRENTLY accounts_email ON accounts (email);\n',
  'migrations/003_target.sql': 'ALTER TABLE accounts ADD COLUMN name text;\n',
};

describe('scratch database shadow', () => {
  test('replays on drydock_shadow_*, dry-runs the target, drops it, and leaves the dev database byte-for-byte as it was', async () => {
    const dev = await server.createDatabase();
    await sql(server.url(dev), 'CREATE TABLE accounts (id int PRIMARY KEY)');
    const before = await catalogSnapshot(server.url(dev));
    const root = writeFolder(FOLDER);
    const host = new ScratchDatabaseShadow({ server: { connectionString: server.url('postgres') } });
    const report = await runShadowDryRun([target(root, 'migrations/003_target.sql')], { host, displayPath: relativeTo(root) });
    assert.equal(report.outcome, 'succeeded', JSON.stringify(report.error));
    assert.equal(report.shadow?.kind, 'scratch-database');
    assert.equal(report.shadow?.label, `shadow on 127.0.0.1:${server.port}`);
    assert.match(report.server?.database ?? '', new RegExp(`^${SCRATCH_PREFIX}`));
    assert.deepEqual(await scratchDatabases(), []);
    assert.equal(await catalogSnapshot(server.url(dev)), before);
    assert.equal(JSON.stringify(report).includes(server.password), false, 'the report holds the password');
  });

  test('an earlier migration that kills its own connection is reported, and the scratch database is dropped anyway', async () => {
    const root = writeFolder({
      'migrations/001_die.sql': 'SELECT pg_terminate_backend(pg_backend_pid());\n',
      'migrations/002_target.sql': 'SELECT 1;\n',
    });
    const host = new ScratchDatabaseShadow({ server: { connectionString: server.url('postgres') } });
    const report = await runShadowDryRun([target(root, 'migrations/002_target.sql')], { host, displayPath: relativeTo(root) });
    assert.match(report.historyFailure?.error.message ?? '', /^earlier migration migrations\/001_die\.sql:1 failed: /);
    assert.equal(report.historyFailure?.error.category, 'operational');
    // The target still ran, on a session of its own, on the state before 001.
    assert.equal(report.outcome, 'succeeded', JSON.stringify(report.error));
    assert.deepEqual(await scratchDatabases(), []);
  });

  test('a later run drops stale scratch databases no session uses, keeps a young one, and never drops anything else', async () => {
    const stale = `${SCRATCH_PREFIX}${Math.floor(Date.now() / 1000 - 3600).toString(36)}_deadbeef01`;
    const young = `${SCRATCH_PREFIX}${Math.floor(Date.now() / 1000).toString(36)}_deadbeef02`;
    const other = await server.createDatabase();
    await sql(server.url(), `CREATE DATABASE ${stale}`);
    await sql(server.url(), `CREATE DATABASE ${young}`);
    const root = writeFolder(FOLDER);
    const host = new ScratchDatabaseShadow({ server: { connectionString: server.url('postgres') } });
    const report = await runShadowDryRun([target(root, 'migrations/003_target.sql')], { host, displayPath: relativeTo(root) });
    assert.equal(report.outcome, 'succeeded');
    assert.deepEqual(host.lastStaleDropped, [stale]);
    assert.deepEqual(await scratchDatabases(), [young]);
    const names = (await sql<{ datname: string }>(server.url(), 'SELECT datname FROM pg_database')).map((r) => r.datname);
    assert.ok(names.includes(other), 'a database that is not a scratch one was dropped');
    await sql(server.url(), `DROP DATABASE ${young}`);
  });
});
