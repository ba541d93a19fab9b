import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import type { RunReport } from '../../../src/core/model/report';
import { addConnection, fixture, testServer, useRunFixture, waitForLogLine } from '../support';

/**
 * A server that speaks just enough of PostgreSQL's protocol to ask each client for its password in
 * clear text (as any server may), records what it is sent, and refuses the login: where a stored
 * password would go if a connection of the same name pointed here.
 */
class PasswordCatcher {
  readonly received: string[] = [];
  connections = 0;
  private readonly server = net.createServer((socket) => this.serve(socket));

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as net.AddressInfo).port;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private serve(socket: net.Socket): void {
    this.connections += 1;
    let buffer = Buffer.alloc(0);
    let started = false;
    socket.on('error', () => undefined);
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      if (!started && buffer.length >= 4 && buffer.length >= buffer.readInt32BE(0)) {
        buffer = buffer.subarray(buffer.readInt32BE(0));
        started = true;
        socket.write(Buffer.from([0x52, 0, 0, 0, 8, 0, 0, 0, 3])); // AuthenticationCleartextPassword
      }
      if (started && buffer.length >= 5 && buffer[0] === 0x70 && buffer.length >= 1 + buffer.readInt32BE(1)) {
        this.received.push(buffer.subarray(5, 1 + buffer.readInt32BE(1)).toString('utf8').replace(/\0$/, ''));
        const message = Buffer.from('SFATAL\0C28P01\0Mpassword authentication failed\0\0');
        const header = Buffer.alloc(5);
        header.write('E');
        header.writeInt32BE(4 + message.length, 1);
        socket.end(Buffer.concat([header, message]));
      }
    });
  }
}

describe('passwords and dev marks are bound to where a connection points', () => {
  const f = useRunFixture();
  const catcher = new PasswordCatcher();
  let catcherPort = 0;
  const config = () => vscode.workspace.getConfiguration('drydock');

  before(async () => {
    catcherPort = await catcher.listen();
  });
  after(async () => {
    await catcher.close();
  });

  /** The workspace (not the user) defines `name`, pointing at the catcher, for the length of `body`. */
  async function withWorkspaceConnection(name: string, extra: Record<string, unknown>, body: () => Promise<void>): Promise<void> {
    await config().update('connections', [{ name, host: '127.0.0.1', port: catcherPort, database: f.database, user: testServer.user(), ...extra }], vscode.ConfigurationTarget.Workspace);
    await config().update('activeConnection', name, vscode.ConfigurationTarget.Workspace);
    try {
      await body();
    } finally {
      await config().update('connections', undefined, vscode.ConfigurationTarget.Workspace);
      await config().update('activeConnection', undefined, vscode.ConfigurationTarget.Workspace);
    }
  }

  it('a workspace connection with the name of one of the user\'s, pointing elsewhere, is never sent the user\'s password', async () => {
    await addConnection('shared-name', f.database, false);
    await withWorkspaceConnection('shared-name', {}, async () => {
      const report = await vscode.commands.executeCommand<RunReport>('drydock.dryRunMigration', fixture('migrations/001_create_accounts.sql'));
      assert.equal(report?.server, null, 'the catcher refuses every login');
      assert.equal(catcher.received.includes(testServer.password()), false, 'the password went to the other endpoint');
      assert.equal((await f.api._private.context.connections.resolve('shared-name'))?.settings.password === testServer.password(), false);
    });
    // No false alarm: the user's own connection still has its password where it points.
    await config().update('activeConnection', 'shared-name', vscode.ConfigurationTarget.Global);
    const report = await vscode.commands.executeCommand<RunReport>('drydock.dryRunMigration', fixture('migrations/001_create_accounts.sql'));
    assert.equal(report?.outcome, 'succeeded', JSON.stringify(report?.error));
  });

  it('a password an earlier Drydock stored under the name alone goes only to the endpoint the user\'s own settings give that name', async () => {
    const { extension, connections, passwords } = f.api._private.context;
    const name = 'name-only';
    const others = (config().inspect<{ name: string }[]>('connections')?.globalValue ?? []).filter((c) => c.name !== name);
    await config().update('connections', [...others, { name, host: testServer.host(), port: testServer.port(), database: f.database, user: testServer.user() }], vscode.ConfigurationTarget.Global);
    await extension.secrets.store(`drydock.password.${name}`, testServer.password());
    await withWorkspaceConnection(name, {}, async () => {
      await vscode.commands.executeCommand<RunReport>('drydock.dryRunMigration', fixture('migrations/001_create_accounts.sql'));
      assert.equal(catcher.received.includes(testServer.password()), false, 'the name-only password went to the workspace\'s endpoint');
      assert.equal(await extension.secrets.get(`drydock.password.${name}`), testServer.password(), 'it is kept for the user\'s own connection');
      await waitForLogLine(f.api, /connection "name-only" has a password stored by an earlier Drydock under its name only; it is not sent to/);
    });
    await config().update('activeConnection', name, vscode.ConfigurationTarget.Global);
    const report = await vscode.commands.executeCommand<RunReport>('drydock.dryRunMigration', fixture('migrations/001_create_accounts.sql'));
    assert.equal(report?.outcome, 'succeeded', JSON.stringify(report?.error));
    const target = (await connections.resolve(name))!.target;
    assert.equal(await passwords.get(name, target), testServer.password(), 'bound to the user\'s endpoint');
    assert.equal(await extension.secrets.get(`drydock.password.${name}`), undefined, 'the name-only entry is gone');
  });

  it('a dev mark does not carry over to a workspace connection of the same name: the apply is refused before connecting', async () => {
    await addConnection('marked-name', f.database, true);
    const before = catcher.connections;
    await withWorkspaceConnection('marked-name', { allowApply: true }, async () => {
      const report = await vscode.commands.executeCommand<RunReport | undefined>('drydock.applyMigration', fixture('migrations/001_create_accounts.sql'));
      assert.equal(report, undefined);
      assert.equal(f.prompts.length, 0, 'a refused apply does not ask');
      assert.equal(catcher.connections, before, 'the guard did not even connect');
      await waitForLogLine(f.api, new RegExp(`Apply refused: connection "marked-name" now points to drydock_test@127\\.0\\.0\\.1:${catcherPort}/${f.database}, not drydock_test@127\\.0\\.0\\.1:${testServer.port()}/${f.database} where it was marked`));
    });
  });

  it('a mark recorded before marks were bound to endpoints no longer allows an apply, and says how to mark again', async () => {
    await addConnection('old-mark', f.database, true);
    const mark = f.api._private.context.devMarks.get('old-mark')!;
    await f.api._private.context.extension.globalState.update('drydock.devMarks', {
      ...f.api._private.context.extension.globalState.get<Record<string, unknown>>('drydock.devMarks'),
      'old-mark': { systemIdentifier: mark.server.systemIdentifier, database: mark.server.database },
    });
    const report = await vscode.commands.executeCommand<RunReport | undefined>('drydock.applyMigration', fixture('migrations/001_create_accounts.sql'));
    assert.equal(report, undefined);
    await waitForLogLine(f.api, /Apply refused: connection "old-mark" was marked as a development database by an earlier Drydock, before marks were bound to the host, port, database and user; mark it again/);
  });
});
