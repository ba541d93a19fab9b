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
    assert.ok(text.indexOf('Measured by the last dry-run') < text.indexOf('Takes ACCESS EXCLUSIVE'), `the measured evidence leads:\n${text}`);
    assert.match(text, /predicted from the text/);
  });

  it('does not repeat the diagnostics\' messages (the editor shows them beside the hover): one line per finding with its rule and docs', async () => {
    const document = await openFixture('hover/a_index_email.sql');
    const text = await hoverOn(document, 1, 8);
    const diagnostics = await waitFor('the diagnostics', () => {
      const list = vscode.languages.getDiagnostics(document.uri).filter((d) => d.source === 'drydock');
      return list.length > 0 ? list : undefined;
    });
    for (const d of diagnostics) assert.equal(text.includes(d.message), false, `the hover repeats "${d.message}":\n${text}`);
    assert.equal(text.match(/require-concurrent-index-creation/g)?.length, 2, 'the rule id and its docs link, once');
  });

  it('on a statement that failed in the last dry-run, says it failed and that nothing was measured (never "no lock")', async () => {
    await query(f.database, 'CREATE TABLE accounts (id bigint PRIMARY KEY, email text); CREATE TABLE hover_orders (id int PRIMARY KEY, qty int); INSERT INTO hover_orders VALUES (1, 1), (2, -3);');
    await addConnection('hover-failed', f.database, false);
    const document = await openFixture('hover/c_check_fails.sql');
    const report = await vscode.commands.executeCommand<RunReport>('drydock.dryRunMigration', document.uri);
    assert.equal(report?.error?.sqlstate, '23514', JSON.stringify(report?.error));
    const text = await waitFor('the hover with the run', async () => {
      const shown = await hoverOn(document, 1, 3);
      return /Failed in the last dry-run/.test(shown) ? shown : undefined;
    });
    assert.match(text, /^\$\(error\) \*\*Failed in the last dry-run\*\* \(SQLSTATE 23514, [^)]+\): nothing was measured/);
    assert.doesNotMatch(text, /No lock on an existing table/);
    assert.doesNotMatch(text, /Measured by the last/);
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
