// An idle_in_transaction_session_timeout (in the URL, on the role or the database) must not end a
// run's session while Drydock itself is busy between two statements (judging the rules, measuring
// locks): the pauses are Drydock's, not the migration's, and psql -1 would never hit them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pgBackend } from '../../../src/core/db/pg/pgBackend';
import { runMigrations, type MigrationFile } from '../../../src/core/run/runner';
import { describeEachServer, seededDatabase, sql } from '../../support/database';

// Statements on an existing table, each measured between statements, so the run's transaction sits
// idle many times while Drydock asks the catalog and judges the files.
const MIGRATION: MigrationFile = {
  path: 'migrations/001_busy_between_statements.sql',
  text: [
    'CREATE INDEX idx_lessons_title ON lessons (title);',
    'ALTER TABLE lessons ADD COLUMN note text;',
    'CREATE INDEX idx_lessons_note ON lessons (note);',
    'DO $$ BEGIN PERFORM 1; END $$;',
    "UPDATE lessons SET note = 'x';",
    'ALTER TABLE lessons ADD COLUMN rank bigint;',
    'CREATE INDEX idx_lessons_rank ON lessons (rank);',
    '',
  ].join('\n'),
};

describeEachServer('idle_in_transaction_session_timeout', (server) => {
  test('set to 1 ms in the URL (as a parameter and through options=-c): the dry-run and the apply run to the end', async () => {
    for (const query of ['idle_in_transaction_session_timeout=1', 'options=-c%20idle_in_transaction_session_timeout%3D1']) {
      const url = server().url(await seededDatabase(server()));
      const backend = pgBackend({ connectionString: `${url}?${query}` });
      const dryRun = await runMigrations([MIGRATION], { mode: 'dry-run', backend });
      assert.equal(dryRun.outcome, 'succeeded', `${query}: ${JSON.stringify(dryRun.error)}`);
      const apply = await runMigrations([MIGRATION], { mode: 'apply', backend });
      assert.equal(apply.outcome, 'succeeded', `${query}: ${JSON.stringify(apply.error)}`);
      assert.equal(apply.committed, true);
      assert.deepEqual(await sql(url, "SELECT count(*)::int AS n FROM pg_indexes WHERE indexname LIKE 'idx_lessons_%'"), [{ n: 3 }]);
    }
  });

  test('set on the role and on the database: the run still runs to the end; other sessions keep the setting', async () => {
    const database = await seededDatabase(server());
    await sql(server().url(), `ALTER DATABASE ${database} SET idle_in_transaction_session_timeout = 1`);
    await sql(server().url(), `CREATE ROLE idle_killer LOGIN SUPERUSER PASSWORD 'idle-killer-pw'`);
    await sql(server().url(), 'ALTER ROLE idle_killer SET idle_in_transaction_session_timeout = 1');
    try {
      const url = `postgres://idle_killer:idle-killer-pw@127.0.0.1:${server().port}/${database}`;
      const report = await runMigrations([MIGRATION], { mode: 'dry-run', backend: pgBackend({ connectionString: url }) });
      assert.equal(report.outcome, 'succeeded', JSON.stringify(report.error));
      assert.deepEqual(await sql(url, "SELECT current_setting('idle_in_transaction_session_timeout') AS value"), [{ value: '1ms' }], 'only Drydock\'s own sessions turn it off');
    } finally {
      await sql(server().url(), `ALTER DATABASE ${database} RESET idle_in_transaction_session_timeout`);
      await sql(server().url(), 'DROP ROLE idle_killer');
    }
  });
});
