// The quick fixes over LSP as an editor gets them: a fix that writes a migration names it with the
// folder's next free number (never the fixed file's own), writes CREATE INDEX CONCURRENTLY with IF
// NOT EXISTS, leaves no blank line behind, and opens the new file through window/showDocument; the
// ignores of a statement with several findings are one per rule plus a single "for this file"; after
// a dry-run on a real PostgreSQL fails 23514, the cleanup its fix query found is offered (and only then),
// and the fixed file dry-runs on the same data.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CodeAction, CreateFile, TextDocumentEdit, TextEdit, WorkspaceEdit } from 'vscode-languageserver-protocol/node';
import type { RunResult, WireConnection } from '../../../src/server/protocol';
import { applyEdits, LspTestClient, uriOf } from '../../support/lspClient';
import { startLspOnPostgres, stopLspOnPostgres, type LspOnPostgres } from '../../support/lspOnPostgres';
import { writeFolder } from '../shadow/folders';

const ACCOUNTS = 'CREATE TABLE accounts (id bigint PRIMARY KEY, email text);\n';
// Two statements in one transaction: the index moves to a migration of its own.
const NOTE_AND_INDEX = 'ALTER TABLE accounts ADD COLUMN note text;\n\nCREATE INDEX accounts_note ON accounts (note);\n';
const LATER = 'ALTER TABLE accounts ADD COLUMN nickname text;\n';
// Three rules on one statement (int, varchar, and the lock timeout of an ALTER on an existing table).
const MANY = 'ALTER TABLE accounts ADD COLUMN a int, ADD COLUMN b varchar(20);\n';

function editsOf(edit: WorkspaceEdit | undefined, uri: string): TextEdit[] {
  return (edit?.documentChanges ?? []).flatMap((c) => ('textDocument' in c && c.textDocument.uri === uri ? (c as TextDocumentEdit).edits as TextEdit[] : []));
}

function createdBy(edit: WorkspaceEdit | undefined): string[] {
  return (edit?.documentChanges ?? []).filter((c): c is CreateFile => 'kind' in c && c.kind === 'create').map((c) => c.uri);
}

describe('drydock lsp: quick fixes that write migrations, and the ignores offered', () => {
  let root: string;
  let client: LspTestClient;
  before(async () => {
    root = writeFolder({
      'migrations/001_accounts.sql': ACCOUNTS, 'migrations/002_note.sql': NOTE_AND_INDEX, 'migrations/003_nickname.sql': LATER,
      'migrations/004_many.sql': MANY,
    });
    client = LspTestClient.start();
    await client.initialize(root);
  });
  after(async () => {
    await client.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  async function actionsAt(uri: string, line: number): Promise<CodeAction[]> {
    return client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri }, range: { start: { line, character: 0 }, end: { line, character: 200 } }, context: { diagnostics: client.diagnostics.get(uri) ?? [] },
    });
  }

  test('CONCURRENTLY moved out of 002 goes to 005 (after the folder\'s highest, 004, not 002_…), with IF NOT EXISTS, no gap left in 002, and the new file is shown', async () => {
    const file = path.join(root, 'migrations', '002_note.sql');
    const uri = client.open(file, NOTE_AND_INDEX);
    await client.diagnosticsOf(uri, (d) => d.some((x) => x.code === 'require-concurrent-index-creation'));
    const actions = await actionsAt(uri, 2);
    const move = actions.find((a) => a.title.startsWith('Add CONCURRENTLY'));
    assert.ok(move, JSON.stringify(actions.map((a) => a.title)));
    assert.equal(move.title, 'Add CONCURRENTLY in a migration of its own (005_note_concurrently.sql) that runs outside a transaction');
    const created = uriOf(path.join(root, 'migrations', '005_note_concurrently.sql'));
    assert.deepEqual(createdBy(move.edit), [created]);
    assert.equal(applyEdits(NOTE_AND_INDEX, editsOf(move.edit, uri)), 'ALTER TABLE accounts ADD COLUMN note text;\n');
    assert.equal(applyEdits('', editsOf(move.edit, created)), '-- drydock:no-transaction\nCREATE INDEX CONCURRENTLY IF NOT EXISTS accounts_note ON accounts (note);\n');
    // The editor runs the action's command after the edit: the server asks the client to show the file.
    assert.ok(move.command, 'no command to open the new migration');
    await client.executeCommand(move.command.command, move.command.arguments?.[0]);
    await client.until('the new migration shown', () => client.shownDocuments.includes(created));
  });

  test('a fix that writes no file carries no command (nothing to open)', async () => {
    const uri = uriOf(path.join(root, 'migrations', '004_many.sql'));
    client.open(path.join(root, 'migrations', '004_many.sql'), MANY);
    await client.diagnosticsOf(uri, (d) => d.some((x) => x.code === 'prefer-text-field'));
    const actions = await actionsAt(uri, 0);
    for (const a of actions) assert.equal(a.command, undefined, a.title);
  });

  test('several findings on one statement: one "Ignore <rule> for this statement" per rule, and a single "for this file" entry naming them all', async () => {
    const uri = uriOf(path.join(root, 'migrations', '004_many.sql'));
    const shown = await client.diagnosticsOf(uri, (d) => d.some((x) => x.code === 'prefer-text-field'));
    const rules = [...new Set(shown.filter((d) => d.range.start.line === 0 && d.code !== 'unused-ignore').map((d) => String(d.code)))];
    assert.ok(rules.length >= 2, `rules on the statement: ${rules.join(', ')}`);
    const titles = (await actionsAt(uri, 0)).map((a) => a.title);
    const statementIgnores = titles.filter((t) => t.endsWith('for this statement'));
    assert.deepEqual([...statementIgnores].sort(), rules.map((r) => `Ignore ${r} for this statement`).sort(), JSON.stringify(titles));
    const fileIgnores = titles.filter((t) => t.includes('for this file'));
    assert.equal(fileIgnores.length, 1, JSON.stringify(titles));
    assert.match(fileIgnores[0]!, new RegExp(`^Ignore all ${rules.length} rules here for this file \\(`));
  });

  test('the single file-wide ignore silences every rule it names, and reports no unused ignore', async () => {
    const uri = uriOf(path.join(root, 'migrations', '004_many.sql'));
    const action = (await actionsAt(uri, 0)).find((a) => a.title.includes('for this file'))!;
    const fixed = applyEdits(MANY, editsOf(action.edit, uri));
    assert.match(fixed, /^-- drydock-ignore-file [a-z-]+(, [a-z-]+)+: why this is safe here\n/);
    client.change(uri, fixed);
    const after = await client.diagnosticsOf(uri, (d) => !d.some((x) => x.code === 'prefer-text-field'));
    assert.deepEqual(after.map((d) => d.code), []);
  });
});

