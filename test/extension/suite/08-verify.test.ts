import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import * as vscode from 'vscode';
import type { RunReport } from '../../../src/core/model/report';
import { addConnection, createDatabase, drydock, fixture, labelOf, type Notified, type ResultNode, scriptedPrompts } from '../support';

describe('verify', () => {
  it('lists each declared object under a Verification node with its status', async () => {
    const api = await drydock();
    const notified: Notified[] = [];
    api._private.context.prompts = scriptedPrompts({ confirm: true, notified });
    const database = await createDatabase();
    await addConnection('dev-verify', database, true);
    await vscode.commands.executeCommand('drydock.applyMigration', fixture('migrations/001_create_accounts.sql'));
    await vscode.commands.executeCommand('drydock.results.clear');

    const report = await vscode.commands.executeCommand<RunReport>('drydock.verifyMigration', fixture('verify/accounts_email_index.sql'));
    assert.equal(report?.mode, 'verify');
    assert.deepEqual(report.verification.map((c) => [c.kind, c.status]), [['index', 'missing']]);
    const [run] = api._private.tree.getChildren() as ResultNode[];
    const verification = run!.children().find((n) => n.contextValue === 'drydock.verification');
    assert.ok(verification, 'no Verification node');
    assert.equal(verification.description, '0 of 1 ok');
    const [check] = verification.children();
    assert.match(labelOf(check!), /^index .*accounts_email_idx$/);
    assert.match(String(check!.description), /^missing/);
    // Said as the CLI says it: Drydock's own failure, not a "Database error" no database sent.
    const failed = notified.find((n) => /^Drydock: Verify failed/.test(n.message));
    assert.ok(failed, JSON.stringify(notified));
    assert.match(failed.message, /^Drydock: Verify failed \([^)]*\): Verification failed: index \S*accounts_email_idx is missing/);
    assert.doesNotMatch(failed.message, /Database error|verification failed/);
  });
});
