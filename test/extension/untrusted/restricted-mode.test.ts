import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import { after, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { drydock, fixture, neverWithin, ruleIdOf, waitFor } from '../support';

describe('Restricted Mode (untrusted workspace)', () => {
  let server: net.Server;
  let port = 0;
  let accepted = 0;

  before(async () => {
    // A TCP listener standing in for a database: any connection attempt is counted.
    server = net.createServer((socket) => {
      accepted += 1;
      socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as net.AddressInfo).port;
  });

  after(() => server.close());

  it('runs in an untrusted workspace', async () => {
    await drydock();
    assert.equal(vscode.workspace.isTrusted, false);
  });

  it('dry-run, apply and verify do not connect', async () => {
    await vscode.workspace.getConfiguration('drydock').update('connections',
      [{ name: 'counted', host: '127.0.0.1', port, database: 'x', user: 'x' }], vscode.ConfigurationTarget.Global);
    await vscode.workspace.getConfiguration('drydock').update('activeConnection', 'counted', vscode.ConfigurationTarget.Global);
    const file = fixture('migrations/001_create_accounts.sql');
    for (const command of ['drydock.dryRunMigration', 'drydock.applyMigration', 'drydock.verifyMigration', 'drydock.dryRunFolderUpToFile']) {
      assert.equal(await vscode.commands.executeCommand(command, file), undefined, `${command} returned a report`);
    }
    const marked = await vscode.commands.executeCommand('drydock.addConnection', { name: 'dev', host: '127.0.0.1', port, allowApply: true });
    assert.equal(marked, false, 'a dev mark was recorded in Restricted Mode');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(accepted, 0, 'Drydock connected in Restricted Mode');
  });

  it('New Migration from Template neither connects nor writes a file', async () => {
    await vscode.workspace.getConfiguration('drydock').update('connections',
      [{ name: 'counted', host: '127.0.0.1', port, database: 'x', user: 'x' }], vscode.ConfigurationTarget.Global);
    await vscode.workspace.getConfiguration('drydock').update('activeConnection', 'counted', vscode.ConfigurationTarget.Global);
    const migrations = fixture('migrations').fsPath;
    const before = fs.readdirSync(migrations);
    const written = await vscode.commands.executeCommand<string[]>('drydock.newMigrationFromTemplate', {
      kind: 'index', answers: { table: 'accounts', columns: ['email'] }, name: 'untrusted index',
    });
    assert.deepEqual(written, []);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(accepted, 0, 'New Migration connected in Restricted Mode');
    assert.deepEqual(fs.readdirSync(migrations), before, 'New Migration wrote a file in Restricted Mode');
  });

  it('dry-run on save does not run, even on a connection with a dev mark', async () => {
    const api = await drydock();
    const config = vscode.workspace.getConfiguration('drydock');
    await config.update('connections', [{ name: 'counted-dev', host: '127.0.0.1', port, database: 'x', user: 'x', allowApply: true }], vscode.ConfigurationTarget.Global);
    await config.update('activeConnection', 'counted-dev', vscode.ConfigurationTarget.Global);
    // A mark cannot be made in Restricted Mode (that would connect); this one stands for a mark made while trusted.
    await api._private.context.devMarks.set('counted-dev', {
      endpoint: { host: '127.0.0.1', port: String(port), database: 'x', user: 'x' }, server: { systemIdentifier: '1', database: 'x', port: String(port) },
    });
    await config.update('dryRunOnSave', true, vscode.ConfigurationTarget.Global);
    try {
      const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(fixture('migrations/001_create_accounts.sql')));
      await editor.edit((e) => e.insert(new vscode.Position(0, 0), '-- touched\n'));
      assert.ok(await editor.document.save(), 'the file was not saved');
      await neverWithin('a save started a dry-run in Restricted Mode', () => accepted > 0 || api._private.context.runs.busy || api._private.tree.getChildren().length > 0);
    } finally {
      await config.update('dryRunOnSave', undefined, vscode.ConfigurationTarget.Global);
      await api._private.context.devMarks.delete('counted-dev');
    }
  });

  it('still shows static diagnostics', async () => {
    const uri = fixture('broken/syntax_error.sql');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const found = await waitFor('syntax diagnostic', () => vscode.languages.getDiagnostics(uri).find((d) => ruleIdOf(d) === 'syntax-error'));
    assert.equal(found.range.start.line, 2);
  });

  it('offers the hover and the quick fixes, which read and edit only the file, and connect to nothing', async () => {
    const document = await vscode.workspace.openTextDocument(fixture('hover/a_index_email.sql'));
    await vscode.window.showTextDocument(document);
    const diagnostic = await waitFor('the CREATE INDEX finding', () => vscode.languages.getDiagnostics(document.uri).find((d) => ruleIdOf(d) === 'require-concurrent-index-creation'));
    const titles = ((await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', document.uri, diagnostic.range)) ?? []).map((a) => a.title);
    assert.ok(titles.includes('Ignore require-concurrent-index-creation for this statement'), JSON.stringify(titles));
    const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, new vscode.Position(1, 8))) ?? [];
    const text = hovers.map((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value)).join('\n')).join('\n');
    assert.match(text, /require-concurrent-index-creation/);
    assert.equal(accepted, 0);
  });

  it('offers no run lenses', async () => {
    await drydock();
    const uri = fixture('migrations/001_create_accounts.sql');
    await vscode.workspace.openTextDocument(uri);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
    assert.equal(lenses.filter((l) => l.command?.command.startsWith('drydock.')).length, 0);
  });
});
