// The scratch shadow's guard looks before every commit it can, and cannot be blinded. Each attack
// is SQL built at run time (the parse cannot see it) that reaches beyond the scratch database:
// - after a COMMIT that ends the transaction a tool runs the migration in (plain, dbmate);
// - after replacing the prepared statements of the replay's session with a forged read;
// - in migrations whose statements commit by themselves (golang-migrate, Prisma, no-transaction
//   files, sqitch outside its BEGIN), in the tool's bookkeeping row's trigger;
// - in what runs at COMMIT (a deferred trigger, a cursor WITH HOLD);
// - replication slots, which no rollback undoes, made by the history and by a target.
// Each is refused and the cluster's fingerprint is the same before and after, on PostgreSQL 13, 15
// and 17; what must not be refused still runs. Where PostgreSQL runs a statement only outside a
// transaction block, a change it commits is reported as a changed server, never "rolled back".
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { pgBackend } from '../../../src/core/db/pg/pgBackend';
import type { Session } from '../../../src/core/db/backend';
import { readClusterState, stateOptions } from '../../../src/core/shadow/clusterState';
import { formatReport } from '../../../src/core/output/text';
import { describeEachServer, sql } from '../../support/database';
import { clusterFingerprint, fingerprintDiff } from '../../support/fingerprint';
import { quiet, SEALED_MAJORS, sealedRun, shadowRun } from './sealedRuns';

/** Changes role dev (which exists on the server) where the parse cannot see it. */
const alterDev = (limit: number) => `DO $$ BEGIN EXECUTE 'ALTER ' || 'ROLE dev CONNECTION LIMIT ${limit}'; END $$;`;
const FIRST = 'CREATE TABLE accounts (id bigint PRIMARY KEY);\n';
const TARGET = 'ALTER TABLE accounts ADD COLUMN name text;\n';

/** The shadow's read of the shared state, with role dev's connection limit always shown as it was. */
async function forgedStateQuery(url: string): Promise<string> {
  const session = await pgBackend({ connectionString: url }).openSession();
  try {
    let captured = '';
    const recorder = { query: async (text: string) => { captured = text; return { rows: [], rowCount: 0, fields: [], command: '' }; } } as unknown as Session;
    await readClusterState(recorder, await stateOptions(session));
    const forged = captured.replace('r.rolconnlimit,', "CASE WHEN r.rolname = 'dev' THEN -1 ELSE r.rolconnlimit END,");
    assert.notEqual(forged, captured);
    return forged;
  } finally {
    await session.close();
  }
}

/** The report's last line, as the terminal shows it. */
const lastLine = (report: Parameters<typeof formatReport>[0]) => formatReport(report, false).split('\n').pop()!;

