import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import * as vscode from 'vscode';
import type { RunReport } from '../../../src/core/model/report';
import { addConnection, drydockDiagnostics, fixture, hoverTextAt, query, ruleIdOf, useRunFixture, waitFor } from '../support';

const RULE = 'changing-column-type';

/** The changing-column-type diagnostic on a 0-based line. */
function typeChangeOn(document: vscode.TextDocument, line: number): vscode.Diagnostic | undefined {
  return drydockDiagnostics(document.uri).find((d) => ruleIdOf(d) === RULE && d.range.start.line === line);
}

describe('a run\'s evidence in the editor', () => {
  const f = useRunFixture();

  it('after a dry-run, a finding the run contradicted is downgraded to info and says so, one it confirmed says so; the hover tells both; an edit of the statement drops its evidence', async () => {
    await query(f.database, "CREATE TABLE evidence_items (id bigint PRIMARY KEY, code varchar(50), qty int); INSERT INTO evidence_items SELECT g, 'c' || g, g FROM generate_series(1, 100) g;");
    await addConnection('evidence', f.database, false);
    const document = await vscode.workspace.openTextDocument(fixture('evidence/a_retype.sql'));
    const editor = await vscode.window.showTextDocument(document);
    // Before the run: both type changes are predicted to rewrite the table, as `drydock check` says.
    await waitFor('both predictions', () => typeChangeOn(document, 1) && typeChangeOn(document, 3));
    assert.equal(typeChangeOn(document, 1)!.severity, vscode.DiagnosticSeverity.Error);

    const report = await vscode.commands.executeCommand<RunReport>('drydock.dryRunMigration', document.uri);
    assert.equal(report?.outcome, 'succeeded', JSON.stringify(report?.error));
    assert.deepEqual(report.diagnostics.filter((d) => d.ruleId === RULE).map((d) => d.evidence), ['contradicted', 'confirmed']);

    const widened = await waitFor('the contradicted finding downgraded', () => {
      const d = typeChangeOn(document, 1);
      return d?.severity === vscode.DiagnosticSeverity.Information ? d : undefined;
    });
    assert.match(widened.message, /^Contradicted by the last dry-run: .*ALTER COLUMN code TYPE on evidence_items\./);
    assert.match(widened.message, /Measured in the run: PostgreSQL did not rewrite evidence_items \(its storage is unchanged\)\. Downgraded from error to info\.$/);
    const retyped = typeChangeOn(document, 3)!;
    assert.equal(retyped.severity, vscode.DiagnosticSeverity.Error);
    assert.match(retyped.message, /Confirmed by the run: rewrote evidence_items\.$/);

    const hover = (await hoverTextAt(document.uri, new vscode.Position(1, 5))).join('\n');
    assert.match(hover, new RegExp(`\`${RULE}\` \\(info\\) · \\*\\*contradicted by the last run\\*\\* \\(downgraded from error\\)`));
    assert.match(hover, /Measured by the last dry-run/);
    assert.match(hover, /ACCESS EXCLUSIVE on evidence_items \(blocks reads and writes\) held \d+ ms/);
    assert.doesNotMatch(hover, /rewrote table evidence_items/, 'the widening rewrote nothing');
    const confirmedHover = (await hoverTextAt(document.uri, new vscode.Position(3, 5))).join('\n');
    assert.match(confirmedHover, new RegExp(`\`${RULE}\` \\(error\\) · \\*\\*confirmed by the last run\\*\\*`));
    assert.match(confirmedHover, /rewrote table evidence_items/);

    // The same length keeps the second statement where it ran: only the edited one loses its evidence.
    await editor.edit((e) => e.replace(document.lineAt(1).range, document.lineAt(1).text.replace('varchar(100)', 'varchar(200)')));
    assert.equal(await document.save(), true);
    await waitFor('the edited statement judged again, without evidence', () => typeChangeOn(document, 1)?.severity === vscode.DiagnosticSeverity.Error);
    assert.doesNotMatch(typeChangeOn(document, 1)!.message, /Contradicted/);
    assert.match(typeChangeOn(document, 3)!.message, /Confirmed by the run: rewrote evidence_items\.$/, 'the unchanged statement keeps its evidence');
  });
});
