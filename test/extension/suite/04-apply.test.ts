import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import * as vscode from 'vscode';
import type { RunReport } from '../../../src/core/model/report';
import { addConnection, createDatabase, fixture, query, runNodes, scriptedPrompts, tableExists, useRunFixture, waitForLogLine } from '../support';

describe('apply and its guard', () => {
  const f = useRunFixture();

  it('apply is refused on a connection not marked as a development database', async () => {
    await addConnection('not-dev', f.database, false);
    const report = await vscode.commands.executeCommand<RunReport | undefined>('drydock.applyMigration', fixture('migrations/001_create_accounts.sql'));
    assert.equal(report, undefined);
    assert.equal(f.prompts.length, 0, 'a refused apply must not even ask');
    assert.equal(await tableExists(f.database, 'accounts'), false);
    await waitForLogLine(f.api, /Apply refused: connection "not-dev" is not marked as a development database/);
  });

  it('apply on a dev connection asks with server, database, user and statement count, then commits', async () => {
    await addConnection('dev', f.database, true);
    const report = await vscode.commands.executeCommand<RunReport>('drydock.applyMigration', fixture('migrations/001_create_accounts.sql'));
    assert.equal(report?.outcome, 'succeeded');
    assert.equal(report.committed, true);
    assert.equal(f.prompts.length, 1);
    assert.match(f.prompts[0]!, /Apply 2 statements to database "ext_/);
    assert.match(f.prompts[0]!, /Server: 127\.0\.0\.1:\d+/);
    assert.match(f.prompts[0]!, /User: drydock_test/);
    const rows = await query(f.database, 'SELECT count(*)::int AS n FROM accounts');
    assert.equal(rows[0]?.n, 3);
    const [run] = runNodes(f.api);
    assert.match(String(run!.description), /^apply succeeded · /);
    assert.match(String(run!.tooltip), /^apply succeeded \(committed\)/);
  });

  it('apply is refused when a dev connection now points at another database than the one marked', async () => {
    await addConnection('dev', f.database, true);
    const other = await createDatabase();
    const config = vscode.workspace.getConfiguration('drydock');
    const connections = (config.get<{ name: string; database?: string }[]>('connections') ?? []).map((c) => (c.name === 'dev' ? { ...c, database: other } : c));
    await config.update('connections', connections, vscode.ConfigurationTarget.Global);
    const report = await vscode.commands.executeCommand<RunReport | undefined>('drydock.applyMigration', fixture('migrations/001_create_accounts.sql'));
    assert.equal(report, undefined);
    assert.equal(f.prompts.length, 0);
    assert.equal(await tableExists(other, 'accounts'), false);
    await waitForLogLine(f.api, new RegExp(`Apply refused: connection "dev" now points to drydock_test@127\\.0\\.0\\.1:\\d+/${other}, not drydock_test@127\\.0\\.0\\.1:\\d+/${f.database} where it was marked`));
  });

  it('apply is refused when the dev mark records another server (system identifier) than the one reached', async () => {
    await addConnection('dev', f.database, true);
    const { devMarks } = f.api._private.context;
    const mark = devMarks.get('dev')!;
    await devMarks.set('dev', { ...mark, server: { ...mark.server, systemIdentifier: '42' } });
    const report = await vscode.commands.executeCommand<RunReport | undefined>('drydock.applyMigration', fixture('migrations/001_create_accounts.sql'));
    assert.equal(report, undefined);
    assert.equal(f.prompts.length, 0);
    assert.equal(await tableExists(f.database, 'accounts'), false);
    await waitForLogLine(f.api, new RegExp(`Apply refused: connection "dev" now reaches server \\d+ port \\d+ database "${f.database}", not the development database it was marked on \\(server 42 `));
  });

  it('the apply run checks the dev mark again on its own connection: a mark that no longer matches is refused before anything is sent', async () => {
    await addConnection('dev', f.database, true);
    const { devMarks } = f.api._private.context;
    // The guard has passed by the time the confirmation is asked; the mark then names another server.
    f.api._private.context.prompts = {
      ...scriptedPrompts({}),
      confirm: async () => {
        const mark = devMarks.get('dev')!;
        await devMarks.set('dev', { ...mark, server: { ...mark.server, systemIdentifier: '42' } });
        return true;
      },
    };
    const report = await vscode.commands.executeCommand<RunReport | undefined>('drydock.applyMigration', fixture('migrations/001_create_accounts.sql'));
    // The language server identifies the server the apply's connection reaches and refuses before running anything.
    assert.equal(report, undefined);
    await waitForLogLine(f.api, /run refused: Apply refused: connection "dev" .*42/);
    assert.equal(await tableExists(f.database, 'accounts'), false);
  });
});
