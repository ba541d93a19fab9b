import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'mocha';
import * as vscode from 'vscode';
import type { RunReport } from '../../../src/core/model/report';
import { addConnection, fixture, labelOf, runNodes, tableExists, useRunFixture, waitFor } from '../support';

describe('dry-run and the Migration Runs view', () => {
  const f = useRunFixture();

  it('dry-run of a file succeeds, shows its statements, and leaves nothing in the database', async () => {
    await addConnection('scratch', f.database, false);
    const report = await vscode.commands.executeCommand<RunReport>('drydock.dryRunMigration', fixture('migrations/001_create_accounts.sql'));
    assert.equal(report?.outcome, 'succeeded');
    assert.equal(report.committed, false);
    assert.equal(await tableExists(f.database, 'accounts'), false, 'dry-run left the accounts table behind');

    const [run, ...others] = runNodes(f.api);
    assert.equal(others.length, 0);
    assert.ok(run);
    assert.equal(run.contextValue, 'drydock.run');
    assert.equal(labelOf(run), '001_create_accounts.sql', 'a run is labelled by its files: readable at the default width');
    assert.match(String(run.description), /^dry-run succeeded · \d+ ms$/);
    assert.match(String(run.tooltip), /^dry-run succeeded \(rolled back\) in \d+ ms\nConnection: scratch \(.*\)\nServer: PostgreSQL \d+/);
    const statements = run.children();
    assert.deepEqual(statements.map((s) => s.contextValue), ['drydock.statement.ok', 'drydock.statement.ok']);
    assert.match(labelOf(statements[0]!), /^CREATE TABLE accounts \( id bigint PRIMARY KEY, /, 'the statement on one line, not cut at its first line');
    assert.match(String(statements[0]!.description), /^line 2 · ok · /);
    assert.equal(statements[0]!.command?.command, 'drydock.results.reveal');
  });

  it('a second run started while one is starting is turned away instead of running alongside', async () => {
    await addConnection('scratch', f.database, false);
    const file = fixture('migrations/001_create_accounts.sql');
    const [first, second] = await Promise.all([
      vscode.commands.executeCommand<RunReport>('drydock.dryRunMigration', file),
      vscode.commands.executeCommand<RunReport | undefined>('drydock.dryRunMigration', file),
    ]);
    assert.equal(first?.outcome, 'succeeded');
    assert.equal(second, undefined);
    assert.equal(runNodes(f.api).length, 1);
  });

  it('dry-run of a folder up to a file shows the classified failure in the tree and as a diagnostic', async () => {
    await addConnection('scratch', f.database, false);
    const target = fixture('migrations/002_unique_email.sql');
    const report = await vscode.commands.executeCommand<RunReport>('drydock.dryRunFolderUpToFile', target);
    assert.equal(report?.outcome, 'failed');
    assert.deepEqual(report.files.map((f) => f.split('/').pop()), ['001_create_accounts.sql', '002_unique_email.sql']);
    assert.equal(await tableExists(f.database, 'accounts'), false, 'the failed dry-run left the accounts table behind');

    const [run] = runNodes(f.api);
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
    await addConnection('scratch', f.database, false);
    const target = fixture('migrations/002_unique_email.sql');
    await vscode.commands.executeCommand('drydock.dryRunFolderUpToFile', target);
    assert.equal(vscode.languages.getDiagnostics(target).filter((d) => d.source === 'drydock run').length, 1);
    await vscode.commands.executeCommand('drydock.dryRunMigration', fixture('migrations/001_create_accounts.sql'));
    assert.equal(vscode.languages.getDiagnostics(target).filter((d) => d.source === 'drydock run').length, 0);
  });

  it('dry-run of a folder runs its SQL files in name order', async () => {
    await addConnection('scratch', f.database, false);
    const report = await vscode.commands.executeCommand<RunReport>('drydock.dryRunMigration', fixture('migrations'));
    assert.deepEqual(report?.files.map((f) => f.split('/').pop()), ['001_create_accounts.sql', '002_unique_email.sql']);
    assert.equal(report.outcome, 'failed');
    assert.equal(report.error?.sqlstate, '23505');
  });

  it('a folder run goes forward: the down scripts of up/down pairs (golang-migrate, sqlx) are not run', async () => {
    await addConnection('scratch', f.database, false);
    const folder = fixture(`up-down-${Date.now()}`);
    fs.mkdirSync(folder.fsPath);
    const files: Record<string, string> = {
      '000001_init.up.sql': 'CREATE TABLE pairs (id int);\n', '000001_init.down.sql': 'DROP TABLE pairs;\n',
      '000002_b.up.sql': 'ALTER TABLE pairs ADD COLUMN b int;\n', '000002_b.down.sql': 'ALTER TABLE pairs DROP COLUMN b;\n',
    };
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(folder.fsPath, name), text);
    try {
      const whole = await vscode.commands.executeCommand<RunReport>('drydock.dryRunMigration', folder);
      assert.equal(whole?.outcome, 'succeeded', JSON.stringify(whole?.error));
      assert.deepEqual(whole.files.map((file) => path.basename(file)), ['000001_init.up.sql', '000002_b.up.sql']);
      const upTo = await vscode.commands.executeCommand<RunReport>('drydock.dryRunFolderUpToFile', vscode.Uri.joinPath(folder, '000002_b.up.sql'));
      assert.deepEqual(upTo?.files.map((file) => path.basename(file)), ['000001_init.up.sql', '000002_b.up.sql']);
      assert.equal(await tableExists(f.database, 'pairs'), false);
    } finally {
      fs.rmSync(folder.fsPath, { recursive: true, force: true });
    }
  });

  it('a folder run reads files that are not open from disk without opening them, and open ones as edited', async () => {
    await addConnection('scratch', f.database, false);
    const folder = fixture(`folder-run-${Date.now()}`);
    fs.mkdirSync(folder.fsPath);
    fs.writeFileSync(path.join(folder.fsPath, '001_edited.sql'), 'CREATE TABLE on_disk (id int);\n');
    fs.writeFileSync(path.join(folder.fsPath, '002_closed.sql'), 'CREATE TABLE closed_file (id int);\n');
    try {
      const editor = await vscode.window.showTextDocument(vscode.Uri.joinPath(folder, '001_edited.sql'));
      await editor.edit((e) => e.replace(editor.document.lineAt(0).range, 'CREATE TABLE in_editor (id int);'));
      const opened: string[] = [];
      const listener = vscode.workspace.onDidOpenTextDocument((d) => opened.push(d.uri.fsPath));
      let report: RunReport | undefined;
      try {
        report = await vscode.commands.executeCommand<RunReport>('drydock.dryRunMigration', folder);
      } finally {
        listener.dispose();
      }
      assert.equal(report?.outcome, 'succeeded');
      assert.deepEqual(report.statements.map((s) => s.sql), ['CREATE TABLE in_editor (id int)', 'CREATE TABLE closed_file (id int)']);
      assert.deepEqual(opened.filter((p) => p.startsWith(folder.fsPath)), [], 'the run opened a document');
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    } finally {
      fs.rmSync(folder.fsPath, { recursive: true, force: true });
    }
  });

  it('shows a statement\'s notices under it', async () => {
    await addConnection('scratch', f.database, false);
    await vscode.commands.executeCommand('drydock.dryRunMigration', fixture('notices/raise_notice.sql'));
    const [run] = runNodes(f.api);
    const [statement] = run!.children();
    const notice = statement!.children().find((c) => labelOf(c) === 'NOTICE');
    assert.ok(notice, 'no NOTICE node under the DO statement');
    assert.equal(notice.description, 'backfill would touch 42 rows');
  });

  it('editing the text a run diagnostic points at removes that diagnostic', async () => {
    await addConnection('scratch', f.database, false);
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
    await addConnection('scratch', f.database, false);
    const config = vscode.workspace.getConfiguration('drydock');
    await config.update('results.maxRuns', 2, vscode.ConfigurationTarget.Global);
    try {
      for (let i = 0; i < 3; i++) await vscode.commands.executeCommand('drydock.dryRunMigration', fixture('migrations/001_create_accounts.sql'));
      assert.equal(runNodes(f.api).length, 2);
    } finally {
      await config.update('results.maxRuns', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('a file core refuses to run is not sent: the run shows the problem and its skipped statements', async () => {
    await addConnection('scratch', f.database, false);
    const report = await vscode.commands.executeCommand<RunReport>('drydock.dryRunMigration', fixture('broken/meta_command.sql'));
    assert.equal(report?.outcome, 'refused');
    assert.equal(report.server, null);
    const [run] = runNodes(f.api);
    assert.match(String(run!.description), /^dry-run refused · /);
    assert.match(String(run!.tooltip), /^dry-run refused \(nothing sent\)/);
    const children = run!.children();
    assert.ok(children.some((c) => c.contextValue === 'drydock.statement.skipped'), 'no skipped statement');
    const problem = children.find((c) => labelOf(c) === 'Problem');
    assert.match(String(problem?.description), /meta_command\.sql:1 Write the SQL this stands for: it is a psql meta-command/);
    assert.equal(await tableExists(f.database, 'with_meta'), false);
  });
});
