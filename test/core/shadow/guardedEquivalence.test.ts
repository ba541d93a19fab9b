// The guard looks at statements that commit by themselves before they commit by running them in a
// BEGIN … COMMIT of Drydock's (transactionShape.ts). Proof that this changes nothing of what they
// do: each file is sent as its tool sends it (one query, or statement by statement, outside any
// transaction) to one database, and replayed through the guard into another of the same server;
// both end the same (succeeded, or failed with the same SQLSTATE) with the same schema, data and
// sequence positions. The cases are the ones PostgreSQL treats differently in a transaction block
// (CONCURRENTLY, VACUUM, LOCK, DECLARE, savepoints, SET LOCAL, DO blocks and procedures that
// commit) and a file's own BEGIN, COMMIT and ROLLBACK, on PostgreSQL 13, 15 and 17; and a file a
// tool sends in its own transaction, whose query the guard's look ends.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Client } from 'pg';
import { pgBackend } from '../../../src/core/db/pg/pgBackend';
import { loadParser, parseMigrationSync } from '../../../src/core/parse/parseMigration';
import { ClusterGuard } from '../../../src/core/shadow/clusterGuard';
import { replayBookkeeping, replayMigration } from '../../../src/core/shadow/replay';
import { REPLAY_STYLES } from '../../../src/core/shadow/replayStyles';
import { ownerOf } from '../../../src/core/shadow/scratchRecord';
import { describeEachServer, sql } from '../../support/database';
import { fingerprint } from '../../support/fingerprint';
import { SEALED_MAJORS } from './sealedRuns';

interface Case {
  name: string;
  text: string;
  /** Run first on both databases. */
  setup?: string;
}

