import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'mocha';
import * as vscode from 'vscode';
import type { RunReport } from '../../../src/core/model/report';
import type { DrydockApi } from '../../../src/extension/extension';
import type { RunNode } from '../../../src/extension/results/resultsTree';
import {
  addConnection, createDatabase, drydock, fixture, scriptedPrompts, tableExists, testServer, waitFor, withoutConnections, type Notified,
} from '../support';

describe('notifications of a run carry its next steps, and each does what it says', () => {
  withoutConnections();
  let api: DrydockApi;
  const failing = fixture('save-fails/001_duplicate_codes.sql');
  const notified: Notified[] = [];
  let answer: string | undefined;

  before(async () => {
    api = await drydock();
    api._private.context.prompts = scriptedPrompts({ notified, notifyAnswer: () => answer });
  });
  beforeEach(async () => {
    notified.length = 0;
    await vscode.commands.executeCommand('drydock.results.clear');
  });

  it('a failed dry-run offers Open Fix Query, Show Run and Show Output; Open Fix Query opens the fix query', async () => {
    answer = 'Open Fix Query';
    await vscode.commands.executeCommand('drydock.dryRunMigration', failing);
    assert.deepEqual(notified[0]?.actions, ['Open Fix Query', 'Show Run', 'Show Output']);
    assert.match(notified[0]!.message, /^Drydock: Dry-run failed \(rolled back\): Data conflict/);
    const opened = await waitFor('the fix query in an editor', () => {
      const document = vscode.window.activeTextEditor?.document;
      return document?.isUntitled && /Drydock: rows behind Data conflict 23505/.test(document.getText()) ? document : undefined;
    });
    assert.equal(opened.languageId, 'sql');
  });

  it('Show Run selects the run in the Migration Runs view', async () => {
    answer = 'Show Run';
    await vscode.commands.executeCommand('drydock.dryRunMigration', failing);
    const newest = api._private.context.results.runs[0]!;
    const selected = await waitFor('the run selected in the view', () => {
      const node = api._private.treeView.selection[0] as RunNode | undefined;
      return node?.entry?.id === newest.id ? node : undefined;
    });
    assert.equal(selected.contextValue, 'drydock.run');
  });

  it('Show Output shows Drydock\'s log', async () => {
    answer = 'Show Output';
    const channel = api._private.context.log.channel;
    const show = channel.show.bind(channel);
    let shown = 0;
    channel.show = ((...args: unknown[]) => { shown++; return (show as (...a: unknown[]) => void)(...args); }) as typeof channel.show;
    try {
      await vscode.commands.executeCommand('drydock.dryRunMigration', failing);
      await waitFor('the log shown', () => shown > 0);
    } finally {
      channel.show = show;
    }
  });

  it('a succeeded run offers Show Run only', async () => {
    answer = undefined;
    await vscode.commands.executeCommand('drydock.dryRunMigration', fixture('save/001_save_table.sql'));
    assert.deepEqual(notified[0]?.actions, ['Show Run']);
    assert.match(notified[0]!.message, /^Drydock: Dry-run succeeded \(rolled back\)/);
  });
});

