import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'mocha';
import * as vscode from 'vscode';
import type { DrydockApi } from '../../../src/extension/extension';
import { addConnection, createDatabase, drydock, fixture, neverWithin, tableExists, waitFor } from '../support';

/** Edits and saves a migration file, as an author would. */
async function editAndSave(relative: string): Promise<void> {
  const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(fixture(relative)));
  await editor.edit((e) => e.insert(new vscode.Position(0, 0), '-- touched\n'));
  assert.ok(await editor.document.save(), 'the file was not saved');
}

function setDryRunOnSave(value: boolean | undefined): Thenable<void> {
  return vscode.workspace.getConfiguration('drydock').update('dryRunOnSave', value, vscode.ConfigurationTarget.Global);
}

async function assertNoRunFromSave(api: DrydockApi, relative: string): Promise<void> {
  await editAndSave(relative);
  await neverWithin('the save started a dry-run', () => api._private.context.runs.busy || api._private.tree.getChildren().length > 0);
}

describe('dry-run on save', () => {
  afterEach(() => setDryRunOnSave(undefined));

  it('is off by default: saving a migration on a dev connection runs nothing', async () => {
    const api = await drydock();
    assert.equal(vscode.workspace.getConfiguration('drydock').inspect('dryRunOnSave')?.defaultValue, null, 'unset: on for the shadow only');
    await addConnection('dev-save', await createDatabase(), true);
    await vscode.commands.executeCommand('drydock.results.clear');
    await assertNoRunFromSave(api, 'migrations/001_create_accounts.sql');
  });

  it('does not run on a connection without a dev mark, even when turned on', async () => {
    const api = await drydock();
    await setDryRunOnSave(true);
    await addConnection('not-dev-save', await createDatabase(), false);
    await vscode.commands.executeCommand('drydock.results.clear');
    await assertNoRunFromSave(api, 'migrations/001_create_accounts.sql');
    // allowApply in settings is not enough: the recorded identity of the server is what counts.
    await addConnection('unmarked-save', await createDatabase(), true);
    await api._private.context.devMarks.delete('unmarked-save');
    await assertNoRunFromSave(api, 'migrations/001_create_accounts.sql');
  });

  it('dry-runs a saved migration on a dev connection when drydock.dryRunOnSave is on', async () => {
    const api = await drydock();
    const database = await createDatabase();
    await addConnection('dev-save', database, true);
    await vscode.commands.executeCommand('drydock.results.clear');
    await setDryRunOnSave(true);
    await editAndSave('migrations/001_create_accounts.sql');
    const [run] = await waitFor('a run from the save', () => {
      const runs = api._private.tree.getChildren();
      return runs.length > 0 ? runs : undefined;
    });
    assert.match(String(run?.description), /^dry-run succeeded · /);
    assert.match(String(run?.tooltip), /^dry-run succeeded \(rolled back\)/);
    assert.equal(await tableExists(database, 'accounts'), false);
  });
});
