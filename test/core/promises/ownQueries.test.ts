// Drydock's own queries in the run's transaction (probes, verification) work whatever settings the
// migration leaves, and give those settings back untouched: the migration's later statements see
// exactly what they see under psql.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { pgBackend } from '../../../src/core/db/pg/pgBackend';
import type { RunReport } from '../../../src/core/model/report';
import { OwnQuerySession } from '../../../src/core/run/ownQueries';
import { psqlFiles } from '../../support/psql';
import { scratchMigrations } from '../../support/scratchMigrations';
import { startPostgres, type ThrowawayPostgres } from '../../support/throwawayPostgres';
import { attackedServers, exec, runAt } from './support';

const writeFiles = scratchMigrations('own-queries');

/** The notices the statements raised, in order. */
function notices(report: RunReport): string[] {
  return report.statements.flatMap((s) => s.notices.map((n) => n.message));
}

// A notice that shows what the statements after Drydock's queries see.
const SHOW_SETTINGS = "DO $$ BEGIN RAISE NOTICE 'seen: % | % | % | %', current_setting('search_path'), current_setting('statement_timeout'), current_setting('quote_all_identifiers'), to_regclass('tt') IS NOT NULL; END $$;";

const ATTACKS: { name: string; text: string }[] = [
  {
    name: 'a search path that puts a schema with its own to_regclass() before pg_catalog',
    text: 'CREATE SCHEMA evil;\nCREATE FUNCTION evil.to_regclass(text) RETURNS regclass LANGUAGE sql AS $$ SELECT NULL::regclass $$;\n'
      + 'SET search_path = evil, pg_catalog, public;\nCREATE TABLE tt (x int);\nCREATE INDEX tt_x ON tt (x);\nALTER TABLE tt ADD CONSTRAINT tt_pos CHECK (x > 0);',
  },
  {
    name: 'a function that changes the search path through dynamic SQL, called from a SELECT',
    text: 'CREATE SCHEMA evil;\nCREATE FUNCTION evil.to_regclass(text) RETURNS regclass LANGUAGE sql AS $$ SELECT NULL::regclass $$;\n'
      + "CREATE FUNCTION flip() RETURNS void LANGUAGE plpgsql AS $$ BEGIN EXECUTE 'SELECT pg_catalog.set_' || 'config(''search_path'', ''evil, pg_catalog, public'', false)'; END $$;\n"
      + 'SELECT flip();\nCREATE TABLE tt (x int);\nCREATE INDEX tt_x ON tt (x);',
  },
  {
    name: 'DEALLOCATE ALL between statements Drydock measures',
    text: 'CREATE TABLE tt (x int);\nCREATE INDEX tt_x ON tt (x);\nDEALLOCATE ALL;\nCREATE INDEX tt_y ON tt (x);\nALTER TABLE tt ADD CONSTRAINT tt_pos CHECK (x > 0);',
  },
  {
    name: 'pg_dump\'s empty search path and quote_all_identifiers',
    text: "SELECT pg_catalog.set_config('search_path', '', false);\nSET quote_all_identifiers = on;\nCREATE TABLE public.tt (x int);\nCREATE INDEX tt_x ON public.tt (x);",
  },
];

for (const binaries of attackedServers()) {
  describe(`Drydock's own queries under the migration's settings (PostgreSQL ${binaries.major})`, () => {
    let server: ThrowawayPostgres;
    before(async () => { server = await startPostgres(binaries); });
    after(async () => { await server.stop(); });

    test('settings the migration leaves do not make Drydock\'s own queries fail or read the migration\'s functions', async () => {
      for (const attack of ATTACKS) {
        const url = server.url(await server.createDatabase());
        const report = await runAt(url, [{ path: 'm.sql', text: attack.text }], 'dry-run');
        assert.equal(report.outcome, 'succeeded', `${attack.name}: ${JSON.stringify(report.error)}`);
        assert.ok(report.verification.length > 0 && report.verification.every((c) => c.status === 'ok'), `${attack.name}: ${JSON.stringify(report.verification)}`);
      }
    });

    test('an own query runs without the statement timeout the migration set, which is given back after it', async () => {
      // A query of Drydock's that takes 300 ms, after the migration set 100 ms: it must not be cut
      // (the guard itself is one trivial statement, far below the migration's timeout).
      const url = server.url(await server.createDatabase());
      const session = await pgBackend({ connectionString: url }).openSession();
      try {
        await session.query('BEGIN');
        await session.query("SET statement_timeout = '100ms'");
        const own = new OwnQuerySession(session, () => true);
        await own.query('SELECT pg_sleep(0.3)');
        assert.equal((await session.query("SELECT current_setting('statement_timeout') AS t")).rows[0]!.t, '100ms');
        await assert.rejects(session.query('SELECT pg_sleep(0.3)'), (err: { code?: string }) => err.code === '57014');
      } finally {
        await session.close();
      }
    });

    test('after Drydock\'s own queries the migration\'s statements see the settings it set, as under psql', async () => {
      const text = 'CREATE SCHEMA evil;\nSET search_path = evil, pg_catalog, public;\nCREATE TABLE public.tt (x int);\n'
        + "SET LOCAL statement_timeout = '7s';\nSET quote_all_identifiers = on;\nCREATE INDEX tt_x ON public.tt (x);\n"
        + `${SHOW_SETTINGS}\nALTER TABLE public.tt ADD COLUMN y int;\nRESET statement_timeout;\n${SHOW_SETTINGS}`;
      const url = server.url(await server.createDatabase());
      const report = await runAt(url, [{ path: 'm.sql', text }], 'dry-run');
      assert.equal(report.outcome, 'succeeded', JSON.stringify(report.error));
      const reference = server.url(await server.createDatabase());
      const [file] = writeFiles({ 'm.sql': text });
      const psql = await psqlFiles(reference, [file!.path], { singleTransaction: true });
      assert.equal(psql.code, 0, psql.stderr);
      const psqlNotices = [...psql.stderr.matchAll(/NOTICE:\s+(seen: .*)/g)].map((m) => m[1]!);
      assert.equal(psqlNotices.length, 2);
      // Drydock's run sets its own statement_timeout for the run (SET LOCAL); psql's is the server's: compare the rest.
      const withoutTimeout = (line: string) => line.replace(/\| [^|]+ \|/, '| … |');
      assert.deepEqual(notices(report).map(withoutTimeout), psqlNotices.map(withoutTimeout));
      assert.match(notices(report)[0]!, /^seen: evil, pg_catalog, public \| 7s \| on \| t$/);
      await exec(url, 'SELECT 1');
    });
  });
}
