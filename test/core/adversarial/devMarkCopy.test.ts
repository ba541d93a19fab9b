// A development-database mark is bound to where the connection points and to the server found
// there, not to the cluster's system identifier and the database's name alone: a physical copy of
// the cluster (same system identifier, same databases) started on another port must be refused,
// while the marked server itself, restarted, still passes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { connectionEndpoint, endpointKey } from '../../../src/core/db/connection';
import { isDevMark, sameEndpoint, sameServer, serverIdentity, type ServerIdentity } from '../../../src/core/db/identity';
import { pgBackend } from '../../../src/core/db/pg/pgBackend';
import { withSession } from '../../../src/core/db/withSession';
import { runMigrations, type MigrationFile } from '../../../src/core/run/runner';
import { sql } from '../../support/database';
import { everyMajorUnderTest, type ThrowawayPostgres, startPostgres } from '../../support/throwawayPostgres';

const MIGRATION: MigrationFile = { path: 'migrations/001_marker.sql', text: 'CREATE TABLE applied_here (id bigint);\n' };

const identityAt = (url: string): Promise<ServerIdentity> => withSession(pgBackend({ connectionString: url }), serverIdentity);
const tableExists = async (url: string) => (await sql<{ found: boolean }>(url, "SELECT to_regclass('applied_here') IS NOT NULL AS found"))[0]!.found;

// The oldest and the newest major: pg_control_system() and the port setting on both.
const majors = everyMajorUnderTest();
for (const binaries of [...new Set([majors[0]!, majors.at(-1)!])]) {
  test(`PostgreSQL ${binaries.major}: a physical copy of the marked cluster on another port is refused; the marked server, restarted, is not`, async (t) => {
    let original: ThrowawayPostgres | null = null;
    let copy: ThrowawayPostgres | null = null;
    t.after(async () => {
      await copy?.stop();
      await original?.stop();
    });
    original = await startPostgres(binaries);
    const database = await original.createDatabase();
    const marked = { endpoint: connectionEndpoint({ connectionString: original.url(database) }), server: await identityAt(original.url(database)) };
    copy = await original.physicalCopy();

    const copied = await identityAt(copy.url(database));
    assert.equal(copied.systemIdentifier, marked.server.systemIdentifier, 'a physical copy keeps the system identifier');
    assert.equal(copied.database, marked.server.database);
    assert.equal(sameServer(copied, marked.server), false, 'the copy serves on another port');
    assert.equal(sameEndpoint(connectionEndpoint({ connectionString: copy.url(database) }), marked.endpoint), false);

    const onCopy = await runMigrations([MIGRATION], { mode: 'apply', backend: pgBackend({ connectionString: copy.url(database) }), expectedServer: marked.server });
    assert.equal(onCopy.outcome, 'refused', JSON.stringify(onCopy.error));
    assert.equal(onCopy.error?.title, 'Not the expected server');
    assert.equal(onCopy.statements.length, 0, 'nothing was sent');
    assert.equal(await tableExists(copy.url(database)), false, 'the copy is untouched');

    // No false alarm: the marked server, restarted for the copy, is the same server.
    assert.equal(sameServer(await identityAt(original.url(database)), marked.server), true);
    const onOriginal = await runMigrations([MIGRATION], { mode: 'apply', backend: pgBackend({ connectionString: original.url(database) }), expectedServer: marked.server });
    assert.equal(onOriginal.outcome, 'succeeded', JSON.stringify(onOriginal.error));
    assert.equal(await tableExists(original.url(database)), true);
  });
}

test('endpoints: a stored password and a dev mark are bound to host (any case), port, database and user', () => {
  const at = (url: string) => connectionEndpoint({ connectionString: url });
  const marked = at('postgres://me@db.example:5432/app');
  assert.equal(sameEndpoint(at('postgres://me@DB.Example:5432/app'), marked), true);
  assert.equal(endpointKey(at('postgres://me@DB.Example:5432/app')), endpointKey(marked));
  for (const elsewhere of ['postgres://me@db.example:5433/app', 'postgres://me@evil.example:5432/app', 'postgres://me@db.example:5432/other', 'postgres://you@db.example:5432/app']) {
    assert.equal(sameEndpoint(at(elsewhere), marked), false, elsewhere);
    assert.notEqual(endpointKey(at(elsewhere)), endpointKey(marked), elsewhere);
  }
  assert.equal(endpointKey(connectionEndpoint({ host: 'db.example', port: 5432, database: 'app', user: 'me' })), endpointKey(marked), 'fields or a URL, the same endpoint');
  assert.equal(isDevMark({ systemIdentifier: '42', database: 'app' }), false, 'a mark from before endpoints were bound is no mark');
  assert.equal(isDevMark({ endpoint: marked, server: { systemIdentifier: '42', database: 'app', port: '5432' } }), true);
});
