import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import * as vscode from 'vscode';
import { drydock, drydockDiagnostics as parseDiagnostics, EXTENSION_ID, fixture, ruleIdOf, waitFor } from '../support';

describe('static diagnostics', () => {
  it('underlines a syntax error at the offending token when the file is opened; its code links to the rule\'s page in the extension', async () => {
    await drydock();
    const uri = fixture('broken/syntax_error.sql');
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    const [diagnostic, ...rest] = await waitFor('syntax diagnostics', () => {
      const found = parseDiagnostics(uri);
      return found.length > 0 ? found : undefined;
    });
    assert.equal(rest.length, 0);
    assert.equal(ruleIdOf(diagnostic!), 'syntax-error');
    // The code links to the rule's page, shipped inside the extension (so it opens offline).
    const docs = vscode.Uri.joinPath(vscode.extensions.getExtension(EXTENSION_ID)!.extensionUri, 'docs', 'rules', 'syntax-error.md');
    assert.equal(typeof diagnostic?.code === 'object' ? diagnostic.code.target.toString() : undefined, docs.toString());
    await vscode.workspace.fs.stat(docs); // throws when the page is not there
    assert.equal(diagnostic?.severity, vscode.DiagnosticSeverity.Error);
    // `CREATE TABLE broken (id int,, name text);` is line 3; the parser stops at the second comma.
    assert.equal(diagnostic?.range.start.line, 2);
    assert.equal(document.getText(diagnostic?.range).startsWith(','), true, `underlined "${document.getText(diagnostic?.range)}"`);
  });

  it('reports a psql meta-command as an error on its line', async () => {
    const uri = fixture('broken/meta_command.sql');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const found = await waitFor('meta-command diagnostic', () => parseDiagnostics(uri).find((d) => ruleIdOf(d) === 'psql-meta-command'));
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
      await waitFor('syntax diagnostic cleared', () => parseDiagnostics(uri).every((d) => ruleIdOf(d) !== 'syntax-error'));
    } finally {
      await config.update('dryRunOnSave', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});
