import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'mocha';
import * as vscode from 'vscode';
import type { RunReport } from '../../../src/core/report';
import type { DrydockApi } from '../../../src/extension/extension';
import { addConnection, createDatabase, drydock, fixture, query, tableExists, testServer, waitFor } from '../support';

type Node = vscode.TreeItem & { children(): Node[] };

function labelOf(item: vscode.TreeItem): string {
  return typeof item.label === 'string' ? item.label : item.label?.label ?? '';
}

describe('dry-run, apply and the results tree', () => {
  let api: DrydockApi;
  let database: string;
  const prompts: string[] = [];

  before(async () => {
    api = await drydock();
    // Modal dialogs would wait for a click: answer "Apply" and record what was asked.
    api._private.context.prompts = {
      confirm: async (message, detail) => {
        prompts.push(`${message}\n${detail}`);
        return true;
      },
    };
  });

  beforeEach(async () => {
    database = await createDatabase();
    prompts.length = 0;
    await vscode.commands.executeCommand('drydock.results.clear');
  });

  it('dry-run of a file succeeds, shows its statements, and leaves nothing in the database', async () => {
    await addConnection('scratch', database, false);
    const report = await vscode.commands.executeCommand<RunReport>('drydock.dryRunMigration', fixture('migrations/001_create_accounts.sql'));
    assert.equal(report?.outcome, 'succeeded');
    assert.equal(report.committed, false);
    assert.equal(await tableExists(database, 'accounts'), false, 'dry-run left the accounts table behind');

    const [run, ...others] = api._private.tree.getChildren() as Node[];
    assert.equal(others.length, 0);
    assert.ok(run);
    assert.equal(run.contextValue, 'drydock.run');
    assert.match(labelOf(run), /^dry-run: 001_create_accounts\.sql$/);
    assert.match(String(run.description), /succeeded · rolled back/);
    const statements = run.children();
    assert.deepEqual(statements.map((s) => s.contextValue), ['drydock.statement.ok', 'drydock.statement.ok']);
    assert.equal(labelOf(statements[0]!), 'CREATE TABLE accounts (');
    assert.equal(statements[0]!.command?.command, 'drydock.results.reveal');
  });

  it('dry-run of a folder up to a file shows the classified failure in the tree and as a diagnostic', async () => {
    await addConnection('scratch', database, false);
    const target = fixture('migrations/002_unique_email.sql');
    const report = await vscode.commands.executeCommand<RunReport>('drydock.dryRunFolderUpToFile', target);
    assert.equal(report?.outcome, 'failed');
    assert.deepEqual(report.files.map((f) => f.split('/').pop()), ['001_create_accounts.sql', '002_unique_email.sql']);
    assert.equal(await tableExists(database, 'accounts'), false, 'the failed dry-run left the accounts table behind');

    const [run] = api._private.tree.getChildren() as Node[];
    const failed = run!.children().find((s) => s.contextValue === 'drydock.statement.failed');
    assert.ok(failed, 'no failed statement in the tree');
    assert.equal(labelOf(failed), 'CREATE UNIQUE INDEX accounts_email_key ON accounts (email)');
    const error = failed.children().find((c) => c.contextValue?.startsWith('drydock.error'));
    assert.ok(error, 'the failed statement has no error child');
    assert.equal(labelOf(error), 'Data conflict');
    assert.match(String(error.description), /^23505 /);
    const details = Object.fromEntries(error.children().map((d) => [labelOf(d), String(d.tooltip)]));
    assert.match(details.Message ?? '', /could not create unique index/);
    assert.match(details.Detail ?? '', /ada@example\.com/);

    const diagnostics = vscode.languages.getDiagnostics(target).filter((d) => d.source === 'drydock run');
    assert.equal(diagnostics.length, 1);
    assert.equal(diagnostics[0]!.code, '23505');
    assert.equal(diagnostics[0]!.range.start.line, 3, 'the diagnostic is not on the CREATE UNIQUE INDEX line');
  });

  it('the next run clears the previous run diagnostics', async () => {
    await addConnection('scratch', database, false);
    const target = fixture('migrations/002_unique_email.sql');
    await vscode.commands.executeCommand('drydock.dryRunFolderUpToFile', target);
    assert.equal(vscode.languages.getDiagnostics(target).filter((d) => d.source === 'drydock run').length, 1);
    await vscode.commands.executeCommand('drydock.dryRunMigration', fixture('migrations/001_create_accounts.sql'));
    assert.equal(vscode.languages.getDiagnostics(target).filter((d) => d.source === 'drydock run').length, 0);
  });

  it('dry-run of a folder runs its SQL files in name order', async () => {
    await addConnection('scratch', database, false);
    const report = await vscode.commands.executeCommand<RunReport>('drydock.dryRunMigration', fixture('migrations'));
    assert.deepEqual(report?.files.map((f) => f.split('/').pop()), ['001_create_accounts.sql', '002_unique_email.sql']);
    assert.equal(report.outcome, 'failed');
    assert.equal(report.error?.sqlstate, '23505');
  });

  it('shows a statement\'s notices under it', async () => {
    await addConnection('scratch', database, false);
    await vscode.commands.executeCommand('drydock.dryRunMigration', fixture('notices/raise_notice.sql'));
    const [run] = api._private.tree.getChildren() as Node[];
    const [statement] = run!.children();
    const notice = statement!.children().find((c) => labelOf(c) === 'NOTICE');
    assert.ok(notice, 'no NOTICE node under the DO statement');
    assert.equal(notice.description, 'backfill would touch 42 rows');
  });

  it('Remove Connection deletes it from settings, with its password and dev mark', async () => {
    await addConnection('to-remove', database, true);
    assert.ok(api._private.context.devMarks.get('to-remove'));
    assert.equal(await vscode.commands.executeCommand('drydock.removeConnection', 'to-remove'), true);
    const names = (vscode.workspace.getConfiguration('drydock').get<{ name: string }[]>('connections') ?? []).map((c) => c.name);
    assert.equal(names.includes('to-remove'), false);
    assert.equal(await api._private.context.passwords.get('to-remove'), undefined);
    assert.equal(api._private.context.devMarks.get('to-remove'), undefined);
  });

  it('editing the text a run diagnostic points at removes that diagnostic', async () => {
    await addConnection('scratch', database, false);
    const target = fixture('migrations/002_unique_email.sql');
    await vscode.commands.executeCommand('drydock.dryRunFolderUpToFile', target);
    const runDiagnostics = () => vscode.languages.getDiagnostics(target).filter((d) => d.source === 'drydock run');
    assert.equal(runDiagnostics().length, 1);
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(target));
    await editor.edit((e) => e.insert(new vscode.Position(3, 0), ' '));
    await waitFor('the run diagnostic to go', () => runDiagnostics().length === 0);
    await editor.edit((e) => e.delete(new vscode.Range(3, 0, 3, 1)));
    await editor.document.save();
  });

  it('keeps only the last drydock.results.maxRuns runs', async () => {
    await addConnection('scratch', database, false);
    const config = vscode.workspace.getConfiguration('drydock');
    await config.update('results.maxRuns', 2, vscode.ConfigurationTarget.Global);
    try {
      for (let i = 0; i < 3; i++) await vscode.commands.executeCommand('drydock.dryRunMigration', fixture('migrations/001_create_accounts.sql'));
      assert.equal(api._private.tree.getChildren().length, 2);
    } finally {
      await config.update('results.maxRuns', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('apply is refused on a connection not marked as a development database', async () => {
    await addConnection('not-dev', database, false);
    const report = await vscode.commands.executeCommand<RunReport | undefined>('drydock.applyMigration', fixture('migrations/001_create_accounts.sql'));
    assert.equal(report, undefined);
    assert.equal(prompts.length, 0, 'a refused apply must not even ask');
    assert.equal(await tableExists(database, 'accounts'), false);
  });

  it('apply on a dev connection asks with server, database, user and statement count, then commits', async () => {
    await addConnection('dev', database, true);
    const report = await vscode.commands.executeCommand<RunReport>('drydock.applyMigration', fixture('migrations/001_create_accounts.sql'));
    assert.equal(report?.outcome, 'succeeded');
    assert.equal(report.committed, true);
    assert.equal(prompts.length, 1);
    assert.match(prompts[0]!, /Apply 2 statements to database "ext_/);
    assert.match(prompts[0]!, /Server: 127\.0\.0\.1:\d+/);
    assert.match(prompts[0]!, /User: drydock_test/);
    const rows = await query(database, 'SELECT count(*)::int AS n FROM accounts');
    assert.equal(rows[0]?.n, 3);
    const [run] = api._private.tree.getChildren() as Node[];
    assert.match(String(run!.description), /succeeded · committed/);
  });

  it('apply is refused when a dev connection now points at another database than the one marked', async () => {
    await addConnection('dev', database, true);
    const other = await createDatabase();
    const config = vscode.workspace.getConfiguration('drydock');
    const connections = (config.get<{ name: string; database?: string }[]>('connections') ?? []).map((c) => (c.name === 'dev' ? { ...c, database: other } : c));
    await config.update('connections', connections, vscode.ConfigurationTarget.Global);
    const report = await vscode.commands.executeCommand<RunReport | undefined>('drydock.applyMigration', fixture('migrations/001_create_accounts.sql'));
    assert.equal(report, undefined);
    assert.equal(prompts.length, 0);
    assert.equal(await tableExists(other, 'accounts'), false);
  });

  it('a connection that fails shows in the status bar with the classified reason, without its password', async () => {
    await vscode.commands.executeCommand('drydock.addConnection', {
      name: 'wrong-password', host: testServer.host(), port: testServer.port(), database, user: testServer.user(), password: 'not-the-password-42',
    });
    const report = await vscode.commands.executeCommand<RunReport>('drydock.dryRunMigration', fixture('migrations/001_create_accounts.sql'));
    assert.equal(report?.server, null);
    assert.equal(report.error?.sqlstate, '28P01');
    const text = api._private.statusBar.text;
    assert.match(text, /^\$\(warning\) wrong-password/);
    assert.equal(api._private.statusBar.tooltip.includes('not-the-password-42'), false);
    assert.match(api._private.statusBar.tooltip, /28P01/);
  });

  it('cancel stops a long dry-run and leaves nothing behind', async () => {
    await addConnection('scratch', database, false);
    const running = vscode.commands.executeCommand<RunReport>('drydock.dryRunMigration', fixture('slow/slow.sql'));
    await waitFor('the sleep to start', async () => {
      const rows = await query('postgres', "SELECT 1 FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(30)%' AND state = 'active'");
      return rows.length > 0;
    });
    const started = Date.now();
    await vscode.commands.executeCommand('drydock.cancelRun');
    const report = await running;
    assert.equal(report?.outcome, 'cancelled');
    assert.ok(Date.now() - started < 10_000, 'cancel did not stop the statement promptly');
    assert.equal(await tableExists(database, 'slow_marker'), false);
  });
});

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

describe('verify', () => {
  it('lists each declared object under a Verification node with its status', async () => {
    const api = await drydock();
    api._private.context.prompts = { confirm: async () => true };
    const database = await createDatabase();
    await addConnection('dev-verify', database, true);
    await vscode.commands.executeCommand('drydock.applyMigration', fixture('migrations/001_create_accounts.sql'));
    await vscode.commands.executeCommand('drydock.results.clear');

    const report = await vscode.commands.executeCommand<RunReport>('drydock.verifyMigration', fixture('verify/accounts_email_index.sql'));
    assert.equal(report?.mode, 'verify');
    assert.deepEqual(report.verification.map((c) => [c.kind, c.status]), [['index', 'missing']]);
    const [run] = api._private.tree.getChildren() as Node[];
    const verification = run!.children().find((n) => n.contextValue === 'drydock.verification');
    assert.ok(verification, 'no Verification node');
    assert.equal(verification.description, '0 of 1 ok');
    const [check] = verification.children();
    assert.match(labelOf(check!), /^index .*accounts_email_idx$/);
    assert.match(String(check!.description), /^missing/);
  });
});
