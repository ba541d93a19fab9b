// The language server over stdio, as an editor sees it: capabilities, diagnostics judged as
// `drydock check DIR` judges the file (and what must not be reported), a broken drydock.json shown
// on it, the hover naming the lock, quick fixes and fix-all whose edits give the expected text,
// formatting, and the CLI's `drydock lsp` being the same server.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CodeAction, Hover, InitializeResult, TextEdit, WorkspaceEdit } from 'vscode-languageserver-protocol/node';
import { applyEdits, LspTestClient, uriOf } from '../../support/lspClient';
import { writeFolder } from '../shadow/folders';

const ACCOUNTS = 'CREATE TABLE accounts (id bigint PRIMARY KEY, email text);\n';
const EMAIL_INDEX = 'CREATE INDEX accounts_email ON accounts (email);\n';
// An index on a table created in the same file blocks nobody: must not be reported.
const NOTES = 'CREATE TABLE notes (id bigint PRIMARY KEY, body text);\nCREATE INDEX notes_body ON notes (body);\n';

/** The edits of a code action's workspace edit for one file (changes or document changes). */
function editsOf(edit: WorkspaceEdit | undefined, uri: string): TextEdit[] {
  if (!edit) return [];
  if (edit.changes) return edit.changes[uri] ?? [];
  return (edit.documentChanges ?? []).flatMap((c) => ('textDocument' in c && c.textDocument.uri === uri ? c.edits as TextEdit[] : []));
}

describe('drydock lsp: the editor features', () => {
  let root: string;
  let client: LspTestClient;
  let init: InitializeResult;
  before(async () => {
    root = writeFolder({ 'migrations/001_accounts.sql': ACCOUNTS, 'migrations/002_email_index.sql': EMAIL_INDEX, 'migrations/003_notes.sql': NOTES });
    client = LspTestClient.start();
    init = await client.initialize(root);
  });
  after(async () => {
    const code = await client.stop();
    fs.rmSync(root, { recursive: true, force: true });
    assert.equal(code, 0, 'shutdown then exit ends the server with 0');
  });

  test('initialize lists the capabilities and the server commands', () => {
    const caps = init.capabilities;
    assert.equal(caps.hoverProvider, true);
    assert.equal(caps.documentFormattingProvider, true);
    assert.deepEqual((caps.codeActionProvider as { codeActionKinds: string[] }).codeActionKinds, ['quickfix', 'source.fixAll.drydock']);
    assert.ok(caps.codeLensProvider);
    assert.ok(caps.executeCommandProvider?.commands.includes('drydock.server.dryRun'));
    assert.equal(init.serverInfo?.name, 'drydock');
  });

  test('CREATE INDEX on a table an earlier migration created is reported with its rule id; on a table of the same file it is not', async () => {
    const uri = client.open(path.join(root, 'migrations', '002_email_index.sql'), EMAIL_INDEX);
    const found = await client.diagnosticsOf(uri, (d) => d.some((x) => x.code === 'require-concurrent-index-creation'));
    const finding = found.find((d) => d.code === 'require-concurrent-index-creation')!;
    assert.equal(finding.source, 'drydock');
    assert.equal(finding.range.start.line, 0);
    assert.match(finding.codeDescription?.href ?? '', /docs\/rules\/require-concurrent-index-creation\.md$/);
    const notes = client.open(path.join(root, 'migrations', '003_notes.sql'), NOTES);
    const none = await client.diagnosticsOf(notes, () => true);
    assert.deepEqual(none.filter((d) => d.code === 'require-concurrent-index-creation'), []);
  });

  test('the hover on the CREATE INDEX names the lock it takes and the table', async () => {
    const uri = uriOf(path.join(root, 'migrations', '002_email_index.sql'));
    const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 3 } });
    const text = (hover.contents as { value: string }).value;
    assert.match(text, /SHARE/);
    assert.match(text, /accounts/);
    assert.match(text, /require-concurrent-index-creation/);
  });

  test('the CONCURRENTLY quick fix, applied to the text, gives a file that is no longer reported', async () => {
    const file = path.join(root, 'migrations', '002_email_index.sql');
    const uri = uriOf(file);
    const diagnostics = client.diagnostics.get(uri) ?? [];
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics },
    });
    const concurrently = actions.find((a) => a.title.startsWith('Add CONCURRENTLY'));
    assert.ok(concurrently, `offered: ${actions.map((a) => a.title).join(', ')}`);
    assert.equal(concurrently.isPreferred, true);
    assert.ok(actions.some((a) => /^Ignore require-concurrent-index-creation/.test(a.title)));
    const fixed = applyEdits(EMAIL_INDEX, editsOf(concurrently.edit, uri));
    assert.match(fixed, /CREATE INDEX CONCURRENTLY IF NOT EXISTS accounts_email ON accounts \(email\);/);
    client.change(uri, fixed);
    await client.diagnosticsOf(uri, (d) => !d.some((x) => x.code === 'require-concurrent-index-creation'));
    client.change(uri, EMAIL_INDEX);
    await client.diagnosticsOf(uri, (d) => d.some((x) => x.code === 'require-concurrent-index-creation'));
  });

  test('source.fixAll.drydock applies the safe mechanical fixes of the whole file at once', async () => {
    const text = 'CREATE TABLE things (id int PRIMARY KEY, name varchar(40), at timestamp);\n';
    const file = path.join(root, 'migrations', '004_things.sql');
    fs.writeFileSync(file, text);
    const uri = client.open(file, text);
    await client.diagnosticsOf(uri, (d) => d.some((x) => x.code === 'prefer-timestamp-tz'));
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [], only: ['source.fixAll.drydock'] },
    });
    assert.equal(actions.length, 1);
    assert.equal(actions[0]!.kind, 'source.fixAll.drydock');
    const fixed = applyEdits(text, editsOf(actions[0]!.edit, uri));
    assert.equal(fixed, 'CREATE TABLE things (id bigint PRIMARY KEY, name text, at timestamptz);\n');
  });

  test('a broken drydock.json is a diagnostic on it, and the migrations it governs are not judged by defaults', async () => {
    const config = path.join(root, 'drydock.json');
    const text = '{ "rules": { "no-such-rule": "error" } }\n';
    fs.writeFileSync(config, text);
    const uri = client.open(config, text);
    const problems = await client.diagnosticsOf(uri);
    assert.equal(problems[0]!.code, 'drydock.json');
    fs.rmSync(config);
    void client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  });

  test('formatting returns the edit core\'s formatter makes', async () => {
    const text = 'create table t (id bigint primary key);\n';
    const file = path.join(root, 'scratch.sql');
    const uri = client.open(file, text);
    const edits = await client.request<TextEdit[]>('textDocument/formatting', { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } });
    assert.match(applyEdits(text, edits), /^CREATE TABLE/);
  });
});

