// Production impact from a read-only reference connection: a role that can only read statistics,
// a session read-only from its first statement; the reference is left exactly as it was, and no
// lock is ever taken or waited for there. How close the estimate comes to the real time depends on
// the machine's speed: bench/impact.bench.ts measures it, no test asserts it.
import assert from 'node:assert/strict';
import { Client } from 'pg';
import { test } from 'node:test';
import { pgBackend } from '../../src/core/db/pg/pgBackend';
import { runMigrations } from '../../src/core/run/runner';
import { catalogSnapshot, describeEachServer, sql } from '../support/database';
import { defaultServer } from '../support/throwawayPostgres';

const TABLE = 'CREATE TABLE orders (id bigint PRIMARY KEY, amount int, note text);';
const fill = (rows: number) => `INSERT INTO orders SELECT g, g % 1000, 'order note ' || g FROM generate_series(1, ${rows}) g; ANALYZE orders;`;
const MIGRATION = 'ALTER TABLE orders ADD COLUMN token uuid DEFAULT gen_random_uuid();';

describeEachServer('impact on a reference database', (server) => {
  test('an estimate from a 10 k-row dev table scales to the 1 M-row reference; the reference is unchanged and never locked', async () => {
    const dev = server().url(await server().createDatabase());
    await sql(dev, TABLE + fill(10_000));
    const refName = await server().createDatabase();
    const ref = server().url(refName);
    await sql(ref, TABLE + fill(1_000_000));
    // A role that can read the statistics views and nothing else.
    await sql(ref, `DROP ROLE IF EXISTS drydock_reader; CREATE ROLE drydock_reader LOGIN PASSWORD 'reader-pw-1'; GRANT pg_read_all_stats TO drydock_reader;
      REVOKE ALL ON orders FROM PUBLIC;`);
    const readerUrl = `postgres://drydock_reader:reader-pw-1@127.0.0.1:${server().port}/${refName}`;
    const before = await catalogSnapshot(ref);

    // Someone holds a lock on the reference table all along: reading statistics must not wait for it.
    const holder = new Client({ connectionString: ref });
    await holder.connect();
    await holder.query('BEGIN');
    await holder.query('LOCK TABLE orders IN ACCESS EXCLUSIVE MODE');
    let report;
    try {
      report = await runMigrations([{ path: 'm.sql', text: MIGRATION }], {
        mode: 'dry-run', backend: pgBackend({ connectionString: dev }), reference: pgBackend({ connectionString: readerUrl, readOnly: true }),
      });
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
    }
    assert.equal(report.outcome, 'succeeded', JSON.stringify(report.error ?? report.diagnostics));
    const [impact] = report.statements[0]!.impact ?? [];
    assert.ok(impact, JSON.stringify(report.statements[0]));
    assert.match(impact.summary, /^rewrites orders \(1\.0 M rows, \d+ MB\) under ACCESS EXCLUSIVE: ~.+–.+, during which reads and writes of orders wait; it would queue behind 1 session/);
    assert.equal(impact.waitsBehind.length, 1);
    assert.equal(await catalogSnapshot(ref), before, 'the reference changed');

    assert.ok(impact.estimateMs.low > 0 && impact.estimateMs.low <= impact.estimateMs.high, JSON.stringify(impact.estimateMs));
  });

  test('the reference session cannot write, whatever its role may do', async () => {
    const url = server().url(await server().createDatabase());
    const session = await pgBackend({ connectionString: url, readOnly: true }).openSession();
    try {
      await assert.rejects(session.query('CREATE TABLE written (id int)'), (err: { code?: string }) => err.code === '25006');
    } finally {
      await session.close();
    }
    assert.deepEqual(await sql(url, "SELECT 1 FROM pg_class WHERE relname = 'written'"), []);
  });
}, [defaultServer()]);