/** Files golang-migrate sends as one query outside a transaction (Prisma sends them the same way). */
const ONE_QUERY: Case[] = [
  { name: 'several statements', text: 'CREATE TABLE a (id serial PRIMARY KEY, note text);\nINSERT INTO a (note) VALUES (\'x\');\nCREATE INDEX a_note ON a (note);\n' },
  {
    name: 'Prisma\'s BEGIN … COMMIT around an enum change between other statements',
    text: `CREATE TYPE "Mood" AS ENUM ('happy');\nCREATE TABLE "Person" ("mood" "Mood");\nINSERT INTO "Person" VALUES ('happy');\nBEGIN;\nCREATE TYPE "Mood_new" AS ENUM ('happy', 'sad');
ALTER TABLE "Person" ALTER COLUMN "mood" TYPE "Mood_new" USING ("mood"::text::"Mood_new");\nALTER TYPE "Mood" RENAME TO "Mood_old";\nALTER TYPE "Mood_new" RENAME TO "Mood";\nDROP TYPE "Mood_old";\nCOMMIT;\nCREATE TABLE after_block (id int);\n`,
  },
  { name: 'a COMMIT, then a statement that fails: what came before stays', text: 'CREATE TABLE kept (id int);\nCOMMIT;\nCREATE TABLE kept (id int);\n' },
  {
    name: 'a BEGIN … ROLLBACK after statements of the implicit block rolls them back too (not the sequence)', setup: 'CREATE SEQUENCE counter;',
    text: "SELECT nextval('counter');\nCREATE TABLE gone (id int);\nBEGIN;\nCREATE TABLE gone_too (id int);\nROLLBACK;\nCREATE TABLE stays (id int);\n",
  },
  { name: 'a ROLLBACK in the implicit block', text: 'CREATE TABLE rolled (id int);\nROLLBACK;\nCREATE TABLE after_rollback (id int);\n' },
  { name: 'a SAVEPOINT in the implicit block is refused', text: 'CREATE TABLE s0 (id int);\nSAVEPOINT before;\nCREATE TABLE s1 (id int);\n' },
  { name: 'savepoints inside the file\'s BEGIN … COMMIT', text: 'BEGIN;\nCREATE TABLE s1 (id int);\nSAVEPOINT x;\nCREATE TABLE s2 (id int);\nROLLBACK TO SAVEPOINT x;\nCOMMIT;\nCREATE TABLE s3 (id int);\n' },
  { name: 'SET TRANSACTION first in the query', text: 'SET TRANSACTION ISOLATION LEVEL REPEATABLE READ;\nCREATE TABLE iso (id int);\n' },
  { name: 'SET TRANSACTION after the file\'s BEGIN, a SET before it', text: 'SET search_path = public;\nBEGIN;\nSET TRANSACTION ISOLATION LEVEL SERIALIZABLE;\nCREATE TABLE iso (id int);\nCOMMIT;\n' },
  { name: 'BEGIN with an isolation level', text: 'BEGIN ISOLATION LEVEL SERIALIZABLE;\nCREATE TABLE iso (id int);\nCOMMIT;\n' },
  { name: 'COMMIT AND CHAIN in the implicit block', text: 'CREATE TABLE chained (id int);\nCOMMIT AND CHAIN;\nCREATE TABLE chained_too (id int);\n' },
  { name: 'LOCK among several statements', text: 'CREATE TABLE locked (id int);\nLOCK TABLE locked;\nINSERT INTO locked VALUES (1);\n' },
  { name: 'LOCK alone is refused outside a block', setup: 'CREATE TABLE locked (id int);', text: 'LOCK TABLE locked;\n' },
  { name: 'DECLARE alone is refused outside a block', text: 'DECLARE c CURSOR FOR SELECT 1;\n' },
  { name: 'VACUUM among several statements is refused', text: 'CREATE TABLE v (id int);\nVACUUM v;\n' },
  { name: 'VACUUM alone', setup: 'CREATE TABLE v (id int); INSERT INTO v VALUES (1);', text: 'VACUUM v;\n' },
  { name: 'ANALYZE alone', setup: 'CREATE TABLE v (id int); INSERT INTO v SELECT generate_series(1, 50);', text: 'ANALYZE v;\n' },
  { name: 'CREATE INDEX CONCURRENTLY alone', setup: 'CREATE TABLE c (id int);', text: 'CREATE INDEX CONCURRENTLY c_id ON c (id);\n' },
  { name: 'CREATE INDEX CONCURRENTLY among several statements is refused', text: 'CREATE TABLE c (id int);\nCREATE INDEX CONCURRENTLY c_id ON c (id);\n' },
  { name: 'SET LOCAL among several statements holds for the rest of them', text: 'SET LOCAL search_path = elsewhere, public;\nCREATE SCHEMA elsewhere;\nCREATE TABLE placed (id int);\n' },
  { name: 'SET LOCAL alone does nothing', text: "SET LOCAL work_mem = '1MB';\n" },
  { name: 'a DO block that commits, alone', text: 'DO $$ BEGIN CREATE TABLE d1 (id int); COMMIT; CREATE TABLE d2 (id int); END $$;\n' },
  { name: 'a DO block that commits, among several statements, is refused', text: 'CREATE TABLE d0 (id int);\nDO $$ BEGIN COMMIT; END $$;\n' },
  { name: 'a DO block without transaction control, alone', text: 'DO $$ BEGIN CREATE TABLE d3 (id int); INSERT INTO d3 VALUES (1); END $$;\n' },
  {
    name: 'CALL of a procedure that commits, alone',
    setup: 'CREATE PROCEDURE fill() LANGUAGE plpgsql AS $$ BEGIN CREATE TABLE p1 (id int); COMMIT; CREATE TABLE p2 (id int); END $$;',
    text: 'CALL fill();\n',
  },
  { name: 'an enum value added, then used in the same query', setup: "CREATE TYPE mood AS ENUM ('a');", text: "ALTER TYPE mood ADD VALUE 'b';\nCREATE TABLE uses (m mood DEFAULT 'b');\n" },
  { name: 'an enum value added alone', setup: "CREATE TYPE mood AS ENUM ('a');", text: "ALTER TYPE mood ADD VALUE 'b';\n" },
  { name: 'an error rolls back the whole query', text: 'CREATE TABLE e1 (id int);\nSELECT 1/0;\nCREATE TABLE e2 (id int);\n' },
  { name: 'a deferred foreign key that fails at COMMIT', text: 'CREATE TABLE parent (id int PRIMARY KEY);\nCREATE TABLE child (parent_id int REFERENCES parent DEFERRABLE INITIALLY DEFERRED);\nINSERT INTO child VALUES (1);\n' },
  { name: 'a syntax error', text: 'CREATE TABLE fine (id int);\nCREATE TABLEE broken (id int);\n' },
];

/** Files of a no-transaction migration the plain tool sends statement by statement, each outside a transaction. */
const STATEMENTS: Case[] = [
  {
    name: 'CONCURRENTLY, VACUUM, ANALYZE, SET LOCAL, a DO block that commits, then a LOCK refused outside a block',
    text: "CREATE TABLE t (id int);\nINSERT INTO t VALUES (1);\nCREATE INDEX CONCURRENTLY t_id ON t (id);\nVACUUM t;\nANALYZE t;\nSET LOCAL work_mem = '1MB';\nDO $$ BEGIN CREATE TABLE d (id int); COMMIT; END $$;\nLOCK TABLE t;\nCREATE TABLE never (id int);\n",
  },
  { name: 'a SAVEPOINT outside a block is refused', text: 'CREATE TABLE t (id int);\nSAVEPOINT a;\n' },
  { name: 'a DECLARE outside a block is refused', text: 'CREATE TABLE t (id serial);\nINSERT INTO t DEFAULT VALUES;\nDECLARE c CURSOR FOR SELECT 1;\n' },
  { name: 'a failing statement after statements that committed', text: "CREATE TABLE t (id serial);\nINSERT INTO t DEFAULT VALUES;\nSELECT 1/0;\nCREATE TABLE never (id int);\n" },
];

