// Not a check: when the runner is asked for a screenshot (DRYDOCK_EXT_SCREENSHOT), stage the
// README's pictures and ask the runner (which drives the browser) to take them: the Migration Runs
// view after a dry-run with one failed statement (the target file), then the hover on a statement
// the run measured (hover.png beside it).
import fs from 'node:fs';
import { describe, it } from 'mocha';
import * as vscode from 'vscode';
import { addConnection, createDatabase, drydock, fixture, query, waitFor } from '../support';

const target = process.env.DRYDOCK_EXT_SCREENSHOT;

/** Asks the runner for a picture (into `name` beside the target, or the target itself) and waits for it. */
async function capture(name = ''): Promise<void> {
  fs.writeFileSync(`${target}.request`, name);
  await waitFor('the screenshot', () => fs.existsSync(`${target}.done`), 20_000);
  fs.rmSync(`${target}.done`);
}

describe('README screenshot', () => {
  it('stages the Migration Runs view after a failed dry-run, then the hover on a measured statement, and has the runner capture them', async function () {
    if (!target) this.skip();
    await drydock();
    const database = await createDatabase();
    await addConnection('local dev', database, false);
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
    await capture();

    // The hover: a rewrite the dry-run measured, on a table with rows.
    await query(database, "CREATE TABLE IF NOT EXISTS accounts (id bigint PRIMARY KEY, email text); INSERT INTO accounts SELECT g, 'a' || g FROM generate_series(1, 100) g ON CONFLICT DO NOTHING;");
    const hovered = fixture('hover/b_add_token.sql');
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(hovered));
    await vscode.commands.executeCommand('drydock.dryRunMigration', hovered);
    await vscode.commands.executeCommand('notifications.clearAll');
    await vscode.window.showTextDocument(editor.document);
    editor.selection = new vscode.Selection(1, 3, 1, 3);
    await vscode.commands.executeCommand('editor.action.showHover');
    await new Promise((r) => setTimeout(r, 1500));
    await capture('hover.png');
  });
});
