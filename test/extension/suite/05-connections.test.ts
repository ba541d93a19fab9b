import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'mocha';
import * as vscode from 'vscode';
import type { RunReport } from '../../../src/core/model/report';
import { addConnection, drydock as drydockApi, drydockLogFiles, fixture, runNodes, scriptedPrompts, testServer, useRunFixture, waitForLogLine } from '../support';

/** The password a connection resolves with (stored in secret storage, bound to its endpoint). */
async function passwordOf(name: string): Promise<string | undefined> {
  const { context } = (await drydockApi())._private;
  return (await context.connections.resolve(name))?.settings.password;
}

function savedConnection(name: string): { name: string; connectionString?: string } | undefined {
  return (vscode.workspace.getConfiguration('drydock').get<{ name: string; connectionString?: string }[]>('connections') ?? []).find((c) => c.name === name);
}

describe('connections', () => {
  const f = useRunFixture();

  it('Remove Connection deletes it from settings, with its password and dev mark', async () => {
    await addConnection('to-remove', f.database, true);
    assert.ok(f.api._private.context.devMarks.get('to-remove'));
    const { target } = (await f.api._private.context.connections.resolve('to-remove'))!;
    assert.equal(await f.api._private.context.passwords.get('to-remove', target), testServer.password());
    assert.equal(await vscode.commands.executeCommand('drydock.removeConnection', 'to-remove'), true);
    const names = (vscode.workspace.getConfiguration('drydock').get<{ name: string }[]>('connections') ?? []).map((c) => c.name);
    assert.equal(names.includes('to-remove'), false);
    assert.equal(await f.api._private.context.passwords.get('to-remove', target), undefined);
    assert.equal(f.api._private.context.devMarks.get('to-remove'), undefined);
  });

  it('a connection that fails shows in the status bar with the classified reason, without its password', async () => {
    await vscode.commands.executeCommand('drydock.addConnection', {
      name: 'wrong-password', host: testServer.host(), port: testServer.port(), database: f.database, user: testServer.user(), password: 'not-the-password-42',
    });
    const report = await vscode.commands.executeCommand<RunReport>('drydock.dryRunMigration', fixture('migrations/001_create_accounts.sql'));
    assert.equal(report?.server, null);
    assert.equal(report.error?.sqlstate, '28P01');
    const text = f.api._private.statusBar.text;
    assert.match(text, /^\$\(warning\) wrong-password/);
    assert.equal(f.api._private.statusBar.tooltip.includes('not-the-password-42'), false);
    assert.match(f.api._private.statusBar.tooltip, /28P01/);
  });

  it('when the apply guard cannot log in, the status bar shows the classified reason and the log does not call it a connection failure', async () => {
    await addConnection('dev-auth', f.database, true);
    const { connections, passwords } = f.api._private.context;
    await passwords.set('dev-auth', (await connections.resolve('dev-auth'))!.target, 'not-the-password-43');
    const report = await vscode.commands.executeCommand<RunReport | undefined>('drydock.applyMigration', fixture('migrations/001_create_accounts.sql'));
    assert.equal(report, undefined);
    assert.match(f.api._private.statusBar.tooltip, /Database error \(28P01\): password authentication failed/);
    await waitForLogLine(f.api, /run on "dev-auth" failed: Database error \(28P01\)/);
  });

  it('a failing run on a URL that holds the password never shows it: the server message quoting it is masked in the report, view, status bar and log', async () => {
    const password = testServer.password();
    // The server's error quotes the database name, which here contains the password: only masking keeps it out.
    const url = `postgres://${testServer.user()}:${encodeURIComponent(password)}@${testServer.host()}:${testServer.port()}/missing_${password}`;
    const config = vscode.workspace.getConfiguration('drydock');
    const others = (config.get<{ name: string }[]>('connections') ?? []).filter((c) => c.name !== 'password-in-url');
    await config.update('connections', [...others, { name: 'password-in-url', connectionString: url }], vscode.ConfigurationTarget.Global);
    try {
      assert.equal(await vscode.commands.executeCommand('drydock.selectConnection', 'password-in-url'), true);
      const report = await vscode.commands.executeCommand<RunReport>('drydock.dryRunMigration', fixture('migrations/001_create_accounts.sql'));
      assert.equal(report?.error?.sqlstate, '3D000');
      assert.match(report.error.message, /database "missing_\*+" does not exist/);
      assert.equal(JSON.stringify(report).includes(password), false, 'the report holds the password');
      const [run] = runNodes(f.api);
      assert.equal(JSON.stringify([run, ...run!.children()]).includes(password), false, 'the view shows the password');
      assert.match(f.api._private.statusBar.tooltip, /3D000/);
      assert.equal(f.api._private.statusBar.tooltip.includes(password), false, 'the status bar shows the password');
      const marker = `masking check ${Date.now()}`;
      f.api._private.context.log.info(marker);
      await waitForLogLine(f.api, new RegExp(marker)); // every earlier line is on disk too
      const log = drydockLogFiles(f.api).map((file) => fs.readFileSync(file, 'utf8')).join('\n');
      assert.match(log, /3D000.*database "missing_\*+" does not exist/);
      assert.equal(log.includes(password), false, 'the log shows the password');
    } finally {
      await vscode.commands.executeCommand('drydock.removeConnection', 'password-in-url');
    }
  });

  it('Select Connection makes the named connection the one runs use and shows it in the status bar', async () => {
    await addConnection('first', f.database, false);
    await addConnection('second', f.database, false);
    assert.equal(await vscode.commands.executeCommand('drydock.selectConnection', 'first'), true);
    assert.equal(vscode.workspace.getConfiguration('drydock').get('activeConnection'), 'first');
    assert.match(f.api._private.statusBar.text, /^\$\(database\) first/);
    const report = await vscode.commands.executeCommand<RunReport>('drydock.dryRunMigration', fixture('migrations/001_create_accounts.sql'));
    assert.match(String(runNodes(f.api)[0]?.tooltip), /\nConnection: first \(/);
    assert.equal(report?.outcome, 'succeeded');
    assert.match(f.api._private.statusBar.text, /^\$\(database\) first · PG \d+/);
  });

  it('Add Connection asked interactively moves a password typed into the URL to secret storage', async () => {
    const password = testServer.password();
    const url = `postgres://${testServer.user()}:${encodeURIComponent(password)}@${testServer.host()}:${testServer.port()}/${f.database}`;
    f.api._private.context.prompts = scriptedPrompts({ inputs: ['typed', url, ''], picks: ['Yes: a development database Drydock may apply to'] });
    assert.equal(await vscode.commands.executeCommand('drydock.addConnection'), true);
    const saved = (vscode.workspace.getConfiguration('drydock').get<{ name: string; connectionString?: string }[]>('connections') ?? [])
      .find((c) => c.name === 'typed');
    assert.ok(saved?.connectionString, 'the connection was not saved');
    assert.equal(saved.connectionString.includes(password), false, 'the password stayed in settings');
    assert.equal(await passwordOf('typed'), password);
    assert.ok(f.api._private.context.devMarks.get('typed'), 'no dev mark was recorded');
    const report = await vscode.commands.executeCommand<RunReport>('drydock.dryRunMigration', fixture('migrations/001_create_accounts.sql'));
    assert.equal(report?.outcome, 'succeeded', 'the stored password does not connect');
  });

  it('Add Connection keeps the password of a key=value connection string out of settings', async () => {
    const password = testServer.password();
    const connectionString = `host=${testServer.host()} port=${testServer.port()} dbname=${f.database} user=${testServer.user()} password=${password}`;
    assert.equal(await vscode.commands.executeCommand('drydock.addConnection', { name: 'keywords', connectionString }), true);
    const saved = savedConnection('keywords');
    assert.ok(saved?.connectionString, 'the connection was not saved');
    assert.equal(JSON.stringify(saved).includes(password), false, 'the password stayed in settings');
    assert.doesNotMatch(saved.connectionString, /password/);
    assert.match(saved.connectionString, /dbname=ext_/);
    assert.equal(await passwordOf('keywords'), password);
  });

  it('Add Connection moves a ?password= URL parameter to secret storage, and the stored password connects', async () => {
    const password = testServer.password();
    const url = `postgres://${testServer.user()}@${testServer.host()}:${testServer.port()}/${f.database}?sslmode=disable&password=${encodeURIComponent(password)}`;
    assert.equal(await vscode.commands.executeCommand('drydock.addConnection', { name: 'query-password', connectionString: url, allowApply: true }), true);
    const saved = savedConnection('query-password');
    assert.ok(saved?.connectionString, 'the connection was not saved');
    assert.equal(JSON.stringify(saved).includes(password), false, 'the password stayed in settings');
    assert.match(saved.connectionString, /\?sslmode=disable$/);
    assert.equal(await passwordOf('query-password'), password);
    const report = await vscode.commands.executeCommand<RunReport>('drydock.dryRunMigration', fixture('migrations/001_create_accounts.sql'));
    assert.equal(report?.outcome, 'succeeded', 'the stored password does not connect');
  });

  it('Select Connection without an argument asks which one', async () => {
    await addConnection('picked', f.database, false);
    await addConnection('other', f.database, false);
    f.api._private.context.prompts = scriptedPrompts({ picks: ['picked'] });
    assert.equal(await vscode.commands.executeCommand('drydock.selectConnection'), true);
    assert.equal(vscode.workspace.getConfiguration('drydock').get('activeConnection'), 'picked');
  });
});