/** Files dbmate (diesel, graphile-migrate) sends as one query in its own BEGIN … COMMIT: the guard's look ends that query. */
const IN_TOOL_TRANSACTION: Case[] = [
  { name: 'several statements', text: 'CREATE TABLE a (id serial PRIMARY KEY);\nINSERT INTO a DEFAULT VALUES;\n' },
  { name: 'SET TRANSACTION first in the query', text: 'SET TRANSACTION ISOLATION LEVEL SERIALIZABLE;\nCREATE TABLE iso (id int);\n' },
  { name: 'SET LOCAL holds for the rest of the file', text: 'SET LOCAL search_path = elsewhere, public;\nCREATE SCHEMA elsewhere;\nCREATE TABLE placed (id int);\n' },
  { name: 'a deferred foreign key that fails at COMMIT', text: 'CREATE TABLE parent (id int PRIMARY KEY);\nCREATE TABLE child (parent_id int REFERENCES parent DEFERRABLE INITIALLY DEFERRED);\nINSERT INTO child VALUES (1);\n' },
  { name: 'a file that ends in a comment', text: 'CREATE TABLE commented (id int); -- the end' },
];

/** How a run ended: 'ok' or the SQLSTATE it failed with. */
type Ending = string;

/** How a tool sends a file: one query or statement by statement outside a transaction, or one query in its own BEGIN … COMMIT. */
type Sending = 'one query' | 'statement by statement' | 'in the tool\'s transaction';

/** Sends the file as the tool does, on a database of its own; how it ended. */
async function asTheToolSends(url: string, text: string, sending: Sending): Promise<Ending> {
  const client = new Client({ connectionString: url });
  await client.connect();
  client.on('notice', () => undefined);
  try {
    const statements = sending === 'statement by statement' ? parseMigrationSync('x.sql', text).statements.map((s) => s.sql)
      : sending === 'one query' ? [text] : ['BEGIN', text, 'COMMIT'];
    for (const statement of statements) await client.query(statement);
    return 'ok';
  } catch (err) {
    // As the tool does after a failure (outside a transaction it only warns): nothing of it is still open when the schema is read.
    await client.query('ROLLBACK');
    return (err as { code?: string }).code ?? String(err);
  } finally {
    await client.end();
  }
}

describeEachServer('statements that commit by themselves, run in the guard\'s BEGIN … COMMIT, end as the tool ends them', (server) => {
  /** Replays the file through the guard into a database of its own, as the scratch shadow does; how it ended. */
  async function guarded(database: string, text: string, sending: Sending): Promise<Ending> {
    const admin = await pgBackend({ connectionString: server().url('postgres') }).openSession();
    const session = await pgBackend({ connectionString: server().url(database) }).openSession();
    try {
      const style = REPLAY_STYLES[sending === 'one query' ? 'golang-migrate' : sending === 'statement by statement' ? 'plain' : 'dbmate'];
      const guard = await ClusterGuard.start(admin, database, await ownerOf(admin), new Map());
      await replayBookkeeping(session, style);
      const failure = await replayMigration(session, style, { file: '/history/000001_case.up.sql', version: '1', text, noTransaction: sending === 'statement by statement' }, 0, (p) => p, guard);
      // The tool's bookkeeping is the shadow's to write, not the file's.
      await session.query('DROP TABLE IF EXISTS schema_migrations, public.schema_migrations');
      return failure ? failure.error.sqlstate ?? failure.error.message : 'ok';
    } finally {
      await session.close();
      await admin.close();
    }
  }

  for (const [sending, cases] of [['one query', ONE_QUERY], ['statement by statement', STATEMENTS], ['in the tool\'s transaction', IN_TOOL_TRANSACTION]] as const) {
    test(`${sending}: the same ending and the same schema, data and sequences`, async () => {
      await loadParser();
      for (const c of cases) {
        const [tool, shadow] = [await server().createDatabase(), await server().createDatabase()];
        if (c.setup) for (const db of [tool, shadow]) await sql(server().url(db), c.setup);
        const toolEnding = await asTheToolSends(server().url(tool), c.text, sending);
        const shadowEnding = await guarded(shadow, c.text, sending);
        assert.equal(shadowEnding, toolEnding, c.name);
        assert.equal(await fingerprint(server().url(shadow), { cluster: false }), await fingerprint(server().url(tool), { cluster: false }), c.name);
        for (const db of [tool, shadow]) await sql(server().url('postgres'), `DROP DATABASE ${db} WITH (FORCE)`);
      }
    });
  }
}, SEALED_MAJORS);
