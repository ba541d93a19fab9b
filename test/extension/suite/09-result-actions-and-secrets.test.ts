import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import type { DrydockApi } from '../../../src/extension/extension';
import { addConnection, createDatabase, drydock, filesUnder, fixture, scriptedPrompts, testServer, waitForLogLine } from '../support';

type Node = vscode.TreeItem & { children(): Node[] };

describe('result actions and secrets', () => {
  let api: DrydockApi;
  let errorNode: Node;

  before(async () => {
    api = await drydock();
    // Committed duplicates (apply of 001), then a dry-run of 002 that trips over them: the fix
    // query can then find the rows outside the rolled-back run.
    api._private.context.prompts = scriptedPrompts({ confirm: true });
    await addConnection('dev-actions', await createDatabase(), true);
    await vscode.commands.executeCommand('drydock.applyMigration', fixture('migrations/001_create_accounts.sql'));
    await vscode.commands.executeCommand('drydock.results.clear');
    await vscode.commands.executeCommand('drydock.dryRunMigration', fixture('migrations/002_unique_email.sql'));
    const [run] = api._private.tree.getChildren() as Node[];
    const failed = run!.children().find((s) => s.contextValue === 'drydock.statement.failed');
    const found = failed?.children().find((c) => c.contextValue?.startsWith('drydock.error'));
    assert.ok(found, 'the dry-run produced no error node');
    errorNode = found;
  });

  it('Copy Error puts the SQLSTATE, message and detail on the clipboard', async () => {
    await vscode.commands.executeCommand('drydock.results.copyError', errorNode);
    const text = await vscode.env.clipboard.readText();
    assert.match(text, /^Data conflict — SQLSTATE 23505/);
    assert.match(text, /Detail: Key \(email\)=\(ada@example\.com\) is duplicated/);
  });

  it('Copy SQL puts the statement on the clipboard', async () => {
    const [run] = api._private.tree.getChildren() as Node[];
    const failed = run!.children().find((s) => s.contextValue === 'drydock.statement.failed');
    await vscode.commands.executeCommand('drydock.results.copySql', failed);
    assert.equal(await vscode.env.clipboard.readText(), 'CREATE UNIQUE INDEX accounts_email_key ON accounts (email)');
  });

  it('clicking a failed statement reveals and selects it in the editor', async () => {
    const [run] = api._private.tree.getChildren() as Node[];
    const failed = run!.children().find((s) => s.contextValue === 'drydock.statement.failed');
    const command = failed!.command!;
    await vscode.commands.executeCommand(command.command, ...(command.arguments ?? []));
    const editor = vscode.window.activeTextEditor;
    assert.equal(editor?.document.uri.fsPath, fixture('migrations/002_unique_email.sql').fsPath);
    assert.equal(editor?.document.getText(editor.selection), 'CREATE UNIQUE INDEX accounts_email_key ON accounts (email)');
  });

  it('the fix query opens in a new SQL editor and runs read-only, returning the duplicate rows', async () => {
    assert.equal(errorNode.contextValue, 'drydock.error.fixable');
    await vscode.commands.executeCommand('drydock.results.openFixQuery', errorNode);
    const opened = vscode.window.activeTextEditor?.document;
    assert.equal(opened?.languageId, 'sql');
    assert.equal(opened?.isUntitled, true);
    const result = await vscode.commands.executeCommand<{ fields: string[]; rows: Record<string, unknown>[] }>('drydock.results.runFixQuery', errorNode);
    assert.ok(result && result.rows.length > 0, 'the fix query returned no rows');
    assert.equal(vscode.window.activeTextEditor?.document.languageId, 'markdown');
  });

  it('Re-run repeats the run and the view keeps both', async () => {
    const [run] = api._private.tree.getChildren() as Node[];
    await vscode.commands.executeCommand('drydock.results.rerun', run);
    assert.equal(api._private.tree.getChildren().length, 2);
  });

  it('the password is in no settings file, log file, or status bar text', async () => {
    const password = testServer.password();
    // The log channel writes to disk asynchronously and in order: once this line is there, all are.
    const marker = `secrets check ${Date.now()}`;
    api._private.context.log.info(marker);
    await waitForLogLine(api, new RegExp(marker));
    const userDataDir = process.env.DRYDOCK_TEST_USER_DATA_DIR;
    const candidates = [
      ...(userDataDir ? [...filesUnder(path.join(userDataDir, 'User')).filter((f) => f.endsWith('.json')), ...filesUnder(path.join(userDataDir, 'logs'))] : []),
      ...filesUnder(path.join(api._private.context.extension.logUri.fsPath, '..')),
      ...filesUnder(fixture('.vscode').fsPath),
    ];
    assert.ok(candidates.some((f) => /Drydock/.test(path.basename(f))), `the Drydock log file was not among ${candidates.length} files`);
    for (const file of candidates) {
      assert.equal(fs.readFileSync(file, 'utf8').includes(password), false, `${file} contains the password`);
    }
    const settings = JSON.stringify(vscode.workspace.getConfiguration('drydock').get('connections'));
    assert.equal(settings.includes(password), false);
    assert.equal(api._private.statusBar.text.includes(password), false);
  });
});
