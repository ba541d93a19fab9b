// Runs through the language server's workspace/executeCommand, over stdio: a dry-run on the PGlite
// shadow and on a real PostgreSQL returning the RunReport the CLI prints (the database unchanged),
// progress and the runFinished notification, cancelling a running statement with $/cancelRequest,
// apply refused without a development mark or with another server's identity (and done with the
// right one), and no password in anything the server sends.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CancellationTokenSource } from 'vscode-languageserver-protocol/node';
import type { RunReport } from '../../../src/core/model/report';
import type { FixQueryResult, IdentifyResult, PlanRunResult, RunFinishedParams, RunResult, WireConnection } from '../../../src/server/protocol';
import { sql } from '../../support/database';
import { fingerprint, fingerprintDiff } from '../../support/fingerprint';
import { LspTestClient, uriOf } from '../../support/lspClient';
import { startLspOnPostgres, stopLspOnPostgres, type LspOnPostgres } from '../../support/lspOnPostgres';
import type { ThrowawayPostgres } from '../../support/throwawayPostgres';
import { writeFolder } from '../shadow/folders';

const ACCOUNTS = 'CREATE TABLE accounts (id bigint PRIMARY KEY, email text);\n';
const EMAIL_INDEX = 'CREATE INDEX accounts_email ON accounts (email);\n';
const SLEEP = 'DO $$ BEGIN PERFORM pg_sleep(30); END $$;\n';

function ran(result: RunResult): Extract<RunResult, { status: 'ran' }> {
  assert.equal(result.status, 'ran', JSON.stringify(result));
  return result as Extract<RunResult, { status: 'ran' }>;
}

function finished(client: LspTestClient, runId: string): Promise<RunFinishedParams> {
  return client.until(`runFinished ${runId}`, () => client.notifications.find((n) => n.method === 'drydock/runFinished' && (n.params as RunFinishedParams).runId === runId)?.params as RunFinishedParams | undefined);
}

test('dry-run on the PGlite shadow through executeCommand: the report, progress and runFinished; nothing committed', async () => {
  const root = writeFolder({ 'migrations/001_accounts.sql': ACCOUNTS, 'migrations/002_email_index.sql': EMAIL_INDEX });
  const storage = fs.mkdtempSync(path.join(os.tmpdir(), 'drydock-lsp-storage-'));
  const client = LspTestClient.start();
  try {
    await client.initialize(root, { storagePath: storage, dryRunOnSave: false });
    const target = uriOf(path.join(root, 'migrations', '002_email_index.sql'));
    const result = ran(await client.executeCommand<RunResult>('drydock.server.dryRun', { targets: [target], runId: 'shadow-1' }));
    const report: RunReport = result.report;
    assert.equal(report.mode, 'dry-run');
    assert.equal(report.outcome, 'succeeded');
    assert.equal(report.committed, false);
    assert.equal(report.shadow?.kind, 'pglite');
    assert.equal(report.shadow?.history, 1);
    assert.deepEqual(report.statements.map((s) => s.status), ['ok']);
    assert.ok(report.diagnostics.some((d) => d.ruleId === 'require-concurrent-index-creation'));
    assert.equal(result.request.connectionName, 'shadow');
    const announced = await finished(client, 'shadow-1');
    assert.equal(announced.trigger, 'command');
    assert.ok(client.notifications.some((n) => n.method === '$/progress' && (n.params as { value: { kind: string } }).value.kind === 'begin'));
    assert.ok(fs.readdirSync(path.join(storage, 'shadow')).length > 0, 'snapshots go to the storage folder the client named');
  } finally {
    assert.equal(await client.stop(), 0);
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(storage, { recursive: true, force: true });
  }
});

