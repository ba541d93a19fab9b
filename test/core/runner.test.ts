import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Client } from 'pg';
import type { RunReport } from '../../src/core/model/report';
import { runMigrations, type MigrationFile, type RunOptions } from '../../src/core/run/runner';
import { catalogSnapshot, describeEachServer, exampleMigrations, fixture, seededDatabase, sql } from '../support/database';
import { pgBackend } from '../../src/core/db/pg/pgBackend';

function run(url: string, files: MigrationFile[], mode: RunOptions['mode'], extra: Partial<RunOptions> = {}): Promise<RunReport> {
  return runMigrations(files, { mode, backend: pgBackend({ connectionString: url }), ...extra });
}

async function tableExists(url: string, name: string): Promise<boolean> {
  const rows = await sql<{ found: boolean }>(url, 'SELECT to_regclass($1) IS NOT NULL AS found', [name]);
  return rows[0]!.found;
}

const file = (path: string, text: string): MigrationFile => ({ path, text });

describeEachServer('runner', (server) => {
  test('dry-run of the five examples: every statement ok, every declared object verified, database unchanged', async () => {
    const url = server().url(await seededDatabase(server()));
    const before = await catalogSnapshot(url);
    const report = await run(url, exampleMigrations(), 'dry-run');
    assert.equal(report.outcome, 'succeeded', JSON.stringify(report.error));
    assert.equal(report.committed, false);
    const executed = report.statements.filter((s) => s.note === undefined);
    assert.ok(executed.length >= 17);
    assert.ok(executed.every((s) => s.status === 'ok'));
    assert.deepEqual(report.statements.filter((s) => s.status === 'skipped').map((s) => s.kind), ['BEGIN', 'COMMIT']);
    assert.equal(report.verification.length, 20);
    const notOk = report.verification.filter((c) => c.status !== 'ok');
    assert.deepEqual(notOk.map((c) => [c.name, c.status]), [
      ['idx_conversation_interactions_session_id', 'skipped'],
      ['idx_conversation_sessions_conversation_context', 'skipped'],
    ]);
    const gin = report.verification.find((c) => c.name === 'idx_learning_paths_path_data')!;
    assert.match(gin.detail, /gin index on learning_paths \(path_data jsonb_path_ops\)/);
    assert.ok(report.inventory.some((i) => i.name === 'chk_lessons_status' && i.healthy));
    assert.ok(report.indexUsage.some((u) => u.index === 'uq_conversation_messages_session_id_message_order'));
    const notice = report.statements.flatMap((s) => s.notices).find((n) => /GIN index skipped/.test(n.message));
    assert.ok(notice, 'RAISE NOTICE from the guarded GIN migration is reported');
    assert.match(report.server!.version, /^\d+/);
    assert.equal(await catalogSnapshot(url), before);
  });

  test('apply commits, applying again is idempotent, and the trigger advances updated_at', async () => {
    const url = server().url(await seededDatabase(server()));
    const first = await run(url, exampleMigrations(), 'apply');
    assert.equal(first.outcome, 'succeeded', JSON.stringify(first.error));
    assert.equal(first.committed, true);
    const afterFirst = await catalogSnapshot(url);
    assert.match(afterFirst, /uq_conversation_messages_session_id_message_order/);
    const second = await run(url, exampleMigrations(), 'apply');
    assert.equal(second.outcome, 'succeeded', JSON.stringify(second.error));
    assert.equal(await catalogSnapshot(url), afterFirst);
    const [row] = await sql<{ before: Date; after: Date }>(url, `
      WITH l AS (INSERT INTO lessons (title, updated_at) VALUES ('t', now() - interval '1 day') RETURNING id, updated_at)
      SELECT updated_at AS before, NULL::timestamptz AS after FROM l`);
    await sql(url, "UPDATE lessons SET title = 'changed'");
    const [changed] = await sql<{ updated_at: Date }>(url, 'SELECT updated_at FROM lessons');
    assert.ok(changed!.updated_at.getTime() > row!.before.getTime() + 3_600_000);
  });

  test('seeded duplicates make the unique migration fail with 23505 at its line, and the fix query finds exactly them', async () => {
    const url = server().url(await seededDatabase(server()));
    await sql(url, `INSERT INTO user_profiles (email) VALUES ('a@x');
      INSERT INTO conversation_sessions (user_id) SELECT id FROM user_profiles;
      INSERT INTO conversation_messages (session_id, message_order, role, content)
      SELECT s.id, o, 'user', 'hi' FROM conversation_sessions s, (VALUES (1), (2), (2), (3), (3), (3)) v(o)`);
    const report = await run(url, [exampleMigrations()[4]!], 'dry-run');
    assert.equal(report.outcome, 'failed');
    const failed = report.statements.find((s) => s.status === 'failed')!;
    assert.equal(failed.error!.sqlstate, '23505');
    assert.equal(failed.error!.label, 'Data conflict');
    assert.equal(failed.error!.category, 'integrity');
    assert.equal(failed.error!.title, 'Unique violation');
    assert.equal(failed.error!.position!.line, 4);
    assert.match(failed.error!.fixQuery!, /GROUP BY session_id, message_order\nHAVING count\(\*\) > 1/);
    assert.deepEqual(failed.error!.fixRows!.map((r) => [r.message_order, Number(r.duplicates)]), [[3, 3], [2, 2]]);
    const direct = await sql(url, failed.error!.fixQuery!);
    assert.equal(direct.length, 2);
    assert.equal(report.statements.at(-1)!.status, 'skipped');
  });

  test('a CHECK that existing rows violate fails with 23514 and the fix query returns the violating rows', async () => {
    const url = server().url(await seededDatabase(server()));
    await sql(url, "INSERT INTO lessons (title, difficulty_level) VALUES ('ok', 3), ('too hard', 9), ('too easy', 0)");
    const report = await run(url, [exampleMigrations()[2]!], 'dry-run');
    const failed = report.statements.find((s) => s.status === 'failed')!;
    assert.equal(failed.error!.sqlstate, '23514');
    assert.equal(failed.error!.label, 'Data conflict');
    assert.equal(failed.error!.constraint, 'chk_lessons_difficulty_level');
    assert.equal(failed.error!.position!.line, 29);
    assert.deepEqual(failed.error!.fixRows!.map((r) => r.title).sort(), ['too easy', 'too hard']);
    // The hint says what the fix query found, and does not send the author round in a circle (NOT VALID + VALIDATE fails the same).
    assert.match(failed.error!.hint!, /The fix query lists the violating rows\.$/);
    assert.match(failed.error!.hint!, /VALIDATE CONSTRAINT fails on them/);
  });

  test('a CHECK violated inside a DO block is placed at the inner ALTER TABLE line', async () => {
    const url = server().url(await seededDatabase(server()));
    await sql(url, "INSERT INTO lessons (title, status) VALUES ('x', 'bogus')");
    const report = await run(url, [exampleMigrations()[2]!], 'dry-run');
    const failed = report.statements.find((s) => s.status === 'failed')!;
    assert.equal(failed.kind, 'DO');
    assert.equal(failed.error!.sqlstate, '23514');
    assert.equal(failed.error!.position!.line, 6);
    assert.deepEqual(failed.error!.fixRows!.map((r) => r.status), ['bogus']);
  });

  test('a lock held by another session fails within lock_timeout with 55P03 naming the blocking pid', async () => {
    const url = server().url(await seededDatabase(server()));
    const blocker = new Client({ connectionString: url });
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE conversation_messages IN ACCESS EXCLUSIVE MODE');
      const blockerPid = (await blocker.query('SELECT pg_backend_pid() AS pid')).rows[0].pid as number;
      const report = await run(url, [exampleMigrations()[0]!], 'dry-run', { settings: { lockTimeoutMs: 300 } });
      const failed = report.statements.find((s) => s.status === 'failed')!;
      assert.equal(failed.error!.sqlstate, '55P03');
      assert.equal(failed.error!.label, 'Service temporarily unavailable');
      assert.deepEqual(failed.error!.fixRows!.map((r) => r.pid), [blockerPid]);
      assert.equal(failed.error!.fixRows![0]!.mode, 'AccessExclusiveLock');
    } finally {
      await blocker.end();
    }
  });

  test('COMMIT in the middle of a file is refused before anything runs', async () => {
    const url = server().url(await seededDatabase(server()));
    for (const mode of ['dry-run', 'apply'] as const) {
      const report = await run(url, [fixture('commit-mid-file.sql')], mode);
      assert.equal(report.outcome, 'refused');
      assert.equal(report.server, null, 'no connection was made');
      assert.deepEqual(report.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.ruleId, d.range.start.line]), [['transaction-control', 2]]);
      assert.ok(report.statements.every((s) => s.status === 'skipped'));
    }
    assert.equal(await tableExists(url, 'drydock_probe'), false);
  });

  test('a DO block or a procedure that commits cannot commit a dry-run or a failed apply', async () => {
    const url = server().url(await seededDatabase(server()));
    // The DO block's COMMIT is read from its body: it needs no transaction, so it is never sent in one
    // (not executed in a dry-run, the file refused by an apply). A procedure's is known only when it runs.
    const expected = { 'do-block-commit.sql': { 'dry-run': 'succeeded', apply: 'refused' }, 'procedure-commit.sql': { 'dry-run': 'failed', apply: 'failed' } } as const;
    for (const name of ['do-block-commit.sql', 'procedure-commit.sql'] as const) {
      for (const mode of ['dry-run', 'apply'] as const) {
        const report = await run(url, [fixture(name)], mode);
        assert.equal(report.outcome, expected[name][mode], `${name} ${mode}`);
        if (report.outcome === 'failed') assert.equal(report.error!.sqlstate, '2D000', `${name} ${mode}`);
        assert.equal(report.committed, false);
        assert.equal(await tableExists(url, 'drydock_probe'), false, `${name} ${mode}`);
      }
    }
    const procs = await sql(url, "SELECT 1 FROM pg_proc WHERE proname = 'drydock_commit_probe'");
    assert.equal(procs.length, 0);
  });

  test('CREATE INDEX CONCURRENTLY: dry-run simulates it, apply refuses it without a directive', async () => {
    const url = server().url(await seededDatabase(server()));
    const dry = await run(url, [fixture('concurrently.sql')], 'dry-run');
    assert.equal(dry.outcome, 'succeeded', JSON.stringify(dry.error));
    assert.equal(dry.statements[0]!.status, 'simulated');
    assert.match(dry.statements[0]!.note!, /ran as: CREATE INDEX IF NOT EXISTS idx_lessons_title/);
    assert.equal(dry.verification[0]!.status, 'ok');
    assert.equal(await tableExists(url, 'idx_lessons_title'), false);
    const apply = await run(url, [fixture('concurrently.sql')], 'apply');
    assert.equal(apply.outcome, 'refused');
    assert.ok(apply.diagnostics.some((d) => d.ruleId === 'needs-no-transaction' && d.severity === 'error' && /25001/.test(d.message)));
    assert.equal(await tableExists(url, 'idx_lessons_title'), false);
  });

  test('a no-transaction apply runs CONCURRENTLY for real, and a failed build reports the INVALID index left behind', async () => {
    const url = server().url(await seededDatabase(server()));
    const ok = await run(url, [fixture('concurrently-no-transaction.sql')], 'apply');
    assert.equal(ok.outcome, 'succeeded', JSON.stringify(ok.error));
    assert.equal(ok.transactional, false);
    assert.equal(ok.committed, true);
    assert.equal(ok.verification[0]!.status, 'ok');
    await sql(url, `DROP INDEX uq_conversation_messages_session_id_message_order;
      INSERT INTO user_profiles (email) VALUES ('a@x');
      INSERT INTO conversation_sessions (user_id) SELECT id FROM user_profiles;
      INSERT INTO conversation_messages (session_id, message_order, role, content) SELECT id, 1, 'user', 'x' FROM conversation_sessions, generate_series(1, 2)`);
    const failed = await run(url, [fixture('concurrently-no-transaction.sql')], 'apply');
    assert.equal(failed.outcome, 'failed');
    assert.equal(failed.error!.sqlstate, '23505');
    assert.equal(failed.leftovers.length, 1);
    assert.match(failed.leftovers[0]!, /^uq_conversation_messages_session_id_message_order: INVALID index/);
    const verify = await run(url, [fixture('concurrently-no-transaction.sql')], 'verify');
    assert.equal(verify.verification[0]!.status, 'invalid');
    assert.equal(verify.outcome, 'failed');
  });

  test('syntax errors, meta-commands, empty and binary files never reach the server', async () => {
    const url = server().url(await seededDatabase(server()));
    const before = await catalogSnapshot(url);
    const cases: [MigrationFile, string, number][] = [
      [fixture('syntax-error.sql'), 'syntax-error', 3],
      [fixture('meta-command.sql'), 'psql-meta-command', 1],
      [file('binary.sql', 'CREATE TABLE drydock_probe (id int);\u0000\u0007'), 'binary-file', 1],
    ];
    for (const [migration, code, line] of cases) {
      const report = await run(url, [migration], 'apply');
      assert.equal(report.outcome, 'refused', code);
      assert.equal(report.server, null);
      assert.equal(report.diagnostics[0]!.ruleId, code);
      assert.equal(report.diagnostics[0]!.range.start.line, line);
    }
    const empty = await run(url, [fixture('empty.sql')], 'dry-run');
    assert.equal(empty.outcome, 'succeeded');
    assert.deepEqual(empty.diagnostics.map((d) => d.ruleId), ['empty-file']);
    assert.equal(empty.statements.length, 0);
    assert.equal(await catalogSnapshot(url), before);
  });

  test('a 10 MB file dry-runs with its row count and leaves nothing; with a typo at the end it is refused at the last line', async () => {
    const url = server().url(await seededDatabase(server()));
    const row = "('lesson title with ünïcødé and some padding to make the file large', 'draft', 1)";
    const rows = Math.ceil((10 * 1024 * 1024) / (row.length + 2));
    const text = `INSERT INTO lessons (title, status, difficulty_level) VALUES\n${Array.from({ length: rows }, () => row).join(',\n')};\n`;
    assert.ok(Buffer.byteLength(text) > 10 * 1024 * 1024);
    const report = await run(url, [file('big.sql', text)], 'dry-run');
    assert.equal(report.outcome, 'succeeded', JSON.stringify(report.error));
    assert.equal(report.statements[0]!.rows, rows);
    assert.deepEqual(await sql(url, 'SELECT count(*)::int AS n FROM lessons'), [{ n: 0 }]);
    const broken = await run(url, [file('big.sql', `${text}SELEC 1;\n`)], 'dry-run');
    assert.equal(broken.outcome, 'refused');
    assert.equal(broken.diagnostics[0]!.range.start.line, rows + 2);
  });

  test('error positions map to the file: a column in a statement, a column inside a DO body', async () => {
    const url = server().url(await seededDatabase(server()));
    const plain = await run(url, [fixture('positions.sql')], 'dry-run');
    assert.equal(plain.error!.sqlstate, '42703');
    assert.equal(plain.error!.title, 'Column does not exist');
    assert.deepEqual(plain.error!.position, { line: 3, column: 12 });
    assert.deepEqual(plain.error!.range!.end, { line: 3, column: 26 });
    const body = await run(url, [fixture('function-body-error.sql')], 'dry-run');
    assert.equal(body.error!.sqlstate, '42703');
    assert.deepEqual(body.error!.position, { line: 4, column: 10 });
  });

  test('a failing apply leaves nothing half-applied', async () => {
    const url = server().url(await seededDatabase(server()));
    const report = await run(url, [fixture('half-applied.sql')], 'apply');
    assert.equal(report.outcome, 'failed');
    assert.equal(report.committed, false);
    assert.deepEqual(report.statements.map((s) => s.status), ['ok', 'ok', 'failed']);
    assert.equal(report.statements[1]!.rows, 2);
    assert.equal(report.error!.sqlstate, '22P02');
    assert.equal(await tableExists(url, 'drydock_probe'), false);
  });

  test('several files run in order in one transaction: a later file sees an earlier one', async () => {
    const url = server().url(await seededDatabase(server()));
    const files = [file('a.sql', 'CREATE TABLE drydock_probe (id int, label text);'), file('b.sql', 'CREATE INDEX idx_drydock_probe_label ON drydock_probe (label);')];
    const dry = await run(url, files, 'dry-run');
    assert.equal(dry.outcome, 'succeeded', JSON.stringify(dry.error));
    assert.deepEqual(dry.statements.map((s) => s.file), ['a.sql', 'b.sql']);
    assert.equal(dry.verification[0]!.status, 'ok');
    assert.equal(await tableExists(url, 'drydock_probe'), false);
  });

  test('cancelling a run cancels the running statement and rolls everything back', async () => {
    const url = server().url(await seededDatabase(server()));
    const controller = new AbortController();
    const progress: number[] = [];
    const pending = run(url, [fixture('slow.sql')], 'apply', {
      signal: controller.signal,
      onProgress: (p) => {
        progress.push(p.statementIndex);
        if (p.statementIndex === 1) setTimeout(() => controller.abort(), 200);
      },
    });
    const report = await pending;
    assert.equal(report.outcome, 'cancelled');
    assert.equal(report.committed, false);
    assert.deepEqual(progress, [0, 1]);
    assert.equal(report.statements[1]!.error!.sqlstate, '57014');
    assert.equal(await tableExists(url, 'drydock_probe'), false);
  });

  test('verification reports disabled triggers and NOT VALID constraints; a disabled trigger fails the run', async () => {
    const url = server().url(await seededDatabase(server()));
    const report = await run(url, [fixture('declared-then-disabled.sql')], 'dry-run');
    const status = Object.fromEntries(report.verification.map((c) => [c.name, c.status]));
    assert.deepEqual(status, { update_updated_at_column: 'ok', update_lessons_updated_at: 'disabled', chk_lessons_title_not_blank: 'not-validated' });
    assert.equal(report.outcome, 'failed');
    assert.equal(report.error!.title, 'Verification failed');
  });

  test('an existing index with the same name but another definition is a mismatch and apply does not commit', async () => {
    const url = server().url(await seededDatabase(server()));
    await sql(url, 'CREATE INDEX idx_lessons_status ON lessons (title)');
    const report = await run(url, [fixture('index-mismatch.sql')], 'apply');
    assert.equal(report.verification[0]!.status, 'mismatch');
    assert.match(report.verification[0]!.detail, /columns are \(title\), declared \(status\)/);
    assert.match(report.verification[0]!.detail, /predicate is none/);
    assert.equal(report.committed, false);
    const clean = server().url(await seededDatabase(server()));
    const fresh = await run(clean, [fixture('index-mismatch.sql')], 'dry-run');
    assert.equal(fresh.verification[0]!.status, 'ok', fresh.verification[0]!.detail);
  });

  test('fix queries for NULLs (23502) and orphans (23503) return the offending rows', async () => {
    const url = server().url(await seededDatabase(server()));
    await sql(url, "INSERT INTO user_profiles (email) VALUES ('a@x'); INSERT INTO conversation_sessions (user_id, conversation_context) SELECT id, v FROM user_profiles, (VALUES ('{}'), (NULL)) c(v)");
    const nulls = await run(url, [fixture('not-null-and-fk.sql')], 'dry-run');
    assert.equal(nulls.error!.sqlstate, '23502');
    assert.equal(nulls.error!.fixRows!.length, 1);
    assert.equal(nulls.error!.fixRows![0]!.conversation_context, null);
    assert.match(nulls.error!.hint!, /The fix query lists the rows with NULL\.$/);
    await sql(url, "INSERT INTO lessons (id, title) VALUES (1, 'one')");
    const orphans = await run(url, [fixture('orphans.sql')], 'dry-run');
    assert.equal(orphans.error!.sqlstate, '23503');
    assert.match(orphans.error!.fixQuery!, /p\.id = c\.lesson_id/);
    assert.deepEqual(orphans.error!.fixRows!.map((r) => r.note).sort(), ['orphan', 'orphan too']);
  });

  test('creating what exists suggests IF NOT EXISTS', async () => {
    const url = server().url(await seededDatabase(server()));
    const report = await run(url, [fixture('already-exists.sql')], 'dry-run');
    assert.equal(report.error!.sqlstate, '42P07');
    assert.equal(report.error!.category, 'database');
    assert.match(report.error!.hint!, /IF NOT EXISTS/);
  });

  test('an unreachable server is an operational failure with no password in the message', async () => {
    const report = await runMigrations([fixture('half-applied.sql')], {
      mode: 'dry-run', backend: pgBackend({ connectionString: 'postgres://someone:s3cret-pw@127.0.0.1:1/nothing', connectTimeoutMs: 2000 }),
    });
    assert.equal(report.outcome, 'failed');
    assert.equal(report.error!.category, 'operational');
    assert.equal(report.error!.label, 'Service temporarily unavailable');
    assert.equal(report.error!.sqlstate, '08001');
    assert.doesNotMatch(JSON.stringify(report), /s3cret-pw/);
  });

  test('a wrong password is reported as 28P01 without echoing it', async () => {
    const wrong = server().url().replace(`:${server().password}@`, ':wrong-password-123@');
    const report = await run(wrong, [fixture('half-applied.sql')], 'dry-run');
    assert.equal(report.error!.sqlstate, '28P01');
    assert.doesNotMatch(JSON.stringify(report), /wrong-password-123/);
  });

  test('a password given apart from a URL without one is used (as the extension passes stored secrets)', async () => {
    const database = await seededDatabase(server());
    const bare = server().url(database).replace(`:${server().password}@`, '@');
    const report = await runMigrations([fixture('empty.sql')], {
      mode: 'verify', backend: pgBackend({ connectionString: bare, password: server().password }),
    });
    assert.equal(report.error, undefined);
    assert.equal(report.server!.database, database);
  });

  test('a drop inside a DO block whose condition does not hold is skipped, not a mismatch', async () => {
    const url = server().url(await seededDatabase(server()));
    await sql(url, 'CREATE INDEX idx_lessons_title ON lessons (title)');
    const guarded = file('guarded-drop.sql', "DO $$ BEGIN IF false THEN DROP INDEX idx_lessons_title; END IF; END $$;");
    const report = await run(url, [guarded], 'dry-run');
    assert.equal(report.outcome, 'succeeded', JSON.stringify(report.error));
    assert.deepEqual(report.verification.map((c) => [c.name, c.status]), [['idx_lessons_title', 'skipped']]);
    const plain = await run(url, [file('drop.sql', 'DROP INDEX idx_lessons_title;')], 'dry-run');
    assert.deepEqual(plain.verification.map((c) => [c.name, c.status]), [['idx_lessons_title', 'ok']]);
  });

  test('a run whose signal is already aborted runs nothing and commits nothing', async () => {
    const url = server().url(await seededDatabase(server()));
    const controller = new AbortController();
    controller.abort();
    const report = await run(url, [fixture('half-applied.sql')], 'apply', { signal: controller.signal });
    assert.equal(report.outcome, 'cancelled');
    assert.equal(report.committed, false);
    assert.ok(report.statements.every((s) => s.status === 'skipped'));
    assert.equal(await tableExists(url, 'drydock_probe'), false);
  });

  test('a run given an expected server refuses a connection that reaches another one, before sending anything', async () => {
    const url = server().url(await seededDatabase(server()));
    const [identity] = await sql<{ id: string; db: string; port: string }>(url, "SELECT system_identifier::text AS id, current_database() AS db, current_setting('port') AS port FROM pg_control_system()");
    const wrong = await run(url, [fixture('half-applied.sql')], 'apply', { expectedServer: { systemIdentifier: '42', database: identity!.db, port: identity!.port } });
    assert.equal(wrong.outcome, 'refused');
    assert.equal(wrong.committed, false);
    assert.equal(wrong.error!.title, 'Not the expected server');
    assert.equal(wrong.statements.length, 0);
    assert.equal(await tableExists(url, 'drydock_probe'), false);
    const right = await run(url, [fixture('empty.sql')], 'apply', { expectedServer: { systemIdentifier: identity!.id, database: identity!.db, port: identity!.port } });
    assert.equal(right.outcome, 'succeeded', JSON.stringify(right.error));
  });

  test('case-sensitive table names are verified and looked up quoted', async () => {
    const url = server().url(await seededDatabase(server()));
    const report = await run(url, [file('quoted.sql', 'CREATE TABLE "Order Items" ("orderId" int, note text);\nCREATE INDEX idx_order_items_order_id ON "Order Items" ("orderId");\nALTER TABLE "Order Items" ADD CONSTRAINT chk_order_items_note CHECK (note <> \'\');')], 'dry-run');
    assert.equal(report.outcome, 'succeeded', JSON.stringify(report.error));
    assert.deepEqual(report.verification.map((c) => [c.name, c.status]), [['idx_order_items_order_id', 'ok'], ['chk_order_items_note', 'ok']]);
    assert.ok(report.indexUsage.some((u) => u.index === 'idx_order_items_order_id'));
  });

  test('libpq key=value strings connect, and a separately given password may contain %', async () => {
    const database = await seededDatabase(server());
    const pg = server();
    const keywords = `host=127.0.0.1 port=${pg.port} dbname=${database} user=${pg.user} password='${pg.password}'`;
    const viaKeywords = await runMigrations([fixture('empty.sql')], { mode: 'verify', backend: pgBackend({ connectionString: keywords }) });
    assert.equal(viaKeywords.error, undefined);
    assert.equal(viaKeywords.server!.database, database);
    await sql(pg.url(database), "CREATE ROLE pct_user LOGIN PASSWORD 'a%41b c'");
    const bare = `postgres://pct_user@127.0.0.1:${pg.port}/${database}`;
    const withPercent = await runMigrations([fixture('empty.sql')], { mode: 'verify', backend: pgBackend({ connectionString: bare, password: 'a%41b c' }) });
    assert.equal(withPercent.error, undefined, JSON.stringify(withPercent.error));
    assert.equal(withPercent.server!.user, 'pct_user');
    await sql(pg.url(database), 'DROP ROLE pct_user');
  });
});
