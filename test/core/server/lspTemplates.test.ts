// "New Migration from Template" through the language server's workspace/executeCommand, over
// stdio: a template rendered in the project's tool layout and written (the file name the tool
// expects, the text core renders), answers refused with their own message, and the catalog (tables,
// columns a kind can use) read from a real PostgreSQL with the connection's password in the request
// only: nowhere in what the server sends back, a failed connection's error included.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type { CheckTemplateResult, RenderTemplateResult, TemplateCatalogResult, WireConnection } from '../../../src/server/protocol';
import { sql } from '../../support/database';
import { LspTestClient, uriOf } from '../../support/lspClient';
import { startPostgres, type ThrowawayPostgres } from '../../support/throwawayPostgres';
import { writeFolder } from '../shadow/folders';

const PROFILES = 'CREATE TABLE profiles (id bigint PRIMARY KEY, goals jsonb, notes text, updated_at timestamptz);\nCREATE TABLE "Order Items" (id bigint);\n';

test('renderTemplate writes the index migration numbered after the folder\'s last one; checkTemplate names it and refuses bad answers', async () => {
  const root = writeFolder({ 'migrations/001_accounts.sql': 'CREATE TABLE accounts (id bigint PRIMARY KEY, email text);\n' });
  const client = LspTestClient.start();
  try {
    await client.initialize(root, { dryRunOnSave: false });
    const answers = { table: 'accounts', columns: ['email'] };
    const checked = await client.executeCommand<CheckTemplateResult>('drydock.server.checkTemplate', { kind: 'index', answers });
    assert.equal(checked.status, 'ok', JSON.stringify(checked));
    const name = (checked as Extract<CheckTemplateResult, { status: 'ok' }>).defaultName;
    const result = await client.executeCommand<RenderTemplateResult>('drydock.server.renderTemplate', { folder: uriOf(root), project: 'demo', kind: 'index', answers, name });
    assert.equal(result.tool, 'plain');
    assert.equal(result.files.length, 1);
    const written = fileURLToPath(result.files[result.main]!);
    assert.match(path.relative(root, written).split(path.sep).join('/'), /^migrations\/002_[a-z_]+\.sql$/);
    assert.match(fs.readFileSync(written, 'utf8'), /CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_accounts_email\n {2}ON accounts \(email\);/);

    const bad = await client.executeCommand<CheckTemplateResult>('drydock.server.checkTemplate', { kind: 'index', answers: { table: 'accounts', columns: ['email'], where: 'status = ' } });
    assert.equal(bad.status, 'invalid');
    await assert.rejects(client.executeCommand('drydock.server.checkTemplate', { kind: 'view', answers }), /unknown template kind/);
  } finally {
    assert.equal(await client.stop(), 0);
    fs.rmSync(root, { recursive: true, force: true });
  }
});

describe('template catalog and checks on a real PostgreSQL', () => {
  let server: ThrowawayPostgres;
  let client: LspTestClient;
  let root: string;
  let connection: WireConnection;
  const answered: unknown[] = [];
  before(async () => {
    server = await startPostgres();
    const url = server.url(await server.createDatabase());
    await sql(url, PROFILES);
    root = writeFolder({ 'migrations/.keep': '' });
    client = LspTestClient.start();
    await client.initialize(root, { dryRunOnSave: false });
    connection = { name: 'dev', settings: { connectionString: url } };
  });
  after(async () => {
    // The password travelled in the requests only: no answer and no notification (log lines included) holds it.
    const sent = JSON.stringify([answered, client?.notifications]);
    assert.equal(sent.includes(server.password), false);
    await client?.stop();
    await server?.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  const execute = async <R>(command: string, argument: unknown): Promise<R> => {
    const result = await client.executeCommand<R>(command, argument);
    answered.push(result);
    return result;
  };

  test('templateCatalog lists the tables as SQL names, and a table\'s columns a GIN index can use', async () => {
    const tables = await execute<TemplateCatalogResult>('drydock.server.templateCatalog', { connection });
    assert.deepEqual(tables.tables.map((t) => t.sql), ['"Order Items"', 'profiles']);
    const all = await execute<TemplateCatalogResult>('drydock.server.templateCatalog', { connection, table: 'profiles' });
    assert.deepEqual(all.columns.map((c) => c.name), ['id', 'goals', 'notes', 'updated_at']);
    const gin = await execute<TemplateCatalogResult>('drydock.server.templateCatalog', { connection, table: 'profiles', kind: 'gin' });
    assert.deepEqual(gin.columns, [{ name: 'goals', type: 'jsonb' }]);
  });

  test('checkTemplate against the database: a GIN index on a text column and a missing column are refused, a jsonb column is fine', async () => {
    const text = await execute<CheckTemplateResult>('drydock.server.checkTemplate', { kind: 'gin', answers: { table: 'profiles', columns: ['notes'] }, connection });
    assert.equal(text.status, 'invalid');
    assert.match((text as Extract<CheckTemplateResult, { status: 'invalid' }>).problems.join(), /not jsonb/);
    const missing = await execute<CheckTemplateResult>('drydock.server.checkTemplate', { kind: 'index', answers: { table: 'profiles', columns: ['nope'] }, connection });
    assert.match(JSON.stringify(missing), /column nope does not exist/);
    const ok = await execute<CheckTemplateResult>('drydock.server.checkTemplate', { kind: 'gin', answers: { table: 'profiles', columns: ['goals'] }, connection });
    assert.equal(ok.status, 'ok');
  });

  test('a wrong password fails the catalog request with an error that does not show it', async () => {
    const wrong = 'not-the-password-4711';
    const url = new URL(connection.settings.connectionString!);
    url.password = wrong;
    const error = await client.executeCommand('drydock.server.templateCatalog', { connection: { name: 'dev', settings: { connectionString: url.toString() } } }).then(() => null, (err: Error) => err);
    assert.ok(error, 'the request failed');
    assert.equal(error.message.includes(wrong), false, error.message);
    assert.equal(JSON.stringify(client.notifications).includes(wrong), false);
  });
});