test('saving a migration with nothing configured dry-runs it on the shadow; a failed statement becomes a run diagnostic at its place', async () => {
  const broken = 'ALTER TABLE accounts ADD COLUMN note text;\nALTER TABLE missing ADD COLUMN x bigint;\n';
  const root = writeFolder({ 'migrations/001_accounts.sql': ACCOUNTS, 'migrations/002_broken.sql': broken });
  const storage = fs.mkdtempSync(path.join(os.tmpdir(), 'drydock-lsp-storage-'));
  const client = LspTestClient.start();
  try {
    await client.initialize(root, { storagePath: storage });
    const uri = client.open(path.join(root, 'migrations', '002_broken.sql'), broken);
    await client.diagnosticsOf(uri, () => true);
    void client.connection.sendNotification('textDocument/didSave', { textDocument: { uri } });
    const announced = await client.until('a dry-run on save', () => client.notifications.find((n) => n.method === 'drydock/runFinished')?.params as RunFinishedParams | undefined);
    assert.equal(announced.trigger, 'save');
    assert.equal(announced.report.outcome, 'failed');
    assert.equal(announced.report.committed, false);
    const shown = await client.diagnosticsOf(uri, (d) => d.some((x) => x.source === 'drydock run'));
    const failure = shown.find((d) => d.source === 'drydock run')!;
    assert.equal(failure.code, '42P01');
    assert.equal(failure.range.start.line, 1);
  } finally {
    assert.equal(await client.stop(), 0);
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(storage, { recursive: true, force: true });
  }
});

test('saving a migration that does not parse dry-runs nothing (its check says why); planRun names the file and line; the next file that parses runs', async () => {
  const halfTyped = 'ALTER TABLE accounts ADD COLUMN note text;\nALTER TABLE accounts ADD COLUMN (\n';
  const parses = 'ALTER TABLE accounts ADD COLUMN note text;\n';
  const root = writeFolder({ 'migrations/001_accounts.sql': ACCOUNTS, 'migrations/002_half.sql': halfTyped, 'migrations/003_note.sql': parses });
  const storage = fs.mkdtempSync(path.join(os.tmpdir(), 'drydock-lsp-storage-'));
  const client = LspTestClient.start();
  try {
    await client.initialize(root, { storagePath: storage });
    const half = client.open(path.join(root, 'migrations', '002_half.sql'), halfTyped);
    const plan = await client.executeCommand<PlanRunResult>('drydock.server.planRun', { targets: [half] });
    assert.equal(plan.status, 'planned');
    assert.deepEqual(plan.status === 'planned' && plan.syntaxErrors.map((e) => [path.basename(e.file), e.line]), [['002_half.sql', 2]]);
    await client.diagnosticsOf(half, (d) => d.some((x) => x.code === 'syntax-error'));
    void client.connection.sendNotification('textDocument/didSave', { textDocument: { uri: half } });
    // Saved after it: had the half-typed file run, this save would find the server busy and run nothing.
    const note = client.open(path.join(root, 'migrations', '003_note.sql'), parses);
    void client.connection.sendNotification('textDocument/didSave', { textDocument: { uri: note } });
    const announced = await client.until('a dry-run on save', () => client.notifications.find((n) => n.method === 'drydock/runFinished')?.params as RunFinishedParams | undefined);
    assert.deepEqual(announced.request.targets, [note]);
    assert.equal(client.notifications.filter((n) => n.method === 'drydock/runFinished').length, 1);
  } finally {
    assert.equal(await client.stop(), 0);
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(storage, { recursive: true, force: true });
  }
});

test('a fix query on a shadow run reads the shadow as the run started: the history replayed (the runner\'s setup first), the target not run, nothing kept', async () => {
  const root = writeFolder({ 'migrations/001_accounts.sql': ACCOUNTS, 'migrations/002_email_index.sql': EMAIL_INDEX });
  const storage = fs.mkdtempSync(path.join(os.tmpdir(), 'drydock-lsp-storage-'));
  const client = LspTestClient.start({ settings: { shadowSetup: ["SET application_name = 'runner-setup'"] } });
  try {
    await client.initialize(root, { storagePath: storage, dryRunOnSave: false });
    const target = uriOf(path.join(root, 'migrations', '002_email_index.sql'));
    ran(await client.executeCommand<RunResult>('drydock.server.dryRun', { targets: [target], runId: 'shadow-fix' }));
    const sqlText = "SELECT count(*)::int AS accounts, to_regclass('accounts_email') IS NULL AS index_absent, current_setting('application_name') AS app FROM accounts";
    const result = await client.executeCommand<FixQueryResult>('drydock.server.runFixQuery', { sql: sqlText, runId: 'shadow-fix' });
    assert.deepEqual(result.fields, ['accounts', 'index_absent', 'app']);
    assert.deepEqual(result.rows, [{ accounts: 0, index_absent: true, app: 'runner-setup' }]);
    // Read-only: a write is refused, and the next run still starts from the history alone.
    await assert.rejects(client.executeCommand('drydock.server.runFixQuery', { sql: 'INSERT INTO accounts VALUES (1, NULL)', runId: 'shadow-fix' }), /read-only/);
    const again = await client.executeCommand<FixQueryResult>('drydock.server.runFixQuery', { sql: 'SELECT count(*)::int AS n FROM accounts', runId: 'shadow-fix' });
    assert.deepEqual(again.rows, [{ n: 0 }]);
  } finally {
    assert.equal(await client.stop(), 0);
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(storage, { recursive: true, force: true });
  }
});

