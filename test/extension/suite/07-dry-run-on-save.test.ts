import assert from 'node:assert/strict';
import { after, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { addConnection, createDatabase, drydock, fixture, tableExists, waitFor } from '../support';

describe('dry-run on save', () => {
  after(() => vscode.workspace.getConfiguration('drydock').update('dryRunOnSave', undefined, vscode.ConfigurationTarget.Global));

  it('dry-runs a saved migration on a dev connection when drydock.dryRunOnSave is on', async () => {
    const api = await drydock();
    const database = await createDatabase();
    await addConnection('dev-save', database, true);
    await vscode.commands.executeCommand('drydock.results.clear');
    await vscode.workspace.getConfiguration('drydock').update('dryRunOnSave', true, vscode.ConfigurationTarget.Global);
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(fixture('migrations/001_create_accounts.sql')));
    await editor.edit((e) => e.insert(new vscode.Position(0, 0), '-- touched\n'));
    await editor.document.save();
    const [run] = await waitFor('a run from the save', () => {
      const runs = api._private.tree.getChildren();
      return runs.length > 0 ? runs : undefined;
    });
    assert.match(String(run?.description), /succeeded · rolled back/);
    assert.equal(await tableExists(database, 'accounts'), false);
  });
});
