// The editor keeps one PGlite shadow alive between runs, and PGlite has one backend that every
// session shares: a run must start as if on a new connection, whatever the run before it left in
// that backend (prepared statements, temporary tables, session settings and role, advisory locks,
// LISTEN, WITH HOLD cursors) or in its sequences (nextval() is not rolled back).
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { PgliteShadow } from '../../../src/core/shadow/pgliteShadow';
import { runShadowDryRun } from '../../../src/core/shadow/shadowRun';
import { relativeTo, target, writeFolder } from './folders';

const shadow = new PgliteShadow({ cacheDir: null });
after(() => shadow.close());

const HISTORY = `CREATE SEQUENCE ticket;
CREATE ROLE shadow_app;
SET work_mem = '7MB';
SET search_path = public, pg_catalog;
CREATE TEMP TABLE scratch_rows (id int);
PREPARE history_plan AS SELECT 1;
LISTEN history_channel;
DECLARE history_cursor CURSOR WITH HOLD FOR SELECT 1;
SELECT pg_advisory_lock(42);
SET ROLE shadow_app;
`;

// Fails at the first kind of state a run finds that it did not make itself.
const TARGET = `DO $$ BEGIN
  IF EXISTS (SELECT FROM pg_settings WHERE name IN ('work_mem', 'search_path') AND source = 'session') THEN RAISE EXCEPTION 'a session setting leaked'; END IF;
  IF current_user <> session_user THEN RAISE EXCEPTION 'a role leaked'; END IF;
  IF to_regclass('pg_temp.scratch_rows') IS NOT NULL THEN RAISE EXCEPTION 'a temporary table leaked'; END IF;
  IF EXISTS (SELECT FROM pg_prepared_statements) THEN RAISE EXCEPTION 'a prepared statement leaked'; END IF;
  IF EXISTS (SELECT FROM pg_listening_channels()) THEN RAISE EXCEPTION 'LISTEN leaked'; END IF;
  IF EXISTS (SELECT FROM pg_cursors WHERE is_holdable) THEN RAISE EXCEPTION 'a WITH HOLD cursor leaked'; END IF;
  IF EXISTS (SELECT FROM pg_locks WHERE locktype = 'advisory') THEN RAISE EXCEPTION 'an advisory lock leaked'; END IF;
  IF nextval('ticket') <> 1 THEN RAISE EXCEPTION 'a sequence moved in an earlier run'; END IF;
END $$;
PREPARE target_plan AS SELECT 1;
SELECT pg_advisory_lock(7);
CREATE TEMP TABLE target_rows (id int);
`;

test('two runs on one kept-alive PGlite shadow: neither the replay nor the earlier run leaves session state or moved sequences behind', async () => {
  const root = writeFolder({ 'migrations/001_session.sql': HISTORY, 'migrations/002_target.sql': TARGET });
  for (const run of ['first', 'second', 'third']) {
    const report = await runShadowDryRun([target(root, 'migrations/002_target.sql')], { host: shadow, displayPath: relativeTo(root) });
    assert.equal(report.outcome, 'succeeded', `${run} run: ${JSON.stringify(report.error)}`);
    assert.deepEqual(report.statements.map((s) => s.status), ['ok', 'ok', 'ok', 'ok'], `${run} run`);
    assert.equal(report.shadow?.replayed, run === 'first' ? 1 : 0, `${run} run: the kept-alive instance is reused`);
  }
});
