import assert from 'node:assert/strict';
import { before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import type { RunReport } from '../../../src/core/model/report';
import type { DrydockApi } from '../../../src/extension/extension';
import { drydock, fixture, labelOf, type ResultNode, waitFor, withoutConnections } from '../support';

describe('shadow (no connection configured)', () => {
  withoutConnections();
  let api: DrydockApi;
  before(async () => { api = await drydock(); });

  it('the status bar says the dry-runs go to the shadow, PGlite 18', () => {
    assert.equal(api._private.context.connections.activeName(), undefined);
    assert.match(api._private.statusBar.text, /Shadow · PGlite 18$/);
  });

  it('Dry-Run Migration replays the earlier migrations in PGlite (a no-transaction one outside a transaction), then dry-runs the file', async () => {
    const report = await vscode.commands.executeCommand<RunReport>('drydock.dryRunMigration', fixture('shadow/c_projects_owner.sql'));
    assert.equal(report?.outcome, 'succeeded', JSON.stringify(report?.error));
    assert.equal(report.shadow?.kind, 'pglite');
    assert.equal(report.shadow?.history, 2);
    assert.equal(report.committed, false);
    assert.deepEqual(report.statements.map((s) => s.status), ['ok']);
    const [run] = api._private.tree.getChildren();
    assert.equal(labelOf(run!), 'c_projects_owner.sql', 'the run is labelled by its file: the rest is in the description and tooltip');
    assert.match(String(run?.description), /^dry-run succeeded · \d/);
    const tooltip = String(run?.tooltip);
    assert.match(tooltip, /^dry-run succeeded \(rolled back\)/);
    assert.match(tooltip, /Earlier migrations: 2 applied first on PGlite 18[.\d]*(, \d of them restored from the snapshot cache)?; replaying \d took [\d.]+ m?s, starting the shadow [\d.]+ m?s\./);
    assert.match(tooltip, /The duration shown \([\d.]+ m?s\) includes that replay; the files' own statements took/);
    assert.match(tooltip, /Connection: shadow/);
  });

  it('an earlier migration that fails is the history\'s, at its line; the file still dry-runs on the state before it, and the tree says so first', async () => {
    const report = await vscode.commands.executeCommand<RunReport>('drydock.dryRunMigration', fixture('shadow-broken/c_target.sql'));
    assert.equal(report?.outcome, 'succeeded', JSON.stringify(report?.error));
    assert.equal(report.error, undefined, 'the earlier failure is not the file\'s error');
    assert.match(report.historyFailure?.error.message ?? '', /^earlier migration shadow-broken\/b_tasks_done\.sql:2 failed: relation "taks" does not exist/);
    assert.deepEqual([report.historyFailure?.applied, report.historyFailure?.filesRan], [1, true]);
    assert.deepEqual(report.statements.map((s) => s.status), ['ok']);
    const [run] = api._private.tree.getChildren() as ResultNode[];
    assert.match(String(run!.description), /^dry-run succeeded · history failed · /);
    const [history, statement] = run!.children();
    assert.equal(labelOf(history!), 'Earlier migration failed: b_tasks_done.sql:2');
    assert.match(String(history!.description), /^not this file's error · ran on the state before it$/);
    assert.equal(statement!.contextValue, 'drydock.statement.ok');
    // A click on it opens the earlier file at the failing statement.
    await vscode.commands.executeCommand(history!.command!.command, ...(history!.command!.arguments ?? []));
    const opened = vscode.window.activeTextEditor;
    assert.equal(opened?.document.uri.fsPath, fixture('shadow-broken/b_tasks_done.sql').fsPath);
    assert.equal(opened?.selection.start.line, 1);
    assert.match(String(run!.tooltip), /The history failed at shadow-broken\/b_tasks_done\.sql: the files were dry-run anyway, on the state before/);
  });

  it('only the newest run is expanded; a run whose file changed since is marked stale', async () => {
    await vscode.commands.executeCommand('drydock.results.clear');
    const file = fixture('shadow-broken/c_target.sql');
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file));
    await vscode.commands.executeCommand('drydock.dryRunMigration', file);
    const [first] = api._private.tree.getChildren();
    assert.equal(first!.collapsibleState, vscode.TreeItemCollapsibleState.Expanded);
    await vscode.commands.executeCommand('drydock.dryRunMigration', file);
    const [newest, older] = api._private.tree.getChildren();
    assert.equal(newest!.collapsibleState, vscode.TreeItemCollapsibleState.Expanded);
    assert.equal(older!.collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
    assert.notEqual(older!.id, first!.id, 'the older run gets a new id, so VS Code forgets it was expanded');
    assert.doesNotMatch(String(newest!.description), /stale/, 'must not mark a run of the text as it is');
    try {
      await editor.edit((e) => e.replace(new vscode.Range(0, 0, 0, 9), 'SELECT 2;'));
      const [edited] = api._private.tree.getChildren();
      assert.match(String(edited!.description), /^stale · dry-run succeeded/);
      assert.match(String(edited!.tooltip), /Stale: a file changed since this run/);
    } finally {
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
  });

  it('the fix query\'s rows of a shadow run open as a table from the tree (a click on the row, or Run Fix Query on the shadow)', async () => {
    await vscode.commands.executeCommand('drydock.results.clear');
    const report = await vscode.commands.executeCommand<RunReport>('drydock.dryRunMigration', fixture('shadow-fix-rows/b_unique_email.sql'));
    assert.equal(report?.outcome, 'failed');
    assert.equal(report.error?.sqlstate, '23505');
    const [run] = api._private.tree.getChildren() as ResultNode[];
    const failed = run!.children().find((n) => n.contextValue === 'drydock.statement.failed');
    const error = failed!.children().find((n) => n.contextValue === 'drydock.error.fixable');
    assert.ok(error, 'no fixable error node');
    const rows = error.children().find((n) => n.contextValue === 'drydock.fixRows');
    assert.ok(rows, 'no fix-rows node');
    assert.match(labelOf(rows), /^Rows the fix query found: [1-9]/);
    assert.equal(rows.command?.command, 'drydock.results.showFixRows', 'a click on the row opens them');
    await vscode.commands.executeCommand(rows.command.command, ...(rows.command.arguments ?? []));
    const shown = vscode.window.activeTextEditor?.document;
    assert.equal(shown?.languageId, 'markdown');
    assert.match(shown?.getText() ?? '', /as the run found them/);
    assert.match(shown?.getText() ?? '', /ada@example\.com/);
    const result = await vscode.commands.executeCommand<{ rows: Record<string, unknown>[] } | undefined>('drydock.results.runFixQuery', error);
    assert.ok(result, 'Run Fix Query on the shadow answered nothing');
    assert.match(JSON.stringify(result.rows), /ada@example\.com/);
    assert.match(vscode.window.activeTextEditor?.document.getText() ?? '', /read-only transaction, rolled back/);
  });

  it('dry-run on save is on for the shadow while the setting is unset', async () => {
    assert.equal(vscode.workspace.getConfiguration('drydock').inspect('dryRunOnSave')?.defaultValue, null);
    await vscode.commands.executeCommand('drydock.results.clear');
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(fixture('shadow/c_projects_owner.sql')));
    await editor.edit((e) => e.insert(new vscode.Position(0, 0), '-- touched\n'));
    assert.ok(await editor.document.save());
    const [run] = await waitFor('a run from the save', () => {
      const runs = api._private.tree.getChildren();
      return runs.length > 0 ? runs : undefined;
    }, 60_000);
    assert.match(String(run?.description), /^dry-run succeeded · /);
  });
});
