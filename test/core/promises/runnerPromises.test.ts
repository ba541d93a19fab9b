// A dry-run never commits and an apply is all or nothing, whatever the file and its settings say:
// attacks that silence the transaction-control rule, transaction control hidden in DO blocks and
// procedures, and a fault that slips a transaction-ending statement past the runner's send check.
// Every attack fingerprints the database and the cluster before and after (support.ts).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { PgliteInstance } from '../../../src/core/db/pglite/pgliteInstance';
import { pgliteBackend } from '../../../src/core/db/pglite/pgliteBackend';
import { DEFAULT_LINT_SETTINGS, type LintSettings } from '../../../src/core/model/lintSettings';
import { renderRunReport } from '../../../src/core/output/formats';
import type { MigrationFile } from '../../../src/core/run/runner';
import { withSession } from '../../../src/core/db/withSession';
import { fingerprint, fingerprintDiff, fingerprintWith } from '../../support/fingerprint';
import { ATTACK_SCHEMA, describeAttacked, exec, runAt, runOn, severities, smugglingBackend } from './support';

const file = (text: string, path = 'attack.sql'): MigrationFile => ({ path, text });

/** Files that silence the transaction-control rule around a statement that would end the run's transaction. */
const SILENCED: { name: string; text: string; settings: LintSettings }[] = [
  { name: 'drydock-ignore above COMMIT', text: "INSERT INTO t VALUES (2, 'x');\n-- drydock-ignore transaction-control\nCOMMIT;\nINSERT INTO t VALUES (3, 'y');", settings: DEFAULT_LINT_SETTINGS },
  { name: 'drydock-ignore-file, COMMIT AND CHAIN', text: "-- drydock-ignore-file transaction-control\nINSERT INTO t VALUES (2, 'x');\nCOMMIT AND CHAIN;\nINSERT INTO t VALUES (3, 'y');", settings: DEFAULT_LINT_SETTINGS },
  { name: 'squawk-ignore above PREPARE TRANSACTION', text: "UPDATE t SET note = 'locked';\n-- squawk-ignore transaction-control\nPREPARE TRANSACTION 'held';", settings: DEFAULT_LINT_SETTINGS },
  { name: 'drydock.json turns the rule off, ROLLBACK AND CHAIN', text: "INSERT INTO t VALUES (2, 'x');\nROLLBACK AND CHAIN;\nINSERT INTO t VALUES (3, 'y');", settings: severities({ 'transaction-control': 'off' }) },
  { name: 'drydock.json makes it a warning, END', text: "INSERT INTO t VALUES (2, 'x');\nEND;", settings: severities({ 'transaction-control': 'warning' }) },
  { name: 'ignored START TRANSACTION after a commit-less block', text: "SELECT 1;\n-- drydock-ignore transaction-control\nCOMMIT;\nSTART TRANSACTION;\nINSERT INTO t VALUES (2, 'x');", settings: DEFAULT_LINT_SETTINGS },
  { name: 'syntax-error ignored file-wide above a broken statement', text: "-- drydock-ignore-file syntax-error\nINSERT INTO t VALUES (2, 'x');\nSELEC broken;", settings: severities({ 'syntax-error': 'off' }) },
  { name: 'COPY FROM STDIN with its rule off', text: 'INSERT INTO t VALUES (2, \'x\');\nCOPY t FROM STDIN;', settings: severities({ 'copy-from-stdin': 'off' }) },
  { name: 'a BEGIN READ ONLY block, whose INSERT PostgreSQL refuses', text: "BEGIN READ ONLY;\nINSERT INTO t VALUES (2, 'x');\nCOMMIT;", settings: DEFAULT_LINT_SETTINGS },
  { name: 'SET TRANSACTION ISOLATION LEVEL inside a block, ignored', text: "BEGIN;\n-- drydock-ignore transaction-control\nSET TRANSACTION ISOLATION LEVEL SERIALIZABLE;\nINSERT INTO t VALUES (2, 'x');\nCOMMIT;", settings: DEFAULT_LINT_SETTINGS },
  { name: 'psql meta-command with its rule off', text: "INSERT INTO t VALUES (2, 'x');\n\\set ON_ERROR_STOP off\nCOMMIT;", settings: severities({ 'psql-meta-command': 'off', 'transaction-control': 'off' }) },
];

/** Transaction control the server itself refuses inside the run's transaction block (2D000). */
// A DO block whose body COMMITs or ROLLBACKs needs no transaction, as VACUUM: a dry-run never sends it, an apply refuses the file.
const DO_BLOCKS: { name: string; text: string }[] = [
  { name: 'DO block that commits', text: "INSERT INTO t VALUES (2, 'x');\nDO $$ BEGIN COMMIT; END $$;\nINSERT INTO t VALUES (3, 'y');" },
  { name: 'DO block that rolls back and chains', text: "INSERT INTO t VALUES (2, 'x');\nDO $$ BEGIN ROLLBACK AND CHAIN; END $$;" },
];