test('an earlier migration that fails on the shadow: the run says it is the history\'s, the target still runs (its own failure at its place, the hover saying it failed and nothing was measured), and the fix query reads the state before the failure', async () => {
  const orders = 'CREATE TABLE orders (id int PRIMARY KEY, qty int);\nINSERT INTO orders VALUES (1, 1), (2, -1);\n';
  const target = 'ALTER TABLE orders ADD CONSTRAINT qty_known CHECK (qty <> -1);\n';
  const root = writeFolder({ 'migrations/001_orders.sql': orders, 'migrations/002_positive.sql': 'ALTER TABLE orders ADD CONSTRAINT qty_positive CHECK (qty > 0);\n', 'migrations/003_target.sql': target });
  const storage = fs.mkdtempSync(path.join(os.tmpdir(), 'drydock-lsp-storage-'));
  const client = LspTestClient.start();
  try {
    await client.initialize(root, { storagePath: storage, dryRunOnSave: false });
    const uri = client.open(path.join(root, 'migrations', '003_target.sql'), target);
    await client.diagnosticsOf(uri, () => true);
    const { report } = ran(await client.executeCommand<RunResult>('drydock.server.dryRun', { targets: [uri], runId: 'history-1' }));
    assert.equal(report.committed, false);
    assert.equal(report.historyFailure?.error.sqlstate, '23514');
    assert.match(report.historyFailure?.file ?? '', /002_positive\.sql$/);
    assert.equal(report.historyFailure?.filesRan, true);
    assert.equal(report.error?.sqlstate, '23514', 'the target\'s own CHECK fails too, on 001\'s rows');
    assert.match(report.error?.file ?? '', /003_target\.sql$/);
    const shown = await client.diagnosticsOf(uri, (d) => d.some((x) => x.source === 'drydock run'));
    assert.equal(shown.filter((d) => d.source === 'drydock run').length, 1, 'only the target\'s own failure is shown in the target');
    const hover = await client.request<{ contents: { value: string } }>('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 3 } });
    assert.match(hover.contents.value, /^\*\*Failed in the last dry-run\*\* \\\(SQLSTATE 23514, [^)]*\\\): nothing was measured/);
    assert.doesNotMatch(hover.contents.value, /No lock on an existing table/);
    const rows = await client.executeCommand<FixQueryResult>('drydock.server.runFixQuery', { sql: 'SELECT count(*)::int AS n FROM orders WHERE NOT qty > 0', runId: 'history-1' });
    assert.deepEqual(rows.rows, [{ n: 1 }]);
  } finally {
    assert.equal(await client.stop(), 0);
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(storage, { recursive: true, force: true });
  }
});

