import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import * as vscode from 'vscode';
import { drydock, EXTENSION_ID } from '../support';

interface ContributedCommand { command: string }

describe('activation', () => {
  it('activates and registers exactly the commands package.json contributes', async () => {
    const api = await drydock();
    const manifest = vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON as { contributes: { commands: ContributedCommand[] } };
    const contributed = manifest.contributes.commands.map((c) => c.command).filter((id) => id.startsWith('drydock.'));
    const ours = [...api._private.commandIds];
    const ownedElsewhere = contributed.filter((id) => !ours.includes(id));
    // Commands of other Drydock features (authoring kit) are registered by their own modules.
    const registered = await vscode.commands.getCommands(true);
    for (const id of [...ours, ...ownedElsewhere]) assert.ok(registered.includes(id), `${id} is not registered`);
    for (const id of ours) assert.ok(contributed.includes(id), `${id} is registered but not in package.json`);
  });

  it('shows the Migration Runs view empty before any run', async () => {
    const api = await drydock();
    await vscode.commands.executeCommand('drydock.results.clear');
    assert.deepEqual(api._private.tree.getChildren(), []);
  });
});
