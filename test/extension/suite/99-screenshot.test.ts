// Not a check: when the runner is asked for a screenshot (DRYDOCK_EXT_SCREENSHOT=<dir>/migration-runs.png),
// stage the README's pictures and ask the runner (which drives the browser) to take each: the
// Migration Runs view after a dry-run with one failed statement, and the hover of a statement after
// a dry-run (beside it, hover.png). Rerun: DRYDOCK_EXT_SCREENSHOT=$PWD/docs/images/migration-runs.png
// DRYDOCK_EXT_TEST_FILES=99 node scripts/run-extension-tests.mjs main
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'mocha';
import * as vscode from 'vscode';
import { addConnection, createDatabase, drydock, fixture, query, waitFor } from '../support';

const target = process.env.DRYDOCK_EXT_SCREENSHOT;

describe('README screenshot', () => {
  it('stages the Migration Runs view after a failed dry-run and has the runner capture it', async function () {
    if (!target) this.skip();
    await drydock();
    await addConnection('local dev', await createDatabase(), false);
    await vscode.commands.executeCommand('drydock.results.clear');
    const file = fixture('migrations/002_unique_email.sql');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file));
    await vscode.commands.executeCommand('drydock.dryRunFolderUpToFile', file);
    await vscode.commands.executeCommand('notifications.clearAll');
    await vscode.commands.executeCommand('drydock.runs.focus');
    // Widen the side bar by narrowing the editor next to it.
    await vscode.commands.executeCommand('workbench.action.focusActiveEditorGroup');
    for (let i = 0; i < 4; i++) await vscode.commands.executeCommand('workbench.action.decreaseViewWidth');
    await vscode.commands.executeCommand('drydock.runs.focus');
    await new Promise((r) => setTimeout(r, 1500));
    fs.writeFileSync(`${target}.request`, '');
    await waitFor('the screenshot', () => fs.existsSync(`${target}.done`), 20_000);
    fs.rmSync(`${target}.done`);
  });

  it('stages the hover of a statement after a dry-run (what was measured first) and has the runner capture it', async function () {
    if (!target) this.skip();
    await drydock();
    const database = await createDatabase();
    await query(database, "CREATE TABLE accounts (id bigint PRIMARY KEY, email text); INSERT INTO accounts SELECT g, 'a' || g FROM generate_series(1, 1000) g;");
    await addConnection('local dev', database, false);
    await vscode.commands.executeCommand('drydock.results.clear');
    // A statement with no finding: the editor shows a diagnostic's message above an extension's hover.
    const file = fixture('screenshot-hover/001_add_note.sql');
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file));
    await vscode.commands.executeCommand('drydock.dryRunMigration', file);
    await vscode.commands.executeCommand('notifications.clearAll');
    await vscode.commands.executeCommand('workbench.action.closeSidebar');
    await vscode.commands.executeCommand('workbench.action.closePanel');
    await vscode.window.showTextDocument(editor.document);
    const at = new vscode.Position(3, 14);
    editor.selection = new vscode.Selection(at, at);
    await new Promise((r) => setTimeout(r, 1000));
    await vscode.commands.executeCommand('editor.action.showHover');
    await new Promise((r) => setTimeout(r, 2000));
    // The editor's top left, where the hover opens above the statement.
    fs.writeFileSync(`${target}.request`, `${path.join(path.dirname(target!), 'hover.png')} 48 30 860 230`);
    await waitFor('the screenshot', () => fs.existsSync(`${target}.done`), 20_000);
    fs.rmSync(`${target}.done`);
  });
});
