// Statements sent as one pipeline: what the Session port promises on both backends (row counts,
// notices and durations per statement; nothing after a failure runs), and what a run does with
// it (quiet statements share a pipeline; failures, fix queries, cancels and notices land on the
// right statement; the database is left as it was).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { DatabaseBackend, Session } from '../../src/core/db/backend';
import { pgBackend } from '../../src/core/db/pg/pgBackend';
import { pgliteBackend } from '../../src/core/db/pglite/pgliteBackend';
import { PgliteInstance } from '../../src/core/db/pglite/pgliteInstance';
import type { RunReport } from '../../src/core/model/report';
import { DEFAULT_PROBES } from '../../src/core/run/probes';
import type { ProbeFactory } from '../../src/core/run/probes/probe';
import { runMigrations, type MigrationFile, type RunOptions } from '../../src/core/run/runner';
import { catalogSnapshot, describeEachServer, sql } from '../support/database';
import { psqlFiles } from '../support/psql';
import { scratchMigrations } from '../support/scratchMigrations';

const writeFiles = scratchMigrations('pipeline');

/** A backend whose sessions record the size of every pipeline they are asked to run (the real sessions run them). */
function observed(backend: DatabaseBackend): { backend: DatabaseBackend; pipelines: string[][] } {
  const pipelines: string[][] = [];
  const openSession = async (): Promise<Session> => {
    const session = await backend.openSession();
    const pipeline = session.pipeline.bind(session);
    session.pipeline = (statements, options) => {
      pipelines.push([...statements]);
      return pipeline(statements, options);
    };
    return session;
  };
  return { backend: { ...backend, openSession }, pipelines };
}

/** The port's promises, the same for every backend. */
function sessionContract(open: () => Promise<Session>): void {
  let session: Session;
  before(async () => { session = await open(); });
  after(async () => { await session.close(); });

  test('a pipeline in a transaction: a row count and the notices of each statement, in order', async () => {
    await session.query('BEGIN');
    try {
      const outcome = await session.pipeline([
        'CREATE TABLE pipe_a (id int)',
        'INSERT INTO pipe_a SELECT g FROM generate_series(1, 5) g',
        'ALTER TABLE pipe_a ADD COLUMN IF NOT EXISTS id int',
        'UPDATE pipe_a SET id = id + 1 WHERE id > 3',
        'CREATE TABLE IF NOT EXISTS pipe_a (id int)',
      ]);
      assert.equal(outcome.error, undefined);
      assert.deepEqual(outcome.ran.map((r) => r.rowCount), [null, 5, null, 2, null]);
      assert.deepEqual(outcome.ran.map((r) => r.notices.map((n) => n.message)), [
        [], [], ['column "id" of relation "pipe_a" already exists, skipping'], [], ['relation "pipe_a" already exists, skipping'],
      ]);
      assert.ok(outcome.ran.every((r) => r.durationMs >= 0));
      assert.equal(session.transactionState(), 'in-transaction');
    } finally {
      await session.query('ROLLBACK');
    }
  });

  test('after a failure nothing more runs: a sequence advanced after it would show it, even rolled back', async () => {
    await session.query('CREATE SEQUENCE IF NOT EXISTS pipe_seq');
    const startValue = Number((await session.query("SELECT nextval('pipe_seq') AS v")).rows[0]!.v);
    await session.query('BEGIN');
    const outcome = await session.pipeline([
      "SELECT nextval('pipe_seq')",
      'SELECT 1 / 0',
      "SELECT nextval('pipe_seq')",
      "SELECT nextval('pipe_seq')",
    ]);
    assert.equal(session.transactionState(), 'failed');
    await session.query('ROLLBACK');
    assert.equal(outcome.ran.length, 2);
    assert.equal((outcome.error as { code?: string }).code, '22012');
    assert.equal(outcome.ran[0]!.rowCount, 1);
    // Sequences are not transactional: one nextval ran after the start value, no more.
    assert.equal(Number((await session.query("SELECT last_value FROM pipe_seq")).rows[0]!.last_value), startValue + 1);
  });

  test('each statement of a pipeline is timed on its own: a slow one in the middle carries the wait', async () => {
    await session.query('BEGIN');
    try {
      const outcome = await session.pipeline(['SELECT 1', 'SELECT pg_sleep(0.4)', 'SELECT 2']);
      const [first, slow, last] = outcome.ran.map((r) => r.durationMs);
      // Only the lower bound is the machine's promise (pg_sleep never returns early); how much less
      // the others took depends on the machine's load, so it is not asserted.
      assert.ok(slow! >= 390, `the sleeping statement took ${slow} ms`);
      assert.ok(first! >= 0 && last! >= 0, `durations ${first}, ${slow}, ${last}`);
    } finally {
      await session.query('ROLLBACK');
    }
  });

  test('a notice raised at the commit that ends a statement outside a transaction is the statement\'s', async () => {
    await session.query('CREATE TABLE pipe_deferred (id int)');
    await session.query("CREATE FUNCTION pipe_note() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE NOTICE 'checked at commit'; RETURN NULL; END $$");
    await session.query('CREATE CONSTRAINT TRIGGER pipe_later AFTER INSERT ON pipe_deferred DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION pipe_note()');
    const outcome = await session.pipeline(['INSERT INTO pipe_deferred VALUES (1)']);
    assert.equal(outcome.error, undefined);
    assert.deepEqual(outcome.ran[0]!.notices.map((n) => n.message), ['checked at commit']);
  });

  test('outside a transaction one statement runs as query would, and a second one in its text is refused', async () => {
    const outcome = await session.pipeline(['CREATE TABLE pipe_one (id int); CREATE TABLE pipe_two (id int)']);
    assert.equal((outcome.error as { code?: string }).code, '42601');
    assert.equal(session.transactionState(), 'idle');
    const rows = (await session.query("SELECT count(*)::int AS n FROM pg_class WHERE relname IN ('pipe_one', 'pipe_two')")).rows;
    assert.equal(rows[0]!.n, 0);
  });

  test('after a failed query the transaction state is what the failure left, read right away (an aborted transaction, or none after a COMMIT in the query)', async () => {
    // The server's error and its ReadyForQuery may come in separate reads: asked many times.
    for (let i = 0; i < 25; i++) {
      await assert.rejects(session.execScript('BEGIN; SELECT 1/0'));
      assert.equal(session.transactionState(), 'failed');
      await session.query('ROLLBACK');
      await session.query('BEGIN');
      await assert.rejects(session.execScript('COMMIT; SELECT 1/0'));
      assert.equal(session.transactionState(), 'idle');
      await session.query('BEGIN');
      await assert.rejects(session.query('SELECT 1/0'));
      assert.equal(session.transactionState(), 'failed');
      await session.query('ROLLBACK');
    }
  });
}

