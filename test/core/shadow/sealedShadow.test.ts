// The scratch shadow (--shadow-db) touches nothing but itself. Every statement class that acts
// beyond the scratch database — roles, memberships, role and database settings, other databases,
// tablespaces, ALTER SYSTEM, subscriptions, replication slots and origins, parameter privileges,
// prepared transactions, server programs — is refused before anything is sent, written plainly,
// in a DO block and in a DO block's EXECUTE; what only runs at run time is caught before its
// commit and rolled back; what a replay may do (create roles, set the project's database) still
// works and leaves nothing behind. The cluster's fingerprint is the same before and after every
// run: succeeded, failed, refused, cancelled with Ctrl-C, and killed (then cleaned by the next run),
// on PostgreSQL 13, 15 and 17 (DRYDOCK_LOCK_PG picks others).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { before, test } from 'node:test';
import { WATCHED_CATALOGS } from '../../../src/core/shadow/clusterState';
import { ScratchDatabaseShadow } from '../../../src/core/shadow/scratchDatabase';
import { runShadowDryRun } from '../../../src/core/shadow/shadowRun';
import { startCli } from '../../support/cli';
import { describeEachServer, sql } from '../../support/database';
import { clusterFingerprint, fingerprintDiff } from '../../support/fingerprint';
import { relativeTo, target, writeFolder } from './folders';
import { quiet, scratchDatabases, SEALED_MAJORS, sealedRun as sealedRunOn, until } from './sealedRuns';

/** A statement that reaches beyond the scratch database, and whether it must run outside a transaction. */
interface Reach {
  sql: string;
  noTransaction?: boolean;
}

/** Every class, as a migration would write it (`dev` and `victim` exist on the server; the project's database is `postgres`). */
const REFUSED: Record<string, Reach[]> = {
  'roles that exist': [
    { sql: "ALTER ROLE dev SET work_mem = '1MB'" }, { sql: 'ALTER ROLE dev WITH CREATEDB' }, { sql: "ALTER USER dev WITH PASSWORD 'hunter2'" },
    { sql: 'ALTER ROLE dev RENAME TO dev2' }, { sql: 'DROP ROLE dev' }, { sql: 'DROP USER IF EXISTS dev' }, { sql: "ALTER ROLE ALL SET work_mem = '1MB'" },
    { sql: "ALTER ROLE CURRENT_USER SET work_mem = '1MB'" }, { sql: "COMMENT ON ROLE dev IS 'x'" }, { sql: "SECURITY LABEL FOR dummy ON ROLE dev IS 'x'" },
  ],
  'memberships between roles that exist': [{ sql: 'GRANT dev TO drydock_test' }, { sql: 'REVOKE pg_monitor FROM dev' }, { sql: 'ALTER GROUP dev ADD USER drydock_test' }],
  'what roles own everywhere': [{ sql: 'REASSIGN OWNED BY dev TO drydock_test' }, { sql: 'DROP OWNED BY dev' }],
  'other databases and the project database beyond its settings': [
    { sql: "ALTER DATABASE victim SET work_mem = '1MB'" }, { sql: "ALTER ROLE dev IN DATABASE victim SET work_mem = '1MB'" },
    { sql: 'ALTER DATABASE victim OWNER TO dev' }, { sql: 'ALTER DATABASE victim RENAME TO victim2' },
    { sql: 'ALTER DATABASE victim WITH CONNECTION LIMIT 3' }, { sql: 'ALTER DATABASE postgres OWNER TO dev' },
    { sql: 'ALTER DATABASE postgres WITH ALLOW_CONNECTIONS false' }, { sql: 'CREATE DATABASE made_by_a_migration', noTransaction: true },
    { sql: 'DROP DATABASE IF EXISTS victim', noTransaction: true }, { sql: 'GRANT CONNECT ON DATABASE victim TO dev' },
    { sql: "COMMENT ON DATABASE victim IS 'x'" }, { sql: "COMMENT ON DATABASE postgres IS 'x'" },
  ],
  tablespaces: [
    { sql: "CREATE TABLESPACE made_by_a_migration LOCATION '/srv/tablespaces/made_by_a_migration'", noTransaction: true }, { sql: 'ALTER TABLESPACE pg_default SET (seq_page_cost = 2)' },
    { sql: 'GRANT CREATE ON TABLESPACE pg_default TO dev' }, { sql: "COMMENT ON TABLESPACE pg_default IS 'x'" },
  ],
  'the server': [
    { sql: "ALTER SYSTEM SET work_mem = '2MB'", noTransaction: true }, { sql: 'GRANT SET ON PARAMETER work_mem TO dev' },
    { sql: "CREATE SUBSCRIPTION s CONNECTION 'dbname=postgres' PUBLICATION p WITH (connect = false)", noTransaction: true },
    { sql: "PREPARE TRANSACTION 'held'" }, { sql: "COPY (SELECT 1) TO PROGRAM 'true'" }, { sql: "SELECT pg_stat_reset_shared('bgwriter')" },
  ],
  'replication slots and origins': [
    { sql: "SELECT pg_create_physical_replication_slot('made_by_a_migration')" }, { sql: "SELECT pg_drop_replication_slot('any')" },
    { sql: "SELECT pg_catalog.pg_create_logical_replication_slot('made_by_a_migration', 'pgoutput')" }, { sql: "SELECT pg_replication_origin_create('made_by_a_migration')" },
  ],
};

