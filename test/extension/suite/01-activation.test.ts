import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import * as vscode from 'vscode';
import { drydock, EXTENSION_ID, fixture, waitFor } from '../support';

interface ContributedCommand { command: string }

describe('activation', () => {
  it('activates and registers exactly the commands package.json contributes', async () => {
    const api = await drydock();
    const manifest = vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON as { contributes: { commands: ContributedCommand[] } };
    const contributed = manifest.contributes.commands.map((c) => c.command).filter((id) => id.startsWith('drydock.'));
    const ours = [...api._private.commandIds];
    assert.deepEqual([...ours].sort(), [...contributed].sort(), 'the COMMANDS table and package.json differ');
    const registered = await vscode.commands.getCommands(true);
    for (const id of ours) assert.ok(registered.includes(id), `${id} is not registered`);
  });

  it('every menu entry names a contributed command and every walkthrough medium is packaged', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
    const manifest = extension.packageJSON as {
      contributes: {
        commands: ContributedCommand[];
        menus: Record<string, ContributedCommand[]>;
        walkthroughs: { steps: { media: { markdown?: string } }[] }[];
      };
    };
    const contributed = new Set(manifest.contributes.commands.map((c) => c.command));
    for (const [menu, entries] of Object.entries(manifest.contributes.menus)) {
      for (const entry of entries) assert.ok(contributed.has(entry.command), `${menu} lists unknown command ${entry.command}`);
    }
    for (const step of manifest.contributes.walkthroughs.flatMap((w) => w.steps)) {
      if (!step.media.markdown) continue;
      const medium = vscode.Uri.joinPath(extension.extensionUri, step.media.markdown);
      await vscode.workspace.fs.stat(medium); // throws when missing
    }
  });

  it('the walkthrough starts with what works with no server (check, fix, shadow) and every step\'s command exists', async () => {
    const manifest = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as {
      contributes: { walkthroughs: { steps: { id: string; description: string; completionEvents?: string[] }[] }[] };
    };
    const steps = manifest.contributes.walkthroughs.flatMap((w) => w.steps);
    const ids = steps.map((s) => s.id);
    assert.deepEqual(ids.slice(0, 3), ['checkAsYouType', 'quickFixes', 'shadowDryRun']);
    assert.ok(ids.indexOf('addConnection') > ids.indexOf('snippetsTemplates'), 'connections come after what works without them');
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const step of steps) {
      const linked = [...step.description.matchAll(/\(command:([\w.]+)/g)].map((m) => m[1]!);
      const completing = (step.completionEvents ?? []).filter((e) => e.startsWith('onCommand:')).map((e) => e.slice('onCommand:'.length));
      assert.ok(linked.length > 0, `step ${step.id} has no command link`);
      for (const id of [...linked, ...completing]) assert.ok(registered.has(id), `step ${step.id} names ${id}, which is not a command`);
    }
  });

  it('shows the Migration Runs view empty before any run', async () => {
    const api = await drydock();
    await vscode.commands.executeCommand('drydock.results.clear');
    assert.deepEqual(api._private.tree.getChildren(), []);
  });

  it('puts Dry-run · Apply · Verify lenses at the top of a SQL file', async () => {
    await drydock();
    const uri = fixture('migrations/001_create_accounts.sql');
    await vscode.workspace.openTextDocument(uri);
    // The lenses come from the language server, which may still be starting.
    const ours = await waitFor('the run lenses', async () => {
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
      const found = lenses.filter((l) => l.command?.command.startsWith('drydock.'));
      return found.length > 0 ? found : undefined;
    }, 30_000);
    assert.deepEqual(ours.map((l) => l.command?.command), ['drydock.dryRunMigration', 'drydock.applyMigration', 'drydock.verifyMigration']);
    assert.ok(ours.every((l) => l.range.start.line === 0));
    assert.equal((ours[0]?.command?.arguments?.[0] as vscode.Uri).fsPath, uri.fsPath);
  });
});
