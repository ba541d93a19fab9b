// Authoring in a real extension host: the SQL formatter, "New Migration from Template" (with and
// without a connection), and VS Code's own snippet engine agreeing with the core tests' expander.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { expandSnippet } from '../../core/authoring/snippetExpander';
import { addConnection, createDatabase, drydock, EXTENSION_ID, fixture, query, scriptedPrompts } from '../support';

const NEW_MIGRATION = 'drydock.newMigrationFromTemplate';

function snippets(): Record<string, { prefix: string; body: string[] }> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(extension, `extension ${EXTENSION_ID} is not loaded`);
  return JSON.parse(fs.readFileSync(path.join(extension.extensionPath, 'snippets', 'postgresql-migrations.json'), 'utf8')) as Record<string, { prefix: string; body: string[] }>;
}

async function formatEdits(uri: vscode.Uri): Promise<vscode.TextEdit[]> {
  return (await vscode.commands.executeCommand<vscode.TextEdit[]>('vscode.executeFormatDocumentProvider', uri, { tabSize: 2, insertSpaces: true })) ?? [];
}

/** A fresh database holding `setupSql`, added as the active connection "authoring". */
async function connectedDatabase(setupSql: string): Promise<string> {
  const database = await createDatabase();
  await query(database, setupSql);
  await addConnection('authoring', database, false);
  return database;
}

async function clear(editor: vscode.TextEditor): Promise<void> {
  const document = editor.document;
  await editor.edit((e) => e.delete(new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length))));
}