describe('drydock lsp: fixes from what a dry-run proved, on a real PostgreSQL', () => {
  let started: LspOnPostgres;
  let client: LspTestClient;
  let root: string;
  let connection: WireConnection;
  const CHECK = 'ALTER TABLE accounts ADD CONSTRAINT chk_level CHECK (level BETWEEN 1 AND 5);\n';
  before(async () => {
    started = await startLspOnPostgres({ 'migrations/002_level_check.sql': CHECK }, [
      'CREATE TABLE accounts (id bigint PRIMARY KEY, level int)', 'INSERT INTO accounts VALUES (1, 3), (2, 9), (3, 0)',
    ]);
    ({ client, root, connection } = started);
  });
  after(() => stopLspOnPostgres(started));

  async function actionsAt(uri: string): Promise<CodeAction[]> {
    return client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 200 } }, context: { diagnostics: client.diagnostics.get(uri) ?? [] },
    });
  }

  test('no cleanup before a run proved rows; after 23514 on 2 rows: the DELETE of those rows, and a VALIDATE migration that deletes them first; the fixed file dry-runs', async () => {
    const file = path.join(root, 'migrations', '002_level_check.sql');
    const uri = client.open(file, CHECK);
    await client.diagnosticsOf(uri, (d) => d.some((x) => x.code === 'constraint-missing-not-valid'));
    const before = (await actionsAt(uri)).map((a) => a.title);
    assert.deepEqual(before.filter((t) => /^Delete /.test(t) || /deleting/.test(t)), [], JSON.stringify(before));

    const failed = await client.executeCommand<RunResult>('drydock.server.dryRun', { targets: [uri], connection });
    assert.equal(failed.status === 'ran' && failed.report.error?.sqlstate, '23514', JSON.stringify(failed));
    const actions = await actionsAt(uri);
    const cleanup = actions.find((a) => a.title === 'Delete the 2 rows that violate chk_level first (found by the last dry-run)');
    assert.ok(cleanup, JSON.stringify(actions.map((a) => a.title)));
    assert.equal(cleanup.isPreferred, false, 'deleting rows is never the preferred fix');
    assert.equal(cleanup.diagnostics?.[0]?.code, '23514');
    const split = actions.find((a) => a.title.includes('VALIDATE CONSTRAINT in a later migration (003_level_check_validate.sql), deleting the 2 rows'));
    assert.ok(split, JSON.stringify(actions.map((a) => a.title)));
    const validate = applyEdits('', editsOf(split.edit, uriOf(path.join(root, 'migrations', '003_level_check_validate.sql'))));
    assert.match(validate, /^-- Found by the last dry-run's fix query[^\n]*\nDELETE FROM accounts\nWHERE NOT \(level BETWEEN 1 AND 5\);\nALTER TABLE accounts VALIDATE CONSTRAINT chk_level;\n$/);

    const fixed = applyEdits(CHECK, editsOf(cleanup.edit, uri));
    fs.writeFileSync(file, fixed);
    client.change(uri, fixed);
    const again = await client.executeCommand<RunResult>('drydock.server.dryRun', { targets: [uri], connection });
    assert.equal(again.status === 'ran' && again.report.outcome, 'succeeded', JSON.stringify(again));
    // The fixed statement ran: the cleanup is no longer offered (nothing failed).
    assert.deepEqual((await actionsAt(uri)).map((a) => a.title).filter((t) => /^Delete /.test(t)), []);
  });
});
