import assert from 'node:assert/strict';
import { before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import type { RunReport } from '../../../src/core/model/report';
import type { DrydockApi } from '../../../src/extension/extension';
import { drydock, fixture, waitFor, withoutConnections } from '../support';

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
    assert.match(String(api._private.tree.getChildren()[0]?.description), /succeeded · rolled back .* shadow/);
  });

  it('an earlier migration that fails is reported as that migration\'s, at its line', async () => {
    const report = await vscode.commands.executeCommand<RunReport>('drydock.dryRunMigration', fixture('shadow-broken/c_target.sql'));
    assert.equal(report?.outcome, 'failed');
    assert.match(report.error?.message ?? '', /^earlier migration shadow-broken\/b_tasks_done\.sql:2 failed: relation "taks" does not exist/);
    assert.deepEqual(report.statements.map((s) => s.status), ['skipped']);
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
    assert.match(String(run?.description), /succeeded · rolled back/);
  });
});