describe('connections: the picker, the shadow, confirmations', () => {
  let api: DrydockApi;
  let database: string;
  const notified: Notified[] = [];
  const config = () => vscode.workspace.getConfiguration('drydock');
  let saved: { connections: unknown; active: unknown };

  before(async () => {
    api = await drydock();
    saved = { connections: config().inspect('connections')?.globalValue, active: config().inspect('activeConnection')?.globalValue };
    database = await createDatabase();
  });
  beforeEach(async () => {
    notified.length = 0;
    api._private.context.prompts = scriptedPrompts({ notified, confirm: true });
    await vscode.commands.executeCommand('drydock.results.clear');
  });
  after(async () => {
    await config().update('connections', saved.connections, vscode.ConfigurationTarget.Global);
    await config().update('activeConnection', saved.active, vscode.ConfigurationTarget.Global);
    api._private.context.connections.fireChanged();
  });

  it('adding a connection says so, with where it goes and never the password', async () => {
    await addConnection('picker-dev', database, true);
    const said = notified.find((n) => /connection "picker-dev" added and selected/.test(n.message));
    assert.ok(said, `no confirmation among ${JSON.stringify(notified)}`);
    assert.match(said.message, new RegExp(`${testServer.user()}@${testServer.host()}:${testServer.port()}/${database}`));
    assert.match(said.message, /Apply allowed/);
    assert.equal(said.message.includes(testServer.password()), false);
  });

  it('the picker lists the shadow, each connection with where it goes (never a password) and Add Connection…; choosing the shadow goes back to it', async () => {
    const secret = 'picker-secret-pw';
    await config().update('connections', [
      ...(config().get<unknown[]>('connections') ?? []),
      { name: 'url-with-password', connectionString: `postgres://someone:${secret}@db.example.invalid:5433/app` },
    ], vscode.ConfigurationTarget.Global);
    let items: readonly vscode.QuickPickItem[] = [];
    api._private.context.prompts = {
      ...scriptedPrompts({}),
      pickItem: async <T extends vscode.QuickPickItem>(offered: readonly T[]) => {
        items = offered;
        return offered.find((i) => i.label === 'Shadow (PGlite)');
      },
    };
    assert.equal(await vscode.commands.executeCommand('drydock.selectConnection'), true);
    const labels = items.map((i) => i.label);
    assert.equal(labels[0], 'Shadow (PGlite)');
    assert.ok(labels.includes('picker-dev') && labels.includes('url-with-password'), JSON.stringify(labels));
    assert.equal(labels[labels.length - 1], 'Add Connection…');
    const dev = items.find((i) => i.label === 'picker-dev');
    assert.match(String(dev?.description), new RegExp(`^${testServer.user()}@${testServer.host()}:${testServer.port()}/${database}`));
    assert.match(String(items.find((i) => i.label === 'url-with-password')?.description), /^someone@db\.example\.invalid:5433\/app/);
    assert.equal(JSON.stringify(items).includes(secret), false, 'a password is shown in the picker');
    assert.equal(JSON.stringify(items).includes(testServer.password()), false, 'a password is shown in the picker');
    // The shadow is chosen although connections exist: dry-runs go there.
    assert.equal(api._private.context.connections.activeName(), undefined);
    assert.match(api._private.statusBar.text, /Shadow/);
    assert.match(api._private.statusBar.tooltip, /^The shadow is chosen: /);
    const report = await vscode.commands.executeCommand<RunReport>('drydock.dryRunMigration', fixture('migrations/001_create_accounts.sql'));
    assert.equal(report?.shadow?.kind, 'pglite');
  });

  it('Add Connection… in the picker starts Add Connection', async () => {
    const titles: string[] = [];
    api._private.context.prompts = {
      ...scriptedPrompts({}),
      pickItem: async <T extends vscode.QuickPickItem>(offered: readonly T[]) => offered.find((i) => i.label === 'Add Connection…'),
      input: async (options) => { titles.push(String(options.title)); return undefined; },
    };
    assert.equal(await vscode.commands.executeCommand('drydock.selectConnection'), false);
    assert.deepEqual(titles, ['Drydock: Add Connection (1/4)']);
  });

  it('Verify on the shadow dry-runs the file there and verifies what it declares', async () => {
    assert.equal(await vscode.commands.executeCommand('drydock.selectConnection', 'shadow'), true);
    const report = await vscode.commands.executeCommand<RunReport>('drydock.verifyMigration', fixture('save/001_save_table.sql'));
    assert.equal(report?.outcome, 'succeeded', JSON.stringify(report?.error));
    assert.equal(report.shadow?.kind, 'pglite');
    assert.deepEqual(report.verification.map((c) => [c.kind, c.name, c.status]), [['index', 'saved_notes_body_idx', 'ok']]);
    assert.equal(notified.some((n) => /No Drydock connection/.test(n.message)), false);
    assert.ok(notified.some((n) => /^Drydock: Verify with no connection ran as a dry-run on the shadow, which checks what the file declares\. Dry-run succeeded/.test(n.message)),
      `the notification does not say the verify ran as a dry-run: ${JSON.stringify(notified)}`);
  });

  it('Apply on the shadow says it needs a development database, with Add and Select Connection', async () => {
    const report = await vscode.commands.executeCommand<RunReport>('drydock.applyMigration', fixture('migrations/001_create_accounts.sql'));
    assert.equal(report, undefined);
    const said = await waitFor('the notification', () => notified.find((n) => /Apply commits to a database/.test(n.message)));
    assert.deepEqual(said.actions, ['Add Connection', 'Select Connection']);
  });

  it('Apply names the earlier migrations it leaves out, and its default button is Dry-Run First, which dry-runs instead', async () => {
    assert.equal(await vscode.commands.executeCommand('drydock.selectConnection', 'picker-dev'), true);
    const asked: string[] = [];
    const buttons: string[][] = [];
    api._private.context.prompts = scriptedPrompts({ notified, confirm: 'Dry-Run First', asked, buttons });
    const report = await vscode.commands.executeCommand<RunReport>('drydock.applyMigration', fixture('migrations/002_unique_email.sql'));
    assert.deepEqual(buttons, [['Dry-Run First', 'Apply']]);
    assert.match(asked[0]!, /Not in this apply: 1 earlier migration of the folder \(001_create_accounts\.sql\)/);
    assert.equal(report?.mode, 'dry-run');
    assert.equal(report.committed, false);
    assert.equal(api._private.context.results.runs[0]?.request.connectionName, 'picker-dev');
  });

  it('Apply of the first migration names no earlier one, and applies when Apply is chosen', async () => {
    const asked: string[] = [];
    api._private.context.prompts = scriptedPrompts({ notified, confirm: true, asked });
    const report = await vscode.commands.executeCommand<RunReport>('drydock.applyMigration', fixture('migrations/001_create_accounts.sql'));
    assert.doesNotMatch(asked[0]!, /Not in this apply/);
    assert.equal(report?.committed, true);
    assert.equal(await tableExists(database, 'accounts'), true);
  });
});