describe('drydock lsp runs on a real PostgreSQL', () => {
  let started: LspOnPostgres;
  let server: ThrowawayPostgres;
  let client: LspTestClient;
  let root: string;
  let url: string;
  let connection: WireConnection;
  before(async () => {
    // The password travels in the request, in memory: nowhere in what the server sends back.
    started = await startLspOnPostgres({ 'migrations/002_email_index.sql': EMAIL_INDEX, 'migrations/003_sleep.sql': SLEEP }, [ACCOUNTS]);
    ({ server, client, root, url, connection } = started);
  });
  after(() => stopLspOnPostgres(started));

  test('dry-run returns the report with the server, and the database is unchanged', async () => {
    const before = await fingerprint(url);
    const result = ran(await client.executeCommand<RunResult>('drydock.server.dryRun', { targets: [uriOf(path.join(root, 'migrations', '002_email_index.sql'))], connection }));
    assert.equal(result.report.outcome, 'succeeded');
    assert.equal(result.report.committed, false);
    assert.equal(result.report.server?.database, url.split('/').pop());
    assert.ok(result.report.statements[0]!.locks.some((l) => l.mode === 'ShareLock' && !l.createdInRun), JSON.stringify(result.report.statements[0]!.locks));
    assert.equal(result.connectionLabel.includes(server.password), false);
    const after = await fingerprint(url);
    assert.equal(after, before, fingerprintDiff(before, after));
  });

  test('$/cancelRequest on a running dry-run cancels the statement in flight; the run reports cancelled', async () => {
    const source = new CancellationTokenSource();
    const pending = client.connection.sendRequest<RunResult>('workspace/executeCommand', {
      command: 'drydock.server.dryRun', arguments: [{ targets: [uriOf(path.join(root, 'migrations', '003_sleep.sql'))], connection, runId: 'sleepy' }],
    }, source.token).catch((err: unknown) => err);
    // Cancelled once PostgreSQL is running the sleep (what the server's session is doing, not a clock).
    for (;;) {
      const rows = await sql<{ n: number }>(url, "SELECT count(*)::int AS n FROM pg_stat_activity WHERE query LIKE '%pg_sleep(30)%' AND pid <> pg_backend_pid() AND state = 'active'");
      if (rows[0]!.n > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    source.cancel();
    const announced = await finished(client, 'sleepy');
    assert.equal(announced.report.outcome, 'cancelled');
    assert.equal(announced.report.committed, false);
    await pending;
    const still = await sql<{ n: number }>(url, "SELECT count(*)::int AS n FROM pg_stat_activity WHERE query LIKE '%pg_sleep(30)%' AND pid <> pg_backend_pid() AND state = 'active'");
    assert.equal(still[0]!.n, 0);
  });

  test('apply is refused without a confirmed development mark, and with another server\'s identity; nothing changes', async () => {
    const before = await fingerprint(url);
    const target = uriOf(path.join(root, 'migrations', '002_email_index.sql'));
    const unmarked = await client.executeCommand<RunResult>('drydock.server.apply', { targets: [target], connection });
    assert.equal(unmarked.status, 'refused');
    assert.match((unmarked as { reason: string }).reason, /no development-database mark/);
    const elsewhere = await client.executeCommand<RunResult>('drydock.server.apply', {
      targets: [target], connection, confirmedDevMark: { systemIdentifier: '1', database: 'elsewhere', port: '5432' },
    });
    assert.equal(elsewhere.status, 'refused');
    assert.match((elsewhere as { reason: string }).reason, /now reaches server .* not the development database it was marked on/);
    const after = await fingerprint(url);
    assert.equal(after, before, fingerprintDiff(before, after));
  });

  test('apply with the identity the client confirmed (from identify) commits', async () => {
    const identified = await client.executeCommand<IdentifyResult>('drydock.server.identify', { connection });
    assert.equal(identified.identity.database, url.split('/').pop());
    const result = ran(await client.executeCommand<RunResult>('drydock.server.apply', {
      targets: [uriOf(path.join(root, 'migrations', '002_email_index.sql'))], connection, confirmedDevMark: identified.identity,
    }));
    assert.equal(result.report.committed, true);
    const indexes = await sql<{ n: number }>(url, "SELECT count(*)::int AS n FROM pg_indexes WHERE indexname = 'accounts_email'");
    assert.equal(indexes[0]!.n, 1);
  });

  test('a password in a connection, even one that fails, appears in nothing the server sends', async () => {
    const secret = 'Sekret-Pa55-in-a-url';
    const failing: WireConnection = { name: 'broken', settings: { connectionString: `postgres://nobody:${secret}@127.0.0.1:1/none`, connectTimeoutMs: 2000 } };
    const outcome = await client.executeCommand<RunResult>('drydock.server.dryRun', { targets: [uriOf(path.join(root, 'migrations', '002_email_index.sql'))], connection: failing })
      .catch((err: unknown) => err);
    assert.ok(outcome);
    await client.executeCommand('drydock.server.identify', { connection: failing }).catch(() => undefined);
    await client.executeCommand('drydock.server.runFixQuery', { sql: 'SELECT 1', connection }).catch(() => undefined);
    assert.equal(client.traffic.includes(secret), false, 'the failing connection\'s password');
    assert.equal(client.traffic.includes(server.password), false, 'the working connection\'s password');
  });
});