describe('authoring: formatting, New Migration from Template, snippets', () => {
  before(async () => {
    await drydock();
  });

  it('formats a SQL file with the postgresql dialect and keeps dollar-quoted bodies byte for byte', async () => {
    const uri = fixture('authoring-format.sql');
    const body = '\nBEGIN\n  NEW.updated_at := now();   -- spacing kept\n  RETURN NEW;\nEND\n';
    fs.writeFileSync(uri.fsPath, `create or replace function touch() returns trigger language plpgsql as $fn$${body}$fn$;\nselect a, b from t where c = 1;\n`);
    const document = await vscode.workspace.openTextDocument(uri);
    const edits = await formatEdits(uri);
    assert.ok(edits.length > 0, 'no formatting edit');
    const edit = new vscode.WorkspaceEdit();
    edit.set(uri, edits);
    assert.ok(await vscode.workspace.applyEdit(edit));
    const text = document.getText();
    assert.ok(text.includes(`$fn$${body}$fn$`), text);
    assert.match(text, /SELECT\n  a,\n  b\nFROM\n  t\nWHERE\n  c = 1;/);
    await document.save();
    fs.rmSync(uri.fsPath);
  });

  it('refuses to format a file that does not parse', async () => {
    const uri = fixture('authoring-broken.sql');
    fs.writeFileSync(uri.fsPath, 'CREATE TABLE broken (id int,, name text);\n');
    const before = (await vscode.workspace.openTextDocument(uri)).getText();
    assert.deepEqual(await formatEdits(uri), []);
    assert.equal((await vscode.workspace.openTextDocument(uri)).getText(), before);
    fs.rmSync(uri.fsPath);
  });

  it('writes a numbered migration next to the existing ones and opens it (answers given up front)', async () => {
    await connectedDatabase('CREATE TABLE accounts (id int PRIMARY KEY, email text, created_at timestamptz)');
    const written = await vscode.commands.executeCommand<string[]>(NEW_MIGRATION, {
      kind: 'index', answers: { table: 'accounts', columns: ['email', 'created_at'] }, name: 'index accounts by email',
    });
    assert.equal(written.length, 1);
    assert.match(written[0]!.split(path.sep).join('/'), /\/migrations\/\d{3}_index_accounts_by_email\.sql$/);
    const text = fs.readFileSync(written[0]!, 'utf8');
    assert.match(text, /^-- drydock:no-transaction\n/);
    assert.match(text, /CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_accounts_email_created_at\n  ON accounts \(email, created_at\);/);
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, written[0]);
    fs.rmSync(written[0]!);
  });

  it('asks through the extension\'s prompts when no answers are given: kind, table and columns from the database, predicate, name', async () => {
    await connectedDatabase('CREATE TABLE members (id int PRIMARY KEY, email text, joined_at timestamptz)');
    const api = await drydock();
    const saved = api._private.context.prompts;
    api._private.context.prompts = scriptedPrompts({ picks: ['B-tree index', 'members'], pickedMany: [['email']], inputs: ['', 'index members by email'] });
    try {
      const written = await vscode.commands.executeCommand<string[]>(NEW_MIGRATION);
      assert.equal(written.length, 1);
      assert.match(written[0]!.split(path.sep).join('/'), /\/migrations\/\d{3}_index_members_by_email\.sql$/);
      assert.match(fs.readFileSync(written[0]!, 'utf8'), /CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_members_email\n  ON members \(email\);/);
      fs.rmSync(written[0]!);
    } finally {
      api._private.context.prompts = saved;
    }
  });

  it('with a connection, refuses a GIN index on a column that is not jsonb and writes nothing', async () => {
    await connectedDatabase('CREATE TABLE profiles (id int PRIMARY KEY, goals jsonb, notes text)');
    const refused = await vscode.commands.executeCommand<string[]>(NEW_MIGRATION, { kind: 'gin', answers: { table: 'profiles', columns: ['notes'] }, name: 'gin notes' });
    assert.deepEqual(refused, []);
    const written = await vscode.commands.executeCommand<string[]>(NEW_MIGRATION, { kind: 'gin', answers: { table: 'profiles', columns: ['goals'] }, name: 'gin goals' });
    assert.equal(written.length, 1);
    assert.match(fs.readFileSync(written[0]!, 'utf8'), /USING gin \(goals jsonb_path_ops\)/);
    fs.rmSync(written[0]!);
  });

  it('VS Code expands every snippet exactly as the core tests do (defaults and mirrors)', async () => {
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ language: 'sql', content: '' }));
    for (const [name, snippet] of Object.entries(snippets())) {
      await clear(editor);
      assert.ok(await editor.insertSnippet(new vscode.SnippetString(snippet.body.join('\n')), new vscode.Position(0, 0)), name);
      await vscode.commands.executeCommand('leaveSnippet');
      assert.equal(editor.document.getText(), expandSnippet(snippet.body), name);
    }
  });

  it('names derive as the author types: VS Code applies the transforms as the core tests expect', async () => {
    const byPrefix = new Map(Object.values(snippets()).map((s) => [s.prefix, s.body]));
    const cases: [string, string[], RegExp][] = [
      ['pg-index-composite', ['app.Lessons', 'user_id', 'created_at DESC'], /idx_lessons_user_id_created_at\n  ON app\.Lessons \(user_id, created_at DESC\)/],
      ['pg-unique', ['lessons', 'user_id, slug'], /ADD CONSTRAINT uq_lessons_user_id_slug UNIQUE USING INDEX uq_lessons_user_id_slug/],
      ['pg-check-range', ['lesson_sessions', 'Rating'], /conname = 'chk_lesson_sessions_rating'/],
      ['pg-updated-at', ['public.user_profiles'], /CREATE OR REPLACE TRIGGER update_user_profiles_updated_at/],
      ['pg-index', ['app."Order Items"', 'lower(email)'], /CREATE INDEX IF NOT EXISTS idx_order_items_lower_email\n/],
    ];
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ language: 'sql', content: '' }));
    for (const [prefix, typed, expected] of cases) {
      const body = byPrefix.get(prefix);
      assert.ok(body, prefix);
      await clear(editor);
      await editor.insertSnippet(new vscode.SnippetString(body.join('\n')), new vscode.Position(0, 0));
      for (const [i, text] of typed.entries()) {
        if (i > 0) await vscode.commands.executeCommand('jumpToNextSnippetPlaceholder');
        await vscode.commands.executeCommand('type', { text });
      }
      // VS Code applies a placeholder's transforms when the cursor leaves it (Tab to $0).
      await vscode.commands.executeCommand('jumpToNextSnippetPlaceholder');
      await vscode.commands.executeCommand('leaveSnippet');
      assert.equal(editor.document.getText(), expandSnippet(body, Object.fromEntries(typed.map((t, i) => [i + 1, t]))), prefix);
      assert.match(editor.document.getText(), expected, prefix);
    }
  });
});
