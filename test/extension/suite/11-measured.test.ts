import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import * as vscode from 'vscode';
import type { RunReport } from '../../../src/core/model/report';
import { addConnection, fixture, labelOf, query, runNodes, useRunFixture, waitFor } from '../support';

describe('measured locks and rewrites in the editor', () => {
  const f = useRunFixture();

  it('a dry-run shows what a statement locked and rewrote: in the Migration Runs view and above the statement', async () => {
    await query(f.database, "CREATE TABLE accounts (id int PRIMARY KEY, email text); INSERT INTO accounts SELECT g, 'a' || g FROM generate_series(1, 100) g;");
    await addConnection('measured', f.database, false);
    const file = fixture('measured/add_token.sql');
    const document = await vscode.workspace.openTextDocument(file);
    await vscode.window.showTextDocument(document);
    const report = await vscode.commands.executeCommand<RunReport>('drydock.dryRunMigration', file);
    assert.equal(report?.outcome, 'succeeded', JSON.stringify(report?.error));
    assert.deepEqual(report.statements[0]!.locks.map((l) => `${l.mode} ${l.relation}`), ['AccessExclusiveLock accounts']);
    assert.ok(report.statements[0]!.locks[0]!.heldMs >= 100, 'the lock is held while the later statement sleeps');

    const [run] = runNodes(f.api);
    const [alter] = run!.children();
    assert.match(String(alter!.description), /· ACCESS EXCLUSIVE · rewrite$/);
    const groups = Object.fromEntries(alter!.children().map((g) => [labelOf(g), g]));
    assert.ok(groups.Locks && groups.Rewrites, `groups: ${Object.keys(groups).join(', ')}`);
    // The row leads with the SQL lock name and the table; what it blocks and how long it was held follow.
    const [lock] = groups.Locks.children();
    assert.equal(labelOf(lock!), 'ACCESS EXCLUSIVE on accounts');
    assert.match(String(lock!.description), /^blocks reads and writes · held \d+ ms while 1 later statement ran$/);
    assert.deepEqual(groups.Rewrites.children().map((r) => labelOf(r)), ['table accounts rewritten', 'index accounts_pkey rewritten']);

    const lens = await waitFor('the measurement lens', async () => {
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', file);
      return lenses.find((l) => l.command?.title.includes('ACCESS EXCLUSIVE'));
    });
    assert.equal(lens.command!.title, '$(pulse) ACCESS EXCLUSIVE · rewrite');
    assert.equal(lens.range.start.line, 1, 'the lens is not above the ALTER TABLE');
  });
});
