import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'mocha';
import * as vscode from 'vscode';
import type { RunReport } from '../../../src/core/model/report';
import { addConnection, drydockLogFiles, fixture, query, runNodes, testServer, useRunFixture, waitForLogLine, type ResultNode } from '../support';

/** Every label, description and tooltip of a node and all below it, as one text. */
function treeText(node: ResultNode): string {
  const parts: string[] = [];
  const pending = [node];
  while (pending.length > 0) {
    const item = pending.pop()!;
    parts.push(JSON.stringify([item.label, item.description, item.tooltip instanceof vscode.MarkdownString ? item.tooltip.value : item.tooltip]));
    pending.push(...item.children());
  }
  return parts.join('\n');
}

describe('reports are masked before anything shows or shortens them', () => {
  const f = useRunFixture();

  it('a migration that makes the server say the connection\'s password: not in the report, the view (cut at 100 columns), the fix query\'s table (cut at 200), the diagnostics or the log', async () => {
    const password = testServer.password();
    await addConnection('echoes', f.database, false);
    // Committed beforehand, so the fix query (run outside the rolled-back dry-run) finds the rows; the table cuts values at 200 characters.
    await query(f.database, `CREATE TABLE echoed (v text); INSERT INTO echoed VALUES ('${'b'.repeat(190)}${password}'), ('${'b'.repeat(190)}${password}')`);
    const file = fixture('migrations/echo_password.sql');
    fs.writeFileSync(file.fsPath, [
      `DO $$ BEGIN RAISE NOTICE 'the password is %', $pw$${password}$pw$; END $$;`,
      // The view cuts a statement's first line at 100 columns: right inside the password.
      `SELECT '${'a'.repeat(84)} ${password}' AS cut;`,
      'CREATE UNIQUE INDEX uq_echoed_v ON echoed (v);',
      '',
    ].join('\n'));
    try {
      const report = await vscode.commands.executeCommand<RunReport>('drydock.dryRunMigration', file);
      assert.equal(report?.error?.sqlstate, '23505', JSON.stringify(report?.error));
      const head = password.slice(0, 6);
      assert.equal(JSON.stringify(report).includes(head), false, 'the report shows the password');
      assert.match(report.statements[0]!.notices[0]!.message, /^the password is \*{4}$/);
      const [run] = runNodes(f.api);
      assert.equal(treeText(run!).includes(head), false, 'the view shows the password');
      assert.equal(JSON.stringify(vscode.languages.getDiagnostics(file)).includes(head), false, 'a diagnostic shows the password');

      const failed = run!.children().find((s) => s.contextValue === 'drydock.statement.failed');
      const errorNode = failed?.children().find((c) => c.contextValue === 'drydock.error.fixable');
      assert.ok(errorNode, 'no fixable error node');
      const rows = await vscode.commands.executeCommand<{ rows: Record<string, unknown>[] }>('drydock.results.runFixQuery', errorNode);
      assert.ok(rows && rows.rows.length > 0, 'the fix query returned no rows');
      const table = vscode.window.activeTextEditor?.document.getText() ?? '';
      assert.match(table, /\| b{150,}/);
      assert.equal(table.includes(head), false, 'the fix query\'s table shows the password');

      const marker = `masked reports ${Date.now()}`;
      f.api._private.context.log.info(marker);
      await waitForLogLine(f.api, new RegExp(marker));
      assert.equal(drydockLogFiles(f.api).some((log) => fs.readFileSync(log, 'utf8').includes(head)), false, 'the log shows the password');
    } finally {
      fs.rmSync(file.fsPath, { force: true });
    }
  });
});