describeEachServer('the scratch shadow\'s guard', (server) => {
  const url = () => server().url('postgres');
  const sealed = (files: Record<string, string>) => sealedRun(url(), files);

  before(async () => {
    await sql(url(), 'CREATE ROLE dev');
    await sql(url(), 'CREATE DATABASE victim');
  });

  /** A refusal of SQL built at run time, rolled back: nothing stays. */
  function assertRolledBack(report: Awaited<ReturnType<typeof sealed>>, file: string): void {
    const about = JSON.stringify(report.error);
    assert.equal(report.outcome, 'refused', about);
    assert.equal(report.error?.sqlstate, 'DRY06', about);
    assert.equal(report.error?.file, file, about);
    assert.match(report.error?.message ?? '', /refused: it changed the server outside the scratch database \(role dev changed.*; rolled back$/, about);
    assert.equal(report.shadow?.serverChanged, undefined, about);
    assert.match(lastLine(report), /^refused: rolled back, \d+ ms$/);
  }

  test('a migration its tool runs in a transaction that holds a COMMIT or a ROLLBACK is refused before anything of it is sent (plain, dbmate)', async () => {
    const plain = await sealed({ 'migrations/001_a.sql': `${FIRST}COMMIT;\n${alterDev(6)}\n`, 'migrations/002_target.sql': TARGET });
    assert.ok(plain.historyFailure, JSON.stringify(plain.error));
    assert.equal(plain.historyFailure?.error.sqlstate, '25000');
    assert.equal(plain.historyFailure?.error.position?.line, 2);
    assert.match(plain.historyFailure?.error.message ?? '', /^earlier migration migrations\/001_a\.sql:2 failed: COMMIT ends the transaction its tool runs the migration in .*sent none of the migration$/);
    assert.equal(plain.shadow?.replayed, 0);
    const dbmate = await sealed({
      'migrations/20240101000000_a.sql': `-- migrate:up\n${FIRST}ROLLBACK;\n${alterDev(6)}\n\n-- migrate:down\nDROP TABLE accounts;\n`,
      'migrations/20240102000000_target.sql': `-- migrate:up\n${TARGET}\n-- migrate:down\n`,
    });
    assert.equal(dbmate.shadow?.tool, 'dbmate');
    assert.ok(dbmate.historyFailure, JSON.stringify(dbmate.error));
    assert.equal(dbmate.historyFailure?.error.position?.line, 3);
    assert.match(dbmate.historyFailure?.error.message ?? '', /:3 failed: ROLLBACK ends the transaction/);
    // The same file sent as one query ends the tool's transaction with its own COMMIT too.
    const wrapped = await sealed({
      'migrations/20240101000000_a.sql': `-- migrate:up\nBEGIN;\n${FIRST}COMMIT;\n${alterDev(6)}\n`,
      'migrations/20240102000000_target.sql': `-- migrate:up\n${TARGET}`,
    });
    assert.ok(wrapped.historyFailure, JSON.stringify(wrapped.error));
    assert.equal(wrapped.historyFailure?.error.position?.line, 4);
  });

  test('must not refuse: a plain migration\'s own BEGIN … COMMIT around it, and savepoints in the tool\'s transaction', async () => {
    const report = await sealed({
      'migrations/001_a.sql': `BEGIN;\n${FIRST}COMMIT;\n`,
      'migrations/002_b.sql': 'CREATE TABLE notes (id int);\nSAVEPOINT before_seed;\nINSERT INTO notes VALUES (1);\nROLLBACK TO SAVEPOINT before_seed;\nRELEASE SAVEPOINT before_seed;\n',
      'migrations/003_target.sql': TARGET,
    });
    assert.equal(report.outcome, 'succeeded', JSON.stringify(report.error));
  });

  test('a session setting that makes the server split a file otherwise than Drydock reads it stops the replay before the file is sent', async () => {
    // With standard_conforming_strings off, 'x\'' ends where Drydock reads on: the COMMIT and the DO block would run.
    const hidden = "SELECT 'x\\'' ; COMMIT; DO $$ BEGIN EXECUTE 'ALTER ' || 'ROLE dev CONNECTION LIMIT 11'; END $$; --';";
    const dbmate = await sealed({
      'migrations/20240101000000_a.sql': `-- migrate:up\nSET standard_conforming_strings = off;\n${FIRST}`,
      'migrations/20240102000000_b.sql': `-- migrate:up\nCREATE TABLE b (id int);\n${hidden}\n`,
      'migrations/20240103000000_target.sql': `-- migrate:up\n${TARGET}`,
    });
    assert.ok(dbmate.historyFailure, JSON.stringify(dbmate.error));
    assert.equal(dbmate.historyFailure?.error.sqlstate, '0A000');
    assert.match(dbmate.historyFailure?.error.message ?? '', /^earlier migration migrations\/20240102000000_b\.sql:1 failed: an earlier statement set standard_conforming_strings off or client_encoding to other than UTF8 .* the shadow cannot check it$/);
    const golang = await sealed({
      'migrations/000001_a.up.sql': "CREATE TABLE a (id int);\nSELECT pg_catalog.set_config('client_encoding', 'SJIS', false);\n",
      'migrations/000002_b.up.sql': 'CREATE TABLE b (id int);\n',
      'migrations/000003_target.up.sql': 'SELECT 1;\n',
    });
    assert.ok(golang.historyFailure, JSON.stringify(golang.error));
    assert.match(golang.historyFailure?.error.message ?? '', /^earlier migration migrations\/000002_b\.up\.sql:1 failed: an earlier statement set/);
    // Within one file too: its tool splits it whole before any of it runs, but Drydock sends what
    // follows the file's own BEGIN as a query of its own, split after the SET ran. Read with the
    // setting on (as the tool reads it), the third line is one string; with it off, a COMMIT and a DO block.
    const inFile = await sealed({
      'migrations/000001_a.up.sql': "SET standard_conforming_strings = off;\nBEGIN;\nSELECT 'x\\'' ; COMMIT; DO $$ BEGIN EXECUTE $q$ALTER ROLE dev CONNECTION LIMIT 12$q$; END $$; --';\nCOMMIT;\n",
      'migrations/000002_target.up.sql': 'SELECT 1;\n',
    });
    assert.ok(inFile.historyFailure, JSON.stringify(inFile.error));
    assert.equal(inFile.historyFailure?.error.sqlstate, '0A000');
    assert.match(inFile.historyFailure?.error.message ?? '', /^earlier migration migrations\/000001_a\.up\.sql:3 failed: an earlier statement set standard_conforming_strings off/);
    // Must not stop: a setting for one transaction only.
    const local = await sealed({
      'migrations/20240101000000_a.sql': `-- migrate:up\nSET LOCAL standard_conforming_strings = off;\n${FIRST}`,
      'migrations/20240102000000_b.sql': "-- migrate:up\nCREATE TABLE b (note text DEFAULT 'a\\b');\n",
      'migrations/20240103000000_target.sql': `-- migrate:up\n${TARGET}`,
    });
    assert.equal(local.outcome, 'succeeded', JSON.stringify(local.error));
  });

  test('the guard\'s reads cannot be forged: a migration that prepares a forged read under any name its session holds, or the old one, is still refused', async () => {
    const forged = await forgedStateQuery(url());
    const byName = await sealed({
      'migrations/001_a.sql': FIRST,
      'migrations/002_b.sql': `CREATE TABLE b (id bigint);\nDEALLOCATE ALL;\nPREPARE drydock_cluster_state AS ${forged};\n${alterDev(8)}\n`,
      'migrations/003_target.sql': TARGET,
    });
    assertRolledBack(byName, 'migrations/002_b.sql');
    const everyName = await sealed({
      'migrations/001_a.sql': FIRST,
      'migrations/002_b.sql': `CREATE TABLE b (id bigint);
DO $do$
DECLARE prepared record;
BEGIN
  FOR prepared IN SELECT name FROM pg_prepared_statements LOOP
    EXECUTE format('DEALLOCATE %I', prepared.name);
    EXECUTE format('PREPARE %I AS ', prepared.name) || $forged$${forged}$forged$;
  END LOOP;
  EXECUTE 'ALTER ' || 'ROLE dev CONNECTION LIMIT 8';
END $do$;
`,
      'migrations/003_target.sql': TARGET,
    });
    assertRolledBack(everyName, 'migrations/002_b.sql');
  });

  test('SQL built at run time where the statements commit by themselves is looked at before they commit, and rolled back (golang-migrate, Prisma, no-transaction, sqitch)', async () => {
    const golang = await sealed({
      'migrations/000001_init.up.sql': `CREATE TABLE a (id bigint);\nDO $$ BEGIN EXECUTE 'ALTER ' || 'ROLE dev CONNECTION LIMIT 3'; EXECUTE 'ALTER DATABASE ' || 'postgres SET work_mem = ''7MB'''; END $$;\n`,
      'migrations/000001_init.down.sql': 'DROP TABLE a;\n',
      'migrations/000002_next.up.sql': 'CREATE TABLE b (id bigint);\n',
    });
    assert.equal(golang.shadow?.tool, 'golang-migrate');
    assertRolledBack(golang, 'migrations/000001_init.up.sql');
    const single = await sealed({ 'migrations/000001_init.up.sql': `${alterDev(3)}\n`, 'migrations/000002_next.up.sql': 'SELECT 1;\n' });
    assertRolledBack(single, 'migrations/000001_init.up.sql');
    // Prisma's own BEGIN … COMMIT around an enum change, SQL built at run time inside it and after it.
    const enumChange = (attack: string, after: string) => ({
      'migrations/migration_lock.toml': 'provider = "postgresql"\n',
      'migrations/20240101000000_init/migration.sql': `CREATE TYPE "Mood" AS ENUM ('happy');
CREATE TABLE "Person" ("mood" "Mood");
BEGIN;
CREATE TYPE "Mood_new" AS ENUM ('happy', 'sad');
ALTER TABLE "Person" ALTER COLUMN "mood" TYPE "Mood_new" USING ("mood"::text::"Mood_new");
${attack}
ALTER TYPE "Mood" RENAME TO "Mood_old";
ALTER TYPE "Mood_new" RENAME TO "Mood";
DROP TYPE "Mood_old";
COMMIT;
${after}
`,
      'migrations/20240102000000_next/migration.sql': 'ALTER TABLE "Person" ADD COLUMN "name" text;\n',
    });
    const inBlock = await sealed(enumChange(alterDev(3), ''));
    assert.equal(inBlock.shadow?.tool, 'prisma');
    assertRolledBack(inBlock, 'migrations/20240101000000_init/migration.sql');
    assertRolledBack(await sealed(enumChange('', alterDev(3))), 'migrations/20240101000000_init/migration.sql');
    const noTransaction = await sealed({
      'migrations/001_a.sql': `-- drydock:no-transaction\n${FIRST}CREATE INDEX CONCURRENTLY accounts_id ON accounts (id);\n${alterDev(3)}\n`,
      'migrations/002_target.sql': TARGET,
    });
    assertRolledBack(noTransaction, 'migrations/001_a.sql');
    assert.equal(noTransaction.error?.position?.line, 4);
    const dbmate = await sealed({
      'migrations/20240101000000_a.sql': `-- migrate:up transaction:false\n${FIRST}${alterDev(3)}\n\n-- migrate:down\n`,
      'migrations/20240102000000_target.sql': `-- migrate:up\n${TARGET}`,
    });
    assertRolledBack(dbmate, 'migrations/20240101000000_a.sql');
    const sqitch = await sealed({
      'migrations/sqitch.plan': '%project=app\nfirst 2024-01-01T00:00:00Z A <a@example.com> # first\ntarget 2024-01-02T00:00:00Z A <a@example.com> # target\n',
      'migrations/deploy/first.sql': `${FIRST}${alterDev(3)}\n`,
      'migrations/deploy/target.sql': TARGET,
    });
    assertRolledBack(sqitch, 'migrations/deploy/first.sql');
  });

  test('changes PostgreSQL makes without keeping the catalog locked to the end (a GRANT on another database, a tablespace\'s owner) are caught too', async () => {
    for (const [change, seen] of [["'GRANT CONNECT ON DATABASE ' || 'victim TO dev'", 'privileges or connection limit of database victim changed'], ["'ALTER TABLESPACE pg_default ' || 'OWNER TO dev'", 'tablespace pg_default changed']]) {
      const report = await sealed({ 'migrations/001_a.sql': `${FIRST}DO $$ BEGIN EXECUTE ${change}; END $$;\n`, 'migrations/002_target.sql': TARGET });
      assert.equal(report.outcome, 'refused', JSON.stringify(report.error));
      assert.match(report.error?.message ?? '', new RegExp(`\\(${seen}\\).*; rolled back$`));
    }
  });

  test('a trigger on the tool\'s bookkeeping table runs in a transaction the guard looks at', async () => {
    const report = await sealed({
      'migrations/000001_init.up.sql': `CREATE FUNCTION on_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE 'ALTER ' || 'ROLE dev CONNECTION LIMIT 2';
  RETURN NEW;
END $$;
CREATE TRIGGER on_version AFTER INSERT ON schema_migrations FOR EACH ROW EXECUTE FUNCTION on_version();
`,
      'migrations/000002_next.up.sql': 'CREATE TABLE b (id bigint);\n',
      'migrations/000003_next.up.sql': 'CREATE TABLE c (id bigint);\n',
    });
    assertRolledBack(report, 'migrations/000001_init.up.sql');
  });

  test('what runs at COMMIT is looked at first: deferred triggers fire before the guard looks, and a cursor WITH HOLD left open is refused', async () => {
    const deferred = await sealed({
      'migrations/001_a.sql': `CREATE TABLE queue (id int);
CREATE FUNCTION later() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN EXECUTE 'ALTER ' || 'ROLE dev CONNECTION LIMIT 7'; RETURN NULL; END $$;
CREATE CONSTRAINT TRIGGER queue_later AFTER INSERT ON queue DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION later();
INSERT INTO queue VALUES (1);
`,
      'migrations/002_target.sql': 'SELECT 1;\n',
    });
    assertRolledBack(deferred, 'migrations/001_a.sql');
    const held = await sealed({
      'migrations/001_a.sql': `CREATE FUNCTION sneaky() RETURNS int LANGUAGE plpgsql AS $$ BEGIN EXECUTE 'ALTER ' || 'ROLE dev CONNECTION LIMIT 9'; RETURN 1; END $$;
DECLARE held CURSOR WITH HOLD FOR SELECT sneaky();
`,
      'migrations/002_target.sql': 'SELECT 1;\n',
    });
    assert.equal(held.outcome, 'refused', JSON.stringify(held.error));
    assert.match(held.error?.message ?? '', /refused: it declared a cursor WITH HOLD, whose query runs when the transaction commits.*; rolled back$/);
    // Must not refuse: a deferred constraint that holds, a held cursor closed before the end.
    const fine = await sealed({
      'migrations/001_a.sql': `CREATE TABLE parent (id int PRIMARY KEY);
CREATE TABLE child (parent_id int REFERENCES parent DEFERRABLE INITIALLY DEFERRED);
INSERT INTO child VALUES (1);
INSERT INTO parent VALUES (1);
DECLARE walk CURSOR WITH HOLD FOR SELECT id FROM parent;
CLOSE walk;
`,
      'migrations/002_target.sql': 'SELECT 1;\n',
    });
    assert.equal(fine.outcome, 'succeeded', JSON.stringify(fine.error));
  });

  /** A deferred trigger that, fired by the look's SET CONSTRAINTS ALL IMMEDIATE, defers again and queues an event for COMMIT, whose run does `atCommit`. */
  const deferAgain = (atCommit: string) => `CREATE TABLE t (id int);
CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.id = 1 THEN SET CONSTRAINTS ALL DEFERRED; INSERT INTO t VALUES (2); ELSE ${atCommit}; END IF; RETURN NULL; END $$;
CREATE CONSTRAINT TRIGGER tr AFTER INSERT ON t DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION f();
`;
  const TO_DEV = 'EXECUTE $q$ALTER ROLE dev CONNECTION LIMIT 13$q$';

  test('what runs at COMMIT after the look cannot write: a deferred trigger queued again by a trigger the look fired fails read-only, and the migration is rolled back (dbmate, plain, golang-migrate, sqitch)', async () => {
    const wroteAtCommit = (report: Awaited<ReturnType<typeof sealed>>, file: string) => {
      const about = JSON.stringify(report.error);
      assert.equal(report.outcome, 'refused', about);
      assert.equal(report.error?.file, file, about);
      assert.match(report.error?.message ?? '', /refused: something ran at COMMIT, after the shadow had looked .* read-only, so it failed \(cannot execute ALTER ROLE in a read-only transaction\); rolled back$/, about);
      assert.equal(report.shadow?.serverChanged, undefined, about);
    };
    const dbmate = await sealed({
      'migrations/20240101000000_a.sql': `-- migrate:up\n${deferAgain(TO_DEV)}INSERT INTO t VALUES (1);\n`,
      'migrations/20240102000000_target.sql': '-- migrate:up\nALTER TABLE t ADD COLUMN x int;\n',
    });
    wroteAtCommit(dbmate, 'migrations/20240101000000_a.sql');
    const plain = await sealed({ 'migrations/001_a.sql': `${deferAgain(TO_DEV)}INSERT INTO t VALUES (1);\n`, 'migrations/002_target.sql': TARGET });
    wroteAtCommit(plain, 'migrations/001_a.sql');
    const golang = await sealed({ 'migrations/000001_a.up.sql': `${deferAgain(TO_DEV)}INSERT INTO t VALUES (1);\n`, 'migrations/000002_target.up.sql': 'SELECT 1;\n' });
    wroteAtCommit(golang, 'migrations/000001_a.up.sql');
    const sqitch = await sealed({
      'migrations/sqitch.plan': '%project=app\nfirst 2024-01-01T00:00:00Z A <a@example.com> # first\ntarget 2024-01-02T00:00:00Z A <a@example.com> # target\n',
      'migrations/deploy/first.sql': `BEGIN;\n${deferAgain(TO_DEV)}INSERT INTO t VALUES (1);\nCOMMIT;\n`,
      'migrations/deploy/target.sql': 'SELECT 1;\n',
    });
    wroteAtCommit(sqitch, 'migrations/deploy/first.sql');
    // Must not refuse: a COMMIT AND CHAIN goes on read-write, as its transaction was.
    const chained = await sealed({
      'migrations/sqitch.plan': '%project=app\nfirst 2024-01-01T00:00:00Z A <a@example.com> # first\ntarget 2024-01-02T00:00:00Z A <a@example.com> # target\n',
      'migrations/deploy/first.sql': 'BEGIN;\nCREATE TABLE a (id int);\nCOMMIT AND CHAIN;\nINSERT INTO a VALUES (1);\nCOMMIT;\n',
      'migrations/deploy/target.sql': 'SELECT 1;\n',
    });
    assert.equal(chained.outcome, 'succeeded', JSON.stringify(chained.error));
  });

  test('a savepoint left open at the look lets what runs at COMMIT write (PostgreSQL ends the savepoint first): the change is read right after the COMMIT and reported as a changed server', async () => {
    await quiet(url());
    const fingerprint = await clusterFingerprint(url());
    try {
      const { report } = await shadowRun({ 'migrations/001_a.sql': `${deferAgain(TO_DEV)}SAVEPOINT s;\nINSERT INTO t VALUES (1);\n`, 'migrations/002_target.sql': TARGET }, url());
      assert.equal(report.outcome, 'refused', JSON.stringify(report.error));
      assert.deepEqual(report.shadow?.serverChanged, ['role dev changed']);
      assert.match(report.error?.message ?? '', /refused: .*; it had committed \(what ran at its COMMIT, after the shadow had looked, changed it .*\), and the server stays changed: role dev changed$/);
      assert.match(lastLine(report), /^refused: the shadow's server was changed \(role dev changed\), \d+ ms$/);
    } finally {
      await sql(url(), 'ALTER ROLE dev CONNECTION LIMIT -1');
    }
    await quiet(url());
    assert.equal(fingerprintDiff(fingerprint, await clusterFingerprint(url())), 'identical');
  });

  test('a COMMIT that fails (a deferred trigger dividing by zero at COMMIT) is the migration\'s failure, rolled back, never taken for the split check after it', async () => {
    const divide = deferAgain('PERFORM 1 / 0');
    const histories: Record<string, string>[] = [
      { 'migrations/20240101000000_a.sql': `-- migrate:up\n${divide}INSERT INTO t VALUES (1);\n`, 'migrations/20240102000000_target.sql': '-- migrate:up\nALTER TABLE t ADD COLUMN x int;\n' },
      { 'migrations/000001_a.up.sql': `${divide}INSERT INTO t VALUES (1);\n`, 'migrations/000002_target.up.sql': 'ALTER TABLE t ADD COLUMN x int;\n' },
    ];
    for (const files of histories) {
      const report = await sealed(files);
      assert.ok(report.historyFailure, JSON.stringify(report.error));
      assert.equal(report.historyFailure?.error.sqlstate, '22012');
      assert.match(report.historyFailure?.error.message ?? '', /^earlier migration migrations\/[^ ]+_a\.(?:up\.sql:1|sql) failed: division by zero$/);
    }
  });

  test('a file sent as one query whose own COMMIT comes before the failure says its part before the COMMIT committed (golang-migrate)', async () => {
    const report = await sealed({
      'migrations/000001_a.up.sql': 'CREATE TABLE a (id int);\nBEGIN;\nCREATE TABLE b (id int);\nCOMMIT;\nSELECT 1 / 0;\n',
      'migrations/000002_target.up.sql': 'SELECT 1;\n',
    });
    assert.ok(report.historyFailure, JSON.stringify(report.error));
    assert.equal(report.historyFailure?.error.position?.line, 5);
    assert.match(report.historyFailure?.error.message ?? '', /^earlier migration migrations\/000001_a\.up\.sql:5 failed: division by zero; its statements through line 3 had committed \(the file's own COMMIT ends them\), what follows was rolled back$/);
    const whole = await sealed({ 'migrations/000001_a.up.sql': 'CREATE TABLE a (id int);\nSELECT 1 / 0;\n', 'migrations/000002_target.up.sql': 'SELECT 1;\n' });
    // One transaction: nothing of it stays, and the message says no more.
    assert.match(whole.historyFailure?.error.message ?? '', /^earlier migration migrations\/000001_a\.up\.sql:1 failed: division by zero$/);
  });

  test('must not refuse: what commits by itself and stays in the scratch database (golang-migrate, Prisma\'s enum block, no-transaction CONCURRENTLY, VACUUM and ANALYZE, sqitch\'s own transaction)', async () => {
    const golang = await sealed({
      'migrations/000001_init.up.sql': 'CREATE TABLE a (id bigint);\nINSERT INTO a VALUES (1);\nLOCK TABLE a;\nCREATE ROLE golang_role;\n',
      'migrations/000002_index.up.sql': 'CREATE INDEX CONCURRENTLY a_id ON a (id);\n',
      'migrations/000003_vacuum.up.sql': 'VACUUM a;\n',
      'migrations/000004_next.up.sql': 'SELECT id FROM a;\n',
    });
    assert.equal(golang.outcome, 'succeeded', JSON.stringify(golang.error));
    const noTransaction = await sealed({
      'migrations/001_a.sql': `-- drydock:no-transaction\n${FIRST}CREATE INDEX CONCURRENTLY accounts_id ON accounts (id);\nANALYZE accounts;\nDO $$ BEGIN CREATE TABLE in_do (id int); COMMIT; END $$;\n`,
      'migrations/002_target.sql': TARGET,
    });
    assert.equal(noTransaction.outcome, 'succeeded', JSON.stringify(noTransaction.error));
    const sqitch = await sealed({
      'migrations/sqitch.plan': '%project=app\nfirst 2024-01-01T00:00:00Z A <a@example.com> # first\ntarget 2024-01-02T00:00:00Z A <a@example.com> # target\n',
      'migrations/deploy/first.sql': `BEGIN;\n${FIRST}CREATE ROLE sqitch_role;\nCOMMIT;\nCREATE TABLE outside (id int);\n`,
      'migrations/deploy/target.sql': TARGET,
    });
    assert.equal(sqitch.outcome, 'succeeded', JSON.stringify(sqitch.error));
  });

  test('where PostgreSQL runs a statement only outside a transaction block (a DO block that commits), a change it made is reported as a changed server, never as rolled back', async () => {
    await quiet(url());
    const fingerprint = await clusterFingerprint(url());
    try {
      const { report } = await shadowRun({
        'migrations/001_a.sql': `-- drydock:no-transaction\n${FIRST}DO $$ BEGIN EXECUTE 'ALTER ' || 'ROLE dev CONNECTION LIMIT 5'; COMMIT; END $$;\n`,
        'migrations/002_target.sql': TARGET,
      }, url());
      assert.equal(report.outcome, 'refused', JSON.stringify(report.error));
      assert.deepEqual(report.shadow?.serverChanged, ['role dev changed']);
      assert.match(report.error?.message ?? '', /:3 refused: .*; it had committed \(PostgreSQL runs this statement outside a transaction block\), and the server stays changed: role dev changed$/);
      assert.match(lastLine(report), /^refused: the shadow's server was changed \(role dev changed\), \d+ ms$/);
    } finally {
      await sql(url(), 'ALTER ROLE dev CONNECTION LIMIT -1');
    }
    await quiet(url());
    assert.equal(fingerprintDiff(fingerprint, await clusterFingerprint(url())), 'identical');
  });

  test('a replication slot SQL built at run time creates is dropped, in the history and in a target, and reported; a slot that was there before stays', async () => {
    const makeSlot = (name: string) => `DO $$ BEGIN EXECUTE 'SELECT pg_catalog.pg_create_physical_' || 'replication_slot(''${name}'')'; END $$;`;
    await sql(url(), "SELECT pg_create_physical_replication_slot('kept_slot')");
    try {
      const history = await sealed({ 'migrations/001_a.sql': `${FIRST}${makeSlot('history_slot')}\n`, 'migrations/002_target.sql': TARGET });
      assert.equal(history.outcome, 'refused', JSON.stringify(history.error));
      assert.match(history.error?.message ?? '', /\(replication slot history_slot created\).*; rolled back, and Drydock dropped replication slot history_slot$/);
      assert.deepEqual(history.shadow?.undone, ['replication slot history_slot']);
      const targeted = await sealed({ 'migrations/001_a.sql': FIRST, 'migrations/002_target.sql': `${TARGET}${makeSlot('target_slot')}\n` });
      assert.equal(targeted.outcome, 'refused', JSON.stringify(targeted.error));
      assert.equal(targeted.error?.sqlstate, 'DRY06');
      assert.match(targeted.error?.message ?? '', /^the dry-run created replication slot target_slot on the shadow's server, which its rollback does not undo .*Drydock dropped it$/);
      assert.deepEqual(targeted.shadow?.undone, ['replication slot target_slot']);
      assert.match(formatReport(targeted, false), /Drydock undid what the run left on the shadow's server: dropped replication slot target_slot/);
      const clean = await sealed({ 'migrations/001_a.sql': FIRST, 'migrations/002_target.sql': TARGET });
      assert.equal(clean.outcome, 'succeeded', JSON.stringify(clean.error));
      assert.equal(clean.shadow?.undone, undefined);
    } finally {
      await sql(url(), "SELECT pg_drop_replication_slot('kept_slot')");
    }
  });
}, SEALED_MAJORS);
