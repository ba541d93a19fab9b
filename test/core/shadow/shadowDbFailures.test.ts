// A --shadow-db that cannot be used is a classified report with the exit code of a connection
// error, never a stack trace and never the password: no CREATEDB, a wrong password, a port nobody
// listens on, a host that does not resolve.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import { after, before, test } from 'node:test';
import { runCli } from '../../support/cli';
import { sql } from '../../support/database';
import { startPostgres, type ThrowawayPostgres } from '../../support/throwawayPostgres';
import { writeFolder } from './folders';

let server: ThrowawayPostgres;
let root: string;
before(async () => {
  server = await startPostgres();
  root = writeFolder({ 'migrations/001_accounts.sql': 'CREATE TABLE accounts (id int);\n', 'migrations/002_target.sql': 'ALTER TABLE accounts ADD COLUMN name text;\n' });
});
after(async () => {
  await server.stop();
  fs.rmSync(root, { recursive: true, force: true });
});

/** A port nothing listens on (taken from the OS, then released). */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** Runs a shadow dry-run against `url` as text and as JSON; both must be classified reports without `secret`. */
async function expectClassified(url: string, secret: string, sqlstate: string, message: RegExp): Promise<void> {
  const text = await runCli(['dry-run', '--no-color', '--shadow-db', url, 'migrations/002_target.sql'], { cwd: root });
  assert.equal(text.code, 2, text.stdout + text.stderr);
  assert.match(text.stdout, new RegExp(`\\(SQLSTATE ${sqlstate}\\)`));
  assert.match(text.stdout, message);
  assert.doesNotMatch(text.stdout + text.stderr, /\n\s+at /, 'a stack trace was printed');
  const json = await runCli(['dry-run', '--format', 'json', '--shadow-db', url, 'migrations/002_target.sql'], { cwd: root });
  assert.equal(json.code, 2, json.stdout + json.stderr);
  const report = JSON.parse(json.stdout) as { outcome: string; error: { sqlstate: string; message: string } };
  assert.deepEqual([report.outcome, report.error.sqlstate], ['failed', sqlstate]);
  for (const output of [text.stdout, text.stderr, json.stdout, json.stderr]) assert.equal(output.includes(secret), false, 'the password was printed');
}

test('--shadow-db as a role without CREATEDB: a permission error naming CREATEDB, exit 2', async () => {
  await sql(server.url(), "CREATE ROLE no_createdb LOGIN PASSWORD 'pw-no-createdb-1'");
  const url = `postgres://no_createdb:pw-no-createdb-1@127.0.0.1:${server.port}/postgres`;
  await expectClassified(url, 'pw-no-createdb-1', '42501', /permission denied to create database[\s\S]*needs CREATEDB/);
});

test('--shadow-db with a wrong password: authentication failed, exit 2, the password nowhere', async () => {
  await expectClassified(`postgres://${server.user}:wrong-pw-2@127.0.0.1:${server.port}/postgres`, 'wrong-pw-2', '28P01', /password authentication failed/);
});

test('--shadow-db on a port nobody listens on, and on a host that does not resolve: could not connect, exit 2', async () => {
  await expectClassified(`postgres://u:pw-refused-3@127.0.0.1:${await closedPort()}/postgres`, 'pw-refused-3', '08001', /ECONNREFUSED/);
  await expectClassified('postgres://u:pw-unknown-4@no-such-host.invalid:5432/postgres', 'pw-unknown-4', '08001', /could not be prepared: .*no-such-host\.invalid/);
});
