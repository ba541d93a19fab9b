import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import * as vscode from 'vscode';
import type { RunReport } from '../../../src/core/model/report';
import { addConnection, fixture, hoverTextAt, query, useRunFixture, waitFor } from '../support';

async function openFixture(relative: string): Promise<vscode.TextDocument> {
  const document = await vscode.workspace.openTextDocument(fixture(relative));
  await vscode.window.showTextDocument(document);
  return document;
}

/** The hover texts at a position, waiting for the first check of the file to finish. */
function hoverOn(document: vscode.TextDocument, line: number, character: number): Promise<string> {
  return waitFor(`a hover at ${line + 1}:${character + 1}`, async () => (await hoverTextAt(document.uri, new vscode.Position(line, character))).join('\n'));
}

describe('hover on a migration statement', () => {
  const f = useRunFixture();

  it('shows the lock PostgreSQL takes and on which table, what it blocks, the scan, and the finding with its rule\'s explanation and docs page', async () => {
    const document = await openFixture('hover/a_index_email.sql');
    const text = await hoverOn(document, 1, 8);
    assert.match(text, /Takes SHARE on accounts \(blocks writes\) and reads all of accounts while it holds the lock\./);
    assert.match(text, /`require-concurrent-index-creation` \(error\)/);
    assert.match(text, /CREATE INDEX without CONCURRENTLY on an existing table blocks its writes for the whole build\./, 'the rule\'s summary');
    assert.match(text, /\[docs\]\(file:\/\/[^)]*\/docs\/rules\/require-concurrent-index-creation\.md\)/);
    assert.doesNotMatch(text, /Measured by/, 'nothing was measured yet');
  });

  it('says when the table is created earlier in the same migration (nobody can be waiting for it)', async () => {
    const document = await openFixture('hover/a_index_email.sql');
    const text = await hoverOn(document, 4, 3);
    assert.match(text, /hover_new is created earlier in this migration: nobody can be waiting for it yet\./);
    assert.doesNotMatch(text, /require-concurrent-index-creation/);
  });

  it('shows nothing between statements (a comment line, a blank line)', async () => {
    const document = await openFixture('hover/a_index_email.sql');
    await hoverOn(document, 1, 8); // the file is checked
    assert.deepEqual(await hoverTextAt(document.uri, new vscode.Position(0, 5)), []);
    assert.deepEqual(await hoverTextAt(document.uri, new vscode.Position(2, 0)), []);
  });

  it('after a dry-run, adds the locks and rewrite the run measured for that statement', async () => {
    await query(f.database, "CREATE TABLE accounts (id bigint PRIMARY KEY, email text); INSERT INTO accounts SELECT g, 'a' || g FROM generate_series(1, 100) g;");
    await addConnection('hover', f.database, false);
    const document = await openFixture('hover/b_add_token.sql');
    const report = await vscode.commands.executeCommand<RunReport>('drydock.dryRunMigration', document.uri);
    assert.equal(report?.outcome, 'succeeded', JSON.stringify(report?.error));
    const text = await hoverOn(document, 1, 3);
    assert.match(text, /Takes ACCESS EXCLUSIVE on accounts \(blocks reads and writes\)/, 'the prediction');
    assert.match(text, /Measured by the last dry-run/);
    assert.match(text, /ACCESS EXCLUSIVE on accounts \(blocks reads and writes\) held \d+ ms/);
    assert.match(text, /rewrote table accounts/);
  });

  it('shows nothing in a file that is not a migration: not SQL, or outside drydock.migrationsGlobs', async () => {
    const notes = await openFixture('not-migrations/index.txt');
    assert.deepEqual(await hoverTextAt(notes.uri, new vscode.Position(0, 3)), []);
    const document = await openFixture('hover/a_index_email.sql');
    await hoverOn(document, 1, 8);
    const config = vscode.workspace.getConfiguration('drydock');
    await config.update('migrationsGlobs', ['db/migrations/**/*.sql'], vscode.ConfigurationTarget.Global);
    try {
      assert.deepEqual(await hoverTextAt(document.uri, new vscode.Position(1, 8)), []);
    } finally {
      await config.update('migrationsGlobs', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});