/** The three ways a migration writes a statement: plainly, in a DO block, in a DO block's EXECUTE; and the line it is on. */
function forms(reach: Reach): { name: string; text: string; line: number }[] {
  const head = reach.noTransaction ? '-- drydock:no-transaction\n' : '-- reaches out\n';
  const plpgsql = reach.sql.replace(/^SELECT /, 'PERFORM ');
  const literal = `'${reach.sql.replace(/'/g, "''")}'`;
  return [
    { name: 'plainly', text: `${head}SELECT 1;\n${reach.sql};\n`, line: 3 },
    { name: 'in a DO block', text: `${head}DO $$\nBEGIN\n  ${plpgsql};\nEND $$;\n`, line: 4 },
    // A literal with doubled quotes is not the statement's own text: it is placed at its DO block.
    { name: 'in a DO block\'s EXECUTE', text: `${head}DO $$\nBEGIN\n  EXECUTE ${literal};\nEND $$;\n`, line: reach.sql.includes("'") ? 2 : 4 },
  ];
}

const FIRST = 'CREATE TABLE accounts (id int PRIMARY KEY);\n';
const TARGET = 'ALTER TABLE accounts ADD COLUMN name text;\n';

describeEachServer('a sealed scratch shadow', (server) => {
  const url = () => server().url('postgres');
  const host = () => new ScratchDatabaseShadow({ server: { connectionString: url() } });

  before(async () => {
    await sql(url(), 'CREATE ROLE dev');
    await sql(url(), 'CREATE DATABASE victim');
  });

  /** Runs the folder's last migration on a scratch shadow; the cluster must be as it was. */
  const sealedRun = (files: Record<string, string>, onHost?: (h: ScratchDatabaseShadow) => void, shadowDb = url()) => sealedRunOn(url(), files, onHost, shadowDb);

  for (const [kind, reaches] of Object.entries(REFUSED)) {
    test(`${kind}: refused before anything is sent, at the statement's line, plainly and in DO blocks, and the cluster is unchanged`, async () => {
      for (const reach of reaches) {
        for (const form of forms(reach)) {
          const report = await sealedRun({ 'migrations/001_first.sql': FIRST, 'migrations/002_reach.sql': form.text, 'migrations/003_target.sql': TARGET });
          const about = `${reach.sql} ${form.name}: ${JSON.stringify(report.error)}`;
          assert.equal(report.outcome, 'refused', about);
          assert.equal(report.error?.sqlstate, 'DRY06', about);
          assert.equal(report.error?.file, 'migrations/002_reach.sql', about);
          assert.equal(report.error?.position?.line, form.line, about);
          assert.match(report.error?.message ?? '', /^earlier migration migrations\/002_reach\.sql:\d+ refused before anything was sent: .*reaches beyond the scratch database/, about);
          assert.match(report.error?.hint ?? '', /PGlite shadow .* disposable server/, about);
          assert.equal(report.shadow?.replayed, 0, about);
          assert.ok(report.statements.every((s) => s.status === 'skipped'), about);
        }
      }
    });
  }

  test('every shared catalog of this server is watched (a new one in a later PostgreSQL must be added)', async () => {
    const shared = await sql<{ relname: string }>(url(), "SELECT relname FROM pg_class WHERE relisshared AND relkind = 'r' AND relname <> 'pg_shdepend' ORDER BY 1");
    assert.deepEqual(shared.map((r) => r.relname).filter((name) => !WATCHED_CATALOGS.includes(name)), []);
  });

  test('must not refuse: ordinary DDL, default privileges, grants to a role that exists, SET ROLE, roles the replay creates (recorded and dropped), the project database\'s settings (mapped onto the scratch database)', async () => {
    let dropped: string[] = [];
    const report = await sealedRun({
      'migrations/001_app.sql': `CREATE TABLE accounts (id int PRIMARY KEY, email text);
CREATE INDEX accounts_email ON accounts (email);
ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO dev;
GRANT SELECT ON accounts TO dev;
SET ROLE dev;
RESET ROLE;
CREATE SCHEMA reporting AUTHORIZATION dev;
ALTER DATABASE postgres SET work_mem = '3MB';
CREATE ROLE app_user LOGIN;
GRANT app_user TO dev;
GRANT pg_read_all_settings TO app_user;
ALTER ROLE app_user SET search_path = public;
COMMENT ON ROLE app_user IS 'the application';
GRANT CONNECT ON DATABASE postgres TO app_user;
ALTER ROLE dev IN DATABASE postgres SET statement_timeout = '5min';
GRANT SELECT ON accounts TO app_user;
DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'guarded_role') THEN CREATE ROLE guarded_role; END IF; END $$;
DO $$ BEGIN ALTER DATABASE postgres SET maintenance_work_mem = '70MB'; END $$;
DO $$ BEGIN EXECUTE format('CREATE ROLE %I', 'built_at_run_time'); END $$;
`,
      // Drops every prepared statement of the session, the seal's planned query too.
      'migrations/002_plans.sql': 'DEALLOCATE ALL;\nCREATE TABLE plans (id int);\n',
      'migrations/003_outside.sql': '-- drydock:no-transaction\nCREATE ROLE outside_role;\nCREATE INDEX CONCURRENTLY accounts_id ON accounts (id);\n',
      'migrations/004_target.sql': `DO $$ BEGIN
  IF current_setting('work_mem') <> '3MB' OR current_setting('maintenance_work_mem') <> '70MB' THEN
    RAISE EXCEPTION 'the project database''s settings did not reach the scratch database';
  END IF;
END $$;
GRANT SELECT ON accounts TO outside_role;
ALTER ROLE dev SET work_mem = '9MB';
SET ROLE dev;
`,
    }, (h) => { dropped = h.lastRolesDropped; });
    assert.equal(report.outcome, 'succeeded', JSON.stringify(report.error));
    assert.deepEqual(report.statements.map((s) => s.status), ['ok', 'ok', 'ok', 'ok']);
    assert.deepEqual([...dropped].sort(), ['app_user', 'built_at_run_time', 'guarded_role', 'outside_role']);
  });

  test('SQL built at run time that changes the server is caught before its commit and rolled back, in a Drydock transaction and in the file\'s own', async () => {
    const dynamic = "DO $$ BEGIN EXECUTE format('ALTER ROLE %I SET work_mem = %L', 'dev', '5MB'); END $$;\n";
    const own = await sealedRun({ 'migrations/001_first.sql': FIRST, 'migrations/002_dynamic.sql': `CREATE ROLE kept_role;\n${dynamic}`, 'migrations/003_target.sql': TARGET });
    assert.equal(own.outcome, 'refused', JSON.stringify(own.error));
    assert.equal(own.error?.sqlstate, 'DRY06');
    assert.match(own.error?.message ?? '', /^earlier migration migrations\/002_dynamic\.sql refused: it changed the server outside the scratch database \(settings of role dev in every database created\).*; rolled back$/);
    const script = await sealedRun({
      'migrations/sqitch.plan': '%project=app\nfirst 2024-01-01T00:00:00Z A <a@example.com> # first\ndynamic 2024-01-02T00:00:00Z A <a@example.com> # dynamic\ntarget 2024-01-03T00:00:00Z A <a@example.com> # target\n',
      'migrations/deploy/first.sql': `BEGIN;\n${FIRST}COMMIT;\n`,
      'migrations/deploy/dynamic.sql': `BEGIN;\n${dynamic}COMMIT;\n`,
      'migrations/deploy/target.sql': TARGET,
    });
    assert.equal(script.outcome, 'refused', JSON.stringify(script.error));
    assert.match(script.error?.message ?? '', /^earlier migration migrations\/deploy\/dynamic\.sql refused: .*rolled back$/);
  });

  test('a --shadow-db role that is no superuser (CREATEDB, CREATEROLE) gets the same seal: its roles recorded and dropped, SQL built at run time caught', async () => {
    await sql(url(), "CREATE ROLE shadow_owner LOGIN PASSWORD 'pw-shadow-owner' CREATEDB CREATEROLE");
    await sql(url(), 'CREATE DATABASE owned_elsewhere OWNER shadow_owner');
    const asOwner = `postgres://shadow_owner:pw-shadow-owner@127.0.0.1:${server().port}/postgres`;
    let dropped: string[] = [];
    const created = await sealedRun({
      'migrations/001_role.sql': "CREATE ROLE app_reader;\nGRANT app_reader TO dev;\nALTER ROLE app_reader SET work_mem = '2MB';\nALTER DATABASE postgres SET work_mem = '3MB';\n",
      'migrations/002_target.sql': 'SELECT 1;\n',
    }, (h) => { dropped = h.lastRolesDropped; }, asOwner);
    assert.equal(created.outcome, 'succeeded', JSON.stringify(created.error));
    assert.deepEqual(dropped, ['app_reader']);
    const dynamic = await sealedRun({
      'migrations/001_dynamic.sql': "DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET work_mem = %L', 'owned_elsewhere', '5MB'); END $$;\n",
      'migrations/002_target.sql': 'SELECT 1;\n',
    }, undefined, asOwner);
    assert.equal(dynamic.outcome, 'refused', JSON.stringify(dynamic.error));
    assert.match(dynamic.error?.message ?? '', /settings of every role in database owned_elsewhere created.*; rolled back$/);
  });

  test('a run that fails after an earlier migration created a role drops the role with the scratch database', async () => {
    const report = await sealedRun({
      'migrations/001_role.sql': 'CREATE ROLE role_of_a_failed_run;\nCREATE TABLE accounts (id int);\n',
      'migrations/002_broken.sql': 'ALTER TABLE acounts ADD COLUMN name text;\n',
      'migrations/003_target.sql': TARGET,
    });
    // The earlier migration's failure is the history's; the target still ran on the state before it.
    assert.equal(report.historyFailure?.file, 'migrations/002_broken.sql');
    assert.equal(report.historyFailure?.error.sqlstate, '42P01');
    assert.equal(report.historyFailure?.filesRan, true);
  });

  test('a target is refused only for what its rollback does not undo', async () => {
    const report = await sealedRun({ 'migrations/001_first.sql': FIRST, 'migrations/002_target.sql': "-- a target\nSELECT pg_create_physical_replication_slot('made_by_a_target');\n" });
    assert.equal(report.outcome, 'refused');
    assert.equal(report.error?.file, 'migrations/002_target.sql');
    assert.equal(report.error?.position?.line, 2);
    assert.match(report.error?.message ?? '', /^migrations\/002_target\.sql:2 refused before anything was sent: pg_create_physical_replication_slot\(\)/);
  });

  /** A history whose second migration sleeps on the server after both earlier migrations created a role (one commits each statement by itself). */
  const SLEEPING = {
    'migrations/001_role.sql': 'CREATE ROLE role_in_a_transaction;\nCREATE TABLE accounts (id int);\n',
    'migrations/002_sleep.sql': '-- drydock:no-transaction\nCREATE ROLE role_outside_a_transaction;\nSELECT pg_sleep(600);\n',
    'migrations/003_target.sql': TARGET,
  };
  const sleeping = async (url: string) => (await sql(url, "SELECT 1 FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(600)%' AND state = 'active'")).length > 0;

  test('Ctrl-C during the replay cancels the running statement, and the scratch database and its roles are dropped', { timeout: 300_000 }, async () => {
    const root = writeFolder(SLEEPING);
    await quiet(url());
    const fingerprint = await clusterFingerprint(url());
    const cli = startCli(['dry-run', '--no-color', '--shadow-db', url(), 'migrations/003_target.sql'], { cwd: root });
    await until(() => sleeping(url()), 'the replay sleeps on the server');
    cli.child.kill('SIGINT');
    const result = await cli.result;
    assert.equal(result.code, 1, result.stdout + result.stderr);
    assert.match(result.stdout, /shadow: 2 earlier plain migration\(s\) applied first \(1 replayed/);
    assert.match(result.stdout, /^cancelled: /m);
    assert.equal(await sleeping(url()), false);
    await quiet(url());
    assert.equal(fingerprintDiff(fingerprint, await clusterFingerprint(url())), 'identical');
    fs.rmSync(root, { recursive: true, force: true });
  });

  test('a CLI killed mid-replay leaves its scratch database and roles to the next run, which drops them', { timeout: 300_000 }, async () => {
    const root = writeFolder(SLEEPING);
    await quiet(url());
    const fingerprint = await clusterFingerprint(url());
    const cli = startCli(['dry-run', '--no-color', '--shadow-db', url(), 'migrations/003_target.sql'], { cwd: root });
    await until(() => sleeping(url()), 'the replay sleeps on the server');
    cli.child.kill('SIGKILL');
    await cli.result;
    // The killed run's session on the configured database ends with its process; its statement on the scratch database runs on.
    await until(async () => (await sql(url(), "SELECT 1 FROM pg_stat_activity WHERE application_name = 'drydock shadow' AND datname = 'postgres'")).length === 0, 'the killed run\'s session ended');
    assert.equal((await scratchDatabases(url())).length, 1);
    const next = host();
    const report = await runShadowDryRun([target(root, 'migrations/001_role.sql')], { host: next, displayPath: relativeTo(root) });
    assert.equal(report.outcome, 'succeeded', JSON.stringify(report.error));
    assert.equal(next.lastStaleDropped.length, 1);
    assert.deepEqual([...next.lastStaleRolesDropped].sort(), ['role_in_a_transaction', 'role_outside_a_transaction']);
    assert.deepEqual(await scratchDatabases(url()), []);
    await quiet(url());
    assert.equal(fingerprintDiff(fingerprint, await clusterFingerprint(url())), 'identical');
    fs.rmSync(root, { recursive: true, force: true });
  });
}, SEALED_MAJORS);