test('drydock lsp (the CLI) is the same server: it answers initialize and exits on shutdown + exit', async () => {
  const root = writeFolder({ 'migrations/001.sql': EMAIL_INDEX });
  const client = LspTestClient.start({ entry: 'cli' });
  const init = await client.initialize(root);
  assert.ok(init.capabilities.executeCommandProvider?.commands.includes('drydock.server.apply'));
  assert.equal(await client.stop(), 0);
  fs.rmSync(root, { recursive: true, force: true });
});

test('edits in the middle of a long migration (re-parsed from its last parse) leave the diagnostics a fresh server gives the same text', async () => {
  const statements = Array.from({ length: 160 }, (_, i) => (i % 2 === 0 ? `CREATE INDEX accounts_e${i} ON accounts (email);` : `ALTER TABLE accounts ADD COLUMN c${i} varchar(40);`));
  const text = `${statements.join('\n')}\n`;
  const root = writeFolder({ 'migrations/001_accounts.sql': ACCOUNTS, 'migrations/002_long.sql': text });
  const file = path.join(root, 'migrations', '002_long.sql');
  const editing = LspTestClient.start();
  const fresh = LspTestClient.start();
  try {
    await editing.initialize(root);
    const uri = editing.open(file, text);
    await editing.diagnosticsOf(uri, (d) => d.length > 0);
    let current = text;
    const edits = [
      (t: string) => t.replace('accounts_e80 ON accounts (email);', 'accounts_e80 ON accounts (email, id);\nCREATE TABLE extra (id int);'),
      (t: string) => t.replace('ALTER TABLE accounts ADD COLUMN c41 varchar(40);\n', ''),
      (t: string) => t.replace('c101 varchar(40)', "c101 text DEFAULT 'a;b'"),
      (t: string) => `${t}CREATE INDEX accounts_last ON accounts (id);\n`,
    ];
    for (const edit of edits) {
      const before = editing.diagnostics.get(uri);
      current = edit(current);
      editing.change(uri, current);
      await editing.until('diagnostics after the edit', () => editing.diagnostics.get(uri) !== before);
    }
    await fresh.initialize(root);
    const freshUri = fresh.open(file, current);
    const expected = await fresh.diagnosticsOf(freshUri, (d) => d.length > 0);
    assert.deepEqual(editing.diagnostics.get(uri), expected);
  } finally {
    await editing.stop();
    await fresh.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('an edit\'s check reuses the folder\'s listing, and a migration added on disk since (no notification) is still read: the finding it answers goes', async () => {
  const FK = 'ALTER TABLE notes ADD CONSTRAINT notes_account_fk FOREIGN KEY (account_id) REFERENCES accounts (id) NOT VALID;\n';
  const root = writeFolder({
    'migrations/001_tables.sql': 'CREATE TABLE accounts (id bigint PRIMARY KEY);\nCREATE TABLE notes (id bigint PRIMARY KEY, account_id bigint);\n',
    'migrations/002_fk.sql': FK,
  });
  const client = LspTestClient.start();
  try {
    await client.initialize(root);
    const uri = client.open(path.join(root, 'migrations', '002_fk.sql'), FK);
    const missing = (d: { code?: number | string }[]) => d.some((x) => x.code === 'missing-foreign-key-index');
    await client.diagnosticsOf(uri, missing);
    // Typing: the edit's check lists the folder (nothing changed yet), the next ones reuse that listing.
    client.change(uri, `${FK}-- first edit\n`);
    await client.until('the first edit checked', () => (client.diagnostics.get(uri) ?? []).some((d) => d.range.start.line === 0) && client.diagnostics.get(uri) !== undefined);
    // A later migration that indexes the key arrives on disk (a git pull), with no didChangeWatchedFiles.
    fs.writeFileSync(path.join(root, 'migrations', '003_index.sql'), 'CREATE INDEX CONCURRENTLY IF NOT EXISTS notes_account_id ON notes (account_id);\n');
    client.change(uri, `${FK}-- second edit\n`);
    const after = await client.diagnosticsOf(uri, (d) => !missing(d));
    assert.equal(after.some((d) => d.code === 'missing-foreign-key-index'), false);
  } finally {
    await client.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
});
