// The PGlite backend against a real PGlite instance: the Session port's promises (exactly one
// statement, notices, transaction state), the capabilities it lacks, and extensions.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { PGLITE_POSTGRES_MAJOR } from '../../../src/core/db/pglite/engineInfo';
import { pgliteBackend } from '../../../src/core/db/pglite/pgliteBackend';
import { PgliteInstance } from '../../../src/core/db/pglite/pgliteInstance';
import type { DatabaseBackend, Session } from '../../../src/core/db/backend';

let instance: PgliteInstance;
let backend: DatabaseBackend;
let session: Session;

before(async () => {
  instance = await PgliteInstance.boot({ dataDir: null, extensions: ['pgcrypto'] });
  backend = pgliteBackend(instance);
  session = await backend.openSession();
});
after(async () => {
  await session.close();
  await instance.close();
});

test('the server is PostgreSQL of the major the status bar names, and a second session is refused (PGlite is single-user)', async () => {
  assert.equal(Math.floor(session.serverInfo.versionNum / 10000), PGLITE_POSTGRES_MAJOR);
  assert.deepEqual(backend.capabilities, { cancel: false, concurrentSessions: false, timeouts: false });
  await assert.rejects(backend.openSession(), /single session/);
});

test('query runs exactly one statement: text holding a second one is refused and neither runs', async () => {
  await assert.rejects(session.query('CREATE TABLE one_a (id int); CREATE TABLE one_b (id int)'), (err: { code?: string }) => err.code === '42601');
  const rows = (await session.query("SELECT count(*)::int AS n FROM pg_class WHERE relname IN ('one_a', 'one_b')")).rows;
  assert.equal(rows[0]?.n, 0);
});

test('notices reach the listener until it is removed, and the transaction state follows BEGIN, a failure and ROLLBACK', async () => {
  const seen: string[] = [];
  const stop = session.onNotice((n) => seen.push(`${n.severity}: ${n.message}`));
  await session.query("DO $$ BEGIN RAISE NOTICE 'first'; END $$");
  stop();
  await session.query("DO $$ BEGIN RAISE NOTICE 'second'; END $$");
  assert.deepEqual(seen, ['NOTICE: first']);
  assert.equal(session.transactionState(), 'idle');
  await session.query('BEGIN');
  assert.equal(session.transactionState(), 'in-transaction');
  await assert.rejects(session.query('SELECT 1/0'), (err: { code?: string }) => err.code === '22012');
  assert.equal(session.transactionState(), 'failed');
  await session.query('ROLLBACK');
  assert.equal(session.transactionState(), 'idle');
});

test('a contrib extension PGlite ships loads on CREATE EXTENSION; one it does not ship gets a hint naming the way out', async () => {
  await session.query('CREATE EXTENSION IF NOT EXISTS pgcrypto');
  const digest = (await session.query("SELECT encode(digest('x', 'sha256'), 'hex') AS h")).rows[0]?.h;
  assert.equal(digest, '2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881');
  await assert.rejects(session.query('CREATE EXTENSION postgis'), (err: { code?: string; hint?: string }) =>
    err.code === '0A000' && /does not ship the extension "postgis"/.test(err.hint ?? '') && /--shadow-db/.test(err.hint ?? ''));
});

test('execScript sends several statements as one simple query, as migration tools do', async () => {
  await session.execScript('CREATE TABLE script_a (id int); CREATE TABLE script_b (id int);');
  const rows = (await session.query("SELECT count(*)::int AS n FROM pg_class WHERE relname IN ('script_a', 'script_b')")).rows;
  assert.equal(rows[0]?.n, 2);
});