describeEachServer('pipelines on a server', (server) => {
  describe('the Session port', () => {
    let url = '';
    before(async () => { url = server().url(await server().createDatabase()); });
    sessionContract(() => pgBackend({ connectionString: url }).openSession());
  });

  // Not on PGlite: its COPY FROM STDIN waits for data on this thread (runs refuse such files before sending anything).
  test('COPY FROM STDIN gets no data and fails; the pipeline still ends and the session is usable after ROLLBACK', async () => {
    const session = await pgBackend({ connectionString: server().url(await server().createDatabase()) }).openSession();
    try {
      await session.query('BEGIN');
      await session.query('CREATE TABLE pipe_copy (id int)');
      const outcome = await session.pipeline(['SELECT 1', 'COPY pipe_copy FROM STDIN']);
      assert.equal(outcome.ran.length, 2);
      assert.equal((outcome.error as { code?: string }).code, '57014');
      await session.query('ROLLBACK');
      assert.equal((await session.query('SELECT 1 AS one')).rows[0]!.one, 1);
    } finally {
      await session.close();
    }
  });

  const fresh = async (setup?: string): Promise<string> => {
    const url = server().url(await server().createDatabase());
    if (setup) await sql(url, setup);
    return url;
  };
  const run = (backend: DatabaseBackend, files: MigrationFile[], options: Partial<RunOptions> = {}): Promise<RunReport> =>
    runMigrations(files, { mode: 'dry-run', backend, ...options });

  test('quiet statements share a pipeline; notices and row counts land on their own statement, as psql shows them', async () => {
    const files = writeFiles({
      '1.sql': 'CREATE TABLE people (id int PRIMARY KEY, email text);\nINSERT INTO people VALUES (1, \'a\'), (2, \'b\');',
      '2.sql': 'ALTER TABLE people ADD COLUMN IF NOT EXISTS email text;\nCREATE INDEX idx_people_email ON people (email);\nUPDATE people SET email = upper(email);',
    });
    const reference = await psqlFiles(await fresh(), files.map((f) => f.path), { singleTransaction: true });
    assert.equal(reference.code, 0, reference.stderr);
    assert.match(reference.stderr, /column "email" of relation "people" already exists, skipping/);
    const url = await fresh();
    const before = await catalogSnapshot(url);
    const { backend, pipelines } = observed(pgBackend({ connectionString: url }));
    const report = await run(backend, files);
    assert.equal(report.outcome, 'succeeded', JSON.stringify(report.error));
    assert.ok(pipelines.some((p) => p.length >= 4), `pipelines of ${pipelines.map((p) => p.length).join(', ')} statements`);
    assert.deepEqual(report.statements.map((s) => s.rows), [null, 2, null, null, 2]);
    assert.deepEqual(report.statements.map((s) => s.notices.length), [0, 0, 1, 0, 0]);
    assert.match(report.statements[2]!.notices[0]!.message, /column "email" of relation "people" already exists, skipping/);
    assert.deepEqual(report.verification.map((c) => `${c.kind} ${c.name} ${c.status}`), ['index idx_people_email ok']);
    assert.equal(await catalogSnapshot(url), before);
  });

  test('a failure inside a pipeline: the same statement fails as in psql -1, nothing after it runs, the fix query sees the rows before it', async () => {
    const setup = 'CREATE SEQUENCE audit_seq;';
    const files = writeFiles({
      '1.sql': "CREATE TABLE accounts (id int, email text);\nINSERT INTO accounts VALUES (nextval('audit_seq'), 'a@x'), (nextval('audit_seq'), 'a@x');",
      '2.sql': 'ALTER TABLE accounts ADD CONSTRAINT uq_accounts_email UNIQUE (email);\nINSERT INTO accounts VALUES (nextval(\'audit_seq\'), \'c@x\');',
    });
    const psqlDb = await fresh(setup);
    const reference = await psqlFiles(psqlDb, files.map((f) => f.path), { singleTransaction: true, verbosity: 'sqlstate' });
    assert.match(reference.stderr, /ERROR:\s+23505/);
    const url = await fresh(setup);
    const before = await catalogSnapshot(url);
    const { backend, pipelines } = observed(pgBackend({ connectionString: url }));
    const report = await run(backend, files);
    assert.equal(report.outcome, 'failed');
    assert.deepEqual(report.statements.map((s) => s.status), ['ok', 'ok', 'failed', 'skipped']);
    const failed = report.statements[2]!;
    assert.equal(failed.error!.sqlstate, '23505');
    assert.equal(failed.error!.position?.line, 1);
    assert.match(failed.file, /2\.sql$/);
    assert.deepEqual(failed.error!.fixRows!.map((r) => [r.email, Number(r.duplicates)]), [['a@x', 2]]);
    // The failing statement was sent behind the ones before it, in one pipeline.
    assert.ok(pipelines.some((p) => p.length >= 3 && p.some((s) => s.includes('uq_accounts_email'))), `pipelines of ${pipelines.map((p) => p.length).join(', ')}`);
    // The same nextval calls ran as under psql (two, and the replay for the fix query two more), never the third INSERT's.
    const [psqlSeq] = await sql<{ last_value: string }>(psqlDb, 'SELECT last_value FROM audit_seq');
    const [drySeq] = await sql<{ last_value: string }>(url, 'SELECT last_value FROM audit_seq');
    assert.equal(Number(psqlSeq!.last_value), 2);
    assert.equal(Number(drySeq!.last_value), 4);
    assert.equal(await catalogSnapshot(url), before);
  });

  test('cancelling a run while a pipeline runs: what ran before is ok, the running statement is cancelled, the rest skipped, nothing kept', async () => {
    const url = await fresh();
    const before = await catalogSnapshot(url);
    const files = writeFiles({ '1.sql': 'CREATE TABLE slow (id int);\nCREATE TABLE quick (id int);\nINSERT INTO slow SELECT 1 FROM pg_sleep(30);\nCREATE TABLE after_slow (id int);' });
    const controller = new AbortController();
    const { backend, pipelines } = observed(pgBackend({ connectionString: url }));
    const report = await run(backend, files, {
      signal: controller.signal,
      onProgress: (p) => { if (p.statementIndex === 2) setTimeout(() => controller.abort(), 300); },
    });
    assert.ok(pipelines.some((p) => p.some((s) => s.includes('pg_sleep')) && p.length >= 2), `pipelines of ${pipelines.map((p) => p.length).join(', ')}`);
    assert.equal(report.outcome, 'cancelled');
    assert.deepEqual(report.statements.map((s) => s.status), ['ok', 'ok', 'failed', 'skipped']);
    assert.equal(report.statements[2]!.error!.sqlstate, '57014');
    assert.match(report.statements[3]!.note ?? '', /an earlier statement failed|cancelled/);
    assert.equal(await catalogSnapshot(url), before);
  });

  test('a cancel while a head statement\'s probe asks the server: nothing of its pipeline is sent', async () => {
    const url = await fresh();
    const before = await catalogSnapshot(url);
    const files = writeFiles({ '1.sql': 'CREATE TABLE a (id int);\nCREATE TABLE b (id int);\nCREATE TABLE c (id int);\nCREATE TABLE d (id int);' });
    const controller = new AbortController();
    // A probe that asks before c (so c heads a pipeline) and, while it asks, the user cancels.
    const cancelling: ProbeFactory = ({ session }) => ({
      name: 'cancels-before-c',
      quietFor: (s) => (s.sql.includes('TABLE c') ? 'before' : true),
      before: async ({ statement }) => {
        if (!statement.sql.includes('TABLE c')) return;
        controller.abort();
        await session.query('SELECT 1');
      },
    });
    const { backend, pipelines } = observed(pgBackend({ connectionString: url }));
    const report = await run(backend, files, { signal: controller.signal, probes: [...DEFAULT_PROBES, cancelling] });
    assert.equal(report.outcome, 'cancelled');
    assert.deepEqual(report.statements.map((s) => s.status), ['ok', 'ok', 'skipped', 'skipped']);
    assert.ok(!pipelines.some((p) => p.some((s) => s.includes('TABLE c') || s.includes('TABLE d'))), JSON.stringify(pipelines));
    assert.equal(await catalogSnapshot(url), before);
  });

  test('a cancel that lands once a pipeline answered leaves what it reached reported as it ran', async () => {
    const url = await fresh();
    const files = writeFiles({ '1.sql': 'CREATE TABLE first (id int);\nCREATE TABLE a (id int);\nVACUUM a;\nCREATE TABLE b (id int);\nCREATE TABLE c (id int);' });
    const controller = new AbortController();
    // Cancelled while the answers of [a, VACUUM (not sent), b, c] are being recorded, after a's.
    const cancelling: ProbeFactory = () => ({ name: 'cancels-after-a', quietFor: () => true, after: ({ statement }) => { if (statement.sql.includes('TABLE a')) controller.abort(); } });
    const { backend, pipelines } = observed(pgBackend({ connectionString: url }));
    const report = await run(backend, files, { signal: controller.signal, probes: [...DEFAULT_PROBES, cancelling] });
    assert.ok(pipelines.some((p) => p.length === 3), JSON.stringify(pipelines));
    assert.equal(report.outcome, 'cancelled');
    assert.deepEqual(report.statements.map((s) => s.status), ['ok', 'ok', 'simulated', 'ok', 'ok']);
  });

  test('a DO block ends its pipeline: nothing is sent behind it before the transaction is checked', async () => {
    const url = await fresh();
    const files = writeFiles({ '1.sql': "CREATE TABLE a (id int);\nCREATE TABLE b (id int);\nDO $$ BEGIN RAISE NOTICE 'inside'; END $$;\nCREATE TABLE c (id int);\nCREATE TABLE d (id int);" });
    const { backend, pipelines } = observed(pgBackend({ connectionString: url }));
    const report = await run(backend, files);
    assert.equal(report.outcome, 'succeeded', JSON.stringify(report.error));
    assert.deepEqual(pipelines.map((p) => p.length), [1, 2, 2]);
    assert.match(pipelines[1]![1]!, /^DO/);
    assert.deepEqual(report.statements.map((s) => s.notices.map((n) => n.message)), [[], [], ['inside'], [], []]);
  });

  test('a statement that touches a table that existed before the run goes on its own, measured; the quiet ones around it share pipelines', async () => {
    const url = await fresh('CREATE TABLE existing (id int); INSERT INTO existing SELECT generate_series(1, 100);');
    const files = writeFiles({ '1.sql': 'CREATE TABLE a (id int);\nCREATE TABLE b (id int);\nCREATE INDEX idx_existing_id ON existing (id);\nCREATE TABLE c (id int);\nCREATE TABLE d (id int);' });
    const { backend, pipelines } = observed(pgBackend({ connectionString: url }));
    const report = await run(backend, files);
    assert.equal(report.outcome, 'succeeded', JSON.stringify(report.error));
    const alone = pipelines.find((p) => p.some((s) => s.includes('idx_existing_id')));
    assert.deepEqual(alone, ['CREATE INDEX idx_existing_id ON existing (id)']);
    assert.ok(pipelines.some((p) => p.length === 2 && p[0]!.includes('CREATE TABLE c')), `pipelines: ${JSON.stringify(pipelines)}`);
    const index = report.statements[2]!;
    assert.deepEqual(index.locks.map((l) => `${l.relation} ${l.mode}`), ['existing ShareLock']);
    assert.deepEqual(index.scans.map((s) => s.relation), ['existing']);
  });
});

describe('pipelines on PGlite', () => {
  let instance: PgliteInstance;
  before(async () => { instance = await PgliteInstance.boot({ dataDir: null, extensions: [] }); });
  after(async () => { await instance.close(); });
  sessionContract(() => pgliteBackend(instance).openSession());
});
