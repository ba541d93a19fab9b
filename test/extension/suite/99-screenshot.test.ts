// Not a check: when the runner is asked for a screenshot (DRYDOCK_EXT_SCREENSHOT), stage the
// README's picture of the Migration Runs view after a dry-run with one failed statement, then ask
// the runner (which drives the browser) to take it.
import fs from 'node:fs';
import { describe, it } from 'mocha';
import * as vscode from 'vscode';
import { addConnection, createDatabase, drydock, fixture, waitFor } from '../support';

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
});