const INSIDE_CODE: { name: string; text: string; sqlstate?: string }[] = [
  { name: 'CALL of a procedure that commits', text: "INSERT INTO t VALUES (2, 'x');\nCALL p_commit();" },
  { name: 'CALL of a procedure that rolls back', text: "INSERT INTO t VALUES (2, 'x');\nCALL p_rollback();\nINSERT INTO t VALUES (3, 'y');" },
  { name: 'dynamic COMMIT in a DO block', text: "DO $$ BEGIN INSERT INTO t VALUES (2, 'x'); EXECUTE 'COMMIT'; END $$;", sqlstate: '0A000' },
];

describeAttacked((major) => `a dry-run never commits, an apply is all or nothing (PostgreSQL ${major})`, ({ fresh }) => {

  test('silencing a runnability rule (ignores, squawk-ignore, drydock.json off or warning) never lets the statement be sent', async () => {
    for (const attack of SILENCED) {
      for (const mode of ['dry-run', 'apply'] as const) {
        const url = await fresh();
        const before = await fingerprint(url);
        const report = await runAt(url, [file(attack.text)], mode, attack.settings);
        assert.equal(report.outcome, 'refused', `${attack.name} (${mode}): ${report.outcome}`);
        assert.equal(report.committed, false);
        assert.equal(report.server, null, 'refused before connecting');
        assert.ok(report.statements.every((s) => s.status === 'skipped'), attack.name);
        assert.ok(report.diagnostics.some((d) => d.severity === 'error'), `${attack.name}: the refusal says why`);
        assert.equal(fingerprintDiff(before, await fingerprint(url)), 'identical', `${attack.name} (${mode})`);
      }
    }
  });

  test('transaction control inside DO blocks and procedures fails inside the run\'s transaction: nothing stays', async () => {
    for (const attack of INSIDE_CODE) {
      for (const mode of ['dry-run', 'apply'] as const) {
        const url = await fresh();
        const before = await fingerprint(url);
        const report = await runAt(url, [file(attack.text)], mode);
        assert.equal(report.outcome, 'failed', `${attack.name} (${mode})`);
        assert.equal(report.committed, false);
        assert.equal(report.error?.sqlstate, attack.sqlstate ?? '2D000', `${attack.name}: ${JSON.stringify(report.error)}`);
        assert.equal(fingerprintDiff(before, await fingerprint(url)), 'identical', `${attack.name} (${mode})`);
      }
    }
  });

  test('a DO block that COMMITs or ROLLBACKs is never sent: a dry-run reports it not executed, an apply refuses the file; nothing stays', async () => {
    for (const attack of DO_BLOCKS) {
      for (const mode of ['dry-run', 'apply'] as const) {
        const url = await fresh();
        const before = await fingerprint(url);
        const report = await runAt(url, [file(attack.text)], mode);
        assert.equal(report.outcome, mode === 'dry-run' ? 'succeeded' : 'refused', `${attack.name} (${mode})`);
        assert.equal(report.committed, false);
        const block = report.statements.find((st) => st.kind === 'DO');
        assert.equal(block?.status, mode === 'dry-run' ? 'simulated' : 'skipped', attack.name);
        assert.equal(fingerprintDiff(before, await fingerprint(url)), 'identical', `${attack.name} (${mode})`);
      }
    }
  });

  test('a COMMIT slipped past the send check is reported as committed, by that statement, and stops the run', async () => {
    const url = await fresh();
    const backend = smugglingBackend(url, { 'SELECT 424242': 'COMMIT' });
    const report = await runOn(backend, [file("INSERT INTO t VALUES (2, 'x');\nSELECT 424242;\nINSERT INTO t VALUES (3, 'y');")], 'dry-run');
    assert.equal(report.outcome, 'failed');
    assert.equal(report.committed, true, 'the report tells the truth: the insert before it is in the database');
    assert.deepEqual(report.transactionEnded, { file: 'attack.sql', line: 2, kind: 'SELECT', effect: 'committed' });
    assert.equal(report.error?.sqlstate, 'DRY05');
    assert.match(report.error!.message, /COMMITTED/);
    assert.deepEqual(report.statements.map((s) => s.status), ['ok', 'failed', 'skipped']);
    const text = renderRunReport(report, 'text', { color: false, baseDir: '.', toolVersion: 'test', secrets: [] });
    assert.match(text.split('\n').at(-1)!, /^failed: committed by attack\.sql:2 \(SELECT\), in part/);
    assert.ok(!/rolled back,/.test(text.split('\n').at(-1)!));
    const rows = await fingerprint(url);
    assert.match(rows, /public\.t 2 /, 'row 2 was committed, as the report says');
  });

  test('a PREPARE TRANSACTION slipped past the send check is rolled back by Drydock: nothing of the run stays, no lock is held', async () => {
    for (const mode of ['dry-run', 'apply'] as const) {
      const url = await fresh();
      const before = await fingerprint(url);
      const backend = smugglingBackend(url, { "SELECT 'smuggled'": "PREPARE TRANSACTION 'smuggled'" });
      const report = await runOn(backend, [file("UPDATE t SET note = 'locked';\nSELECT 'smuggled';")], mode);
      assert.equal(report.outcome, 'failed');
      assert.equal(report.committed, false);
      // The statement's own tree is a SELECT (the fault swapped its text), so Drydock cannot name what was prepared: it says so.
      assert.equal(report.transactionEnded?.effect, 'prepared');
      assert.match(report.error!.message, /pg_prepared_xacts lists it/);
      const held = await fingerprint(url);
      assert.match(held, /## preparedTransactions\nsmuggled /, 'the report is true: a prepared transaction holds the update');
      await exec(url, "ROLLBACK PREPARED 'smuggled'");
      assert.equal(fingerprintDiff(before, await fingerprint(url)), 'identical', mode);
    }
  });

  test('statements a pipeline ran after a smuggled COMMIT ran on their own: reported as committed, not as skipped', async () => {
    const url = await fresh();
    await exec(url, 'CREATE TABLE fresh_table (x int)');
    const backend = smugglingBackend(url, { 'SELECT 424242': 'COMMIT' });
    // Statements on a table created in the run are quiet: they share one pipeline.
    const report = await runOn(backend, [file('CREATE TABLE n (x int);\nINSERT INTO n VALUES (1);\nSELECT 424242;\nINSERT INTO n VALUES (2);\nINSERT INTO n VALUES (3);')], 'dry-run');
    assert.equal(report.transactionEnded?.effect, 'committed');
    assert.deepEqual(report.statements.map((s) => s.status), ['ok', 'ok', 'failed', 'ok', 'ok']);
    assert.match(await fingerprint(url), /public\.n 3 /, 'all three rows are in the database, as the report says');
  });

  test('a ROLLBACK slipped past the send check fails the apply: nothing is committed', async () => {
    const url = await fresh();
    const before = await fingerprint(url);
    const backend = smugglingBackend(url, { 'SELECT 424242': 'ROLLBACK' });
    const report = await runOn(backend, [file("INSERT INTO t VALUES (2, 'x');\nSELECT 424242;\nINSERT INTO t VALUES (3, 'y');")], 'apply');
    assert.equal(report.outcome, 'failed');
    assert.equal(report.committed, false);
    assert.equal(report.transactionEnded?.effect, 'rolled-back');
    assert.equal(fingerprintDiff(before, await fingerprint(url)), 'identical');
  });

  test('outside a transaction (a no-transaction apply), a statement that opens one is rolled back and stops the run', async () => {
    const url = await fresh();
    const backend = smugglingBackend(url, { 'SELECT 424242': 'BEGIN' });
    const report = await runOn(backend, [file("-- drydock:no-transaction\nCREATE INDEX CONCURRENTLY t_note ON t (note);\nSELECT 424242;\nINSERT INTO t VALUES (3, 'y');")], 'apply');
    assert.equal(report.transactional, false);
    assert.equal(report.outcome, 'failed');
    assert.equal(report.transactionEnded?.effect, 'opened');
    assert.deepEqual(report.statements.map((s) => s.status), ['ok', 'failed', 'skipped']);
    const after = await fingerprint(url);
    assert.match(after, /t_note/, 'the index before it stays: a no-transaction apply commits statement by statement');
    assert.doesNotMatch(after, /public\.t 2 /);
  });
});

describe('a dry-run on PGlite never commits', () => {
  let instance: PgliteInstance;
  before(async () => {
    instance = await PgliteInstance.boot({ dataDir: null, extensions: [] });
    await instance.db.exec(ATTACK_SCHEMA);
  });
  after(async () => { await instance.close(); });
  const backend = () => pgliteBackend(instance);
  const print = () => withSession(backend(), (session) => fingerprintWith(async (sql) => (await session.query(sql)).rows, { cluster: false }));

  test('silenced transaction control is refused and DO/CALL commits fail: the instance is unchanged', async () => {
    const before = await print();
    for (const attack of SILENCED) {
      const report = await runOn(backend(), [file(attack.text)], 'dry-run', attack.settings);
      assert.equal(report.outcome, 'refused', attack.name);
    }
    for (const attack of INSIDE_CODE) {
      const report = await runOn(backend(), [file(attack.text)], 'dry-run');
      assert.equal(report.outcome, 'failed', attack.name);
      assert.equal(report.error?.sqlstate, attack.sqlstate ?? '2D000', attack.name);
    }
    for (const attack of DO_BLOCKS) {
      const report = await runOn(backend(), [file(attack.text)], 'dry-run');
      assert.equal(report.statements.find((st) => st.kind === 'DO')?.status, 'simulated', attack.name);
    }
    assert.equal(fingerprintDiff(before, await print()), 'identical');
  });
});
