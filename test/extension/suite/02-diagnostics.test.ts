import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import * as vscode from 'vscode';
import { drydock, fixture, waitFor } from '../support';

function parseDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'drydock');
}

describe('static diagnostics', () => {
  it('underlines a syntax error at the offending token when the file is opened', async () => {
    await drydock();
    const uri = fixture('broken/syntax_error.sql');
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    const [diagnostic, ...rest] = await waitFor('syntax diagnostics', () => {
      const found = parseDiagnostics(uri);
      return found.length > 0 ? found : undefined;
    });
    assert.equal(rest.length, 0);
    assert.equal(diagnostic?.code, 'syntax-error');
    assert.equal(diagnostic?.severity, vscode.DiagnosticSeverity.Error);
    // `CREATE TABLE broken (id int,, name text);` is line 3; the parser stops at the second comma.
    assert.equal(diagnostic?.range.start.line, 2);
    assert.equal(document.getText(diagnostic?.range).startsWith(','), true, `underlined "${document.getText(diagnostic?.range)}"`);
  });

  it('reports a psql meta-command as an error on its line', async () => {
    const uri = fixture('broken/meta_command.sql');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const found = await waitFor('meta-command diagnostic', () => parseDiagnostics(uri).find((d) => d.code === 'psql-meta-command'));
    assert.equal(found.range.start.line, 0);
    assert.equal(found.severity, vscode.DiagnosticSeverity.Error);
  });

  it('clears the syntax diagnostic when the file is fixed and saved', async () => {
    const uri = fixture('broken/syntax_error.sql');
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const line = editor.document.lineAt(2);
    await editor.edit((e) => e.replace(line.range, 'CREATE TABLE broken (id int, name text);'));
    // No connection is configured yet, so a save would also dry-run on the shadow; this test is about parsing.
    const config = vscode.workspace.getConfiguration('drydock');
    await config.update('dryRunOnSave', false, vscode.ConfigurationTarget.Global);
    try {
      await editor.document.save();
      // The fixed file parses; what remains are the other rules' findings on it (int columns).
      await waitFor('syntax diagnostic cleared', () => parseDiagnostics(uri).every((d) => d.code !== 'syntax-error'));
    } finally {
      await config.update('dryRunOnSave', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});
