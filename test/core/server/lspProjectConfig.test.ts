// The editor's shadow replays a history that needs the project runner's setup: the language server
// reads shadowSetup and tool from drydock.json (the editor's own drydock.shadowSetup winning), and
// says in its log which it used. Over LSP, on the real PGlite shadow.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import type { RunResult } from '../../../src/server/protocol';
import { LspTestClient, uriOf } from '../../support/lspClient';
import { writeFolder } from '../shadow/folders';

const FILES = {
  'drydock.json': JSON.stringify({ shadowSetup: 'runner/setup.sql', tool: 'goose' }),
  'runner/setup.sql': 'CREATE SCHEMA IF NOT EXISTS app;\nSET search_path = app, public;\n',
  'migrations/001_items.sql': '-- +goose Up\nCREATE TABLE items (id bigint PRIMARY KEY);\n',
  'migrations/002_note.sql': '-- +goose Up\nALTER TABLE app.items ADD COLUMN note text;\n',
};

async function dryRun(settings: Record<string, unknown>): Promise<{ result: RunResult; logs: string[] }> {
  const root = writeFolder(FILES);
  const storage = fs.mkdtempSync(path.join(os.tmpdir(), 'drydock-lsp-storage-'));
  const client = LspTestClient.start({ settings });
  try {
    await client.initialize(root, { storagePath: storage, dryRunOnSave: false });
    const target = uriOf(path.join(root, 'migrations', '002_note.sql'));
    const result = await client.executeCommand<RunResult>('drydock.server.dryRun', { targets: [target], runId: 'project-1' });
    const logs = client.notifications.filter((n) => n.method === 'window/logMessage').map((n) => (n.params as { message: string }).message);
    return { result, logs };
  } finally {
    assert.equal(await client.stop(), 0);
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(storage, { recursive: true, force: true });
  }
}

test('the editor\'s shadow sends drydock.json\'s shadowSetup first and replays as its tool, and the log says so', async () => {
  const { result, logs } = await dryRun({});
  assert.equal(result.status, 'ran', JSON.stringify(result));
  if (result.status !== 'ran') return;
  assert.equal(result.report.outcome, 'succeeded', JSON.stringify(result.report.error));
  assert.equal(result.report.shadow?.tool, 'goose');
  assert.equal(result.report.shadow?.history, 1);
  assert.ok(logs.some((l) => /shadow setup from .*drydock\.json's shadowSetup \(.*setup\.sql\)/.test(l)), logs.join('\n'));
  assert.ok(logs.some((l) => /migration tool goose/.test(l)), logs.join('\n'));
});

test('must not: the editor\'s own drydock.shadowSetup replaces drydock.json\'s (and without the runner\'s schema the history fails)', async () => {
  const { result, logs } = await dryRun({ shadowSetup: ['SET search_path = public'] });
  assert.equal(result.status, 'ran', JSON.stringify(result));
  if (result.status !== 'ran') return;
  assert.notEqual(result.report.outcome, 'succeeded');
  assert.ok(logs.some((l) => /drydock\.shadowSetup \(editor setting\) replaces .*drydock\.json's shadowSetup/.test(l)), logs.join('\n'));
});

test('startAfter in the editor: an old migration shows no findings, a later one does (judged with the schema the old ones taught)', async () => {
  const old = 'CREATE TABLE users (id int PRIMARY KEY);\n';
  const later = 'CREATE INDEX users_id ON users (id);\n';
  const root = writeFolder({ 'drydock.json': JSON.stringify({ startAfter: 1 }), 'migrations/001_users.sql': old, 'migrations/002_index.sql': later });
  const client = LspTestClient.start();
  try {
    await client.initialize(root, { dryRunOnSave: false });
    const laterUri = client.open(path.join(root, 'migrations', '002_index.sql'), later);
    const judged = await client.diagnosticsOf(laterUri, (d) => d.length > 0);
    assert.ok(judged.some((d) => d.code === 'require-concurrent-index-creation'), JSON.stringify(judged));
    const oldUri = client.open(path.join(root, 'migrations', '001_users.sql'), old);
    assert.deepEqual(await client.diagnosticsOf(oldUri, () => true), []);
  } finally {
    assert.equal(await client.stop(), 0);
    fs.rmSync(root, { recursive: true, force: true });
  }
});
