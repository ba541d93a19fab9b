import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'mocha';
import * as vscode from 'vscode';
import type { DrydockApi } from '../../../src/extension/extension';
import type { SaveDecision } from '../../../src/extension/run/dryRunOnSave';
import { addConnection, createDatabase, drydock, fixture, neverWithin, scriptedPrompts, tableExists, waitFor, withoutConnections, type Notified } from '../support';

/** Edits and saves a migration file, as an author would. */
async function editAndSave(relative: string): Promise<void> {
  const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(fixture(relative)));
  await editor.edit((e) => e.insert(new vscode.Position(0, 0), '-- touched\n'));
  assert.ok(await editor.document.save(), 'the file was not saved');
}

function setDryRunOnSave(value: boolean | undefined): Thenable<void> {
  return vscode.workspace.getConfiguration('drydock').update('dryRunOnSave', value, vscode.ConfigurationTarget.Global);
}

async function assertNoRunFromSave(api: DrydockApi, relative: string): Promise<void> {
  await editAndSave(relative);
  await neverWithin('the save started a dry-run', () => api._private.context.runs.busy || api._private.tree.getChildren().length > 0);
}

describe('dry-run on save', () => {
  afterEach(() => setDryRunOnSave(undefined));

  it('is off by default: saving a migration on a dev connection runs nothing', async () => {
    const api = await drydock();
    assert.equal(vscode.workspace.getConfiguration('drydock').inspect('dryRunOnSave')?.defaultValue, null, 'unset: on for the shadow only');
    await addConnection('dev-save', await createDatabase(), true);
    await vscode.commands.executeCommand('drydock.results.clear');
    await assertNoRunFromSave(api, 'migrations/001_create_accounts.sql');
  });

  it('does not run on a connection without a dev mark, even when turned on', async () => {
    const api = await drydock();
    await setDryRunOnSave(true);
    await addConnection('not-dev-save', await createDatabase(), false);
    await vscode.commands.executeCommand('drydock.results.clear');
    await assertNoRunFromSave(api, 'migrations/001_create_accounts.sql');
    // allowApply in settings is not enough: the recorded identity of the server is what counts.
    await addConnection('unmarked-save', await createDatabase(), true);
    await api._private.context.devMarks.delete('unmarked-save');
    await assertNoRunFromSave(api, 'migrations/001_create_accounts.sql');
  });

  it('dry-runs a saved migration on a dev connection when drydock.dryRunOnSave is on', async () => {
    const api = await drydock();
    const database = await createDatabase();
    await addConnection('dev-save', database, true);
    await vscode.commands.executeCommand('drydock.results.clear');
    await setDryRunOnSave(true);
    await editAndSave('migrations/001_create_accounts.sql');
    const [run] = await waitFor('a run from the save', () => {
      const runs = api._private.tree.getChildren();
      return runs.length > 0 ? runs : undefined;
    });
    assert.match(String(run?.description), /^dry-run succeeded · /);
    assert.match(String(run?.tooltip), /^dry-run succeeded \(rolled back\)/);
    assert.equal(await tableExists(database, 'accounts'), false);
  });
});

/** Resolves with the next decision about a save of `uri` (made after this call). */
function nextDecision(api: DrydockApi, uri: vscode.Uri): Promise<SaveDecision> {
  return new Promise((resolve) => {
    const subscription = api._private.saves.onDidDecide((d) => {
      if (d.uri.toString() !== uri.toString()) return;
      subscription.dispose();
      resolve(d.decision);
    });
  });
}

/** Replaces a document's whole text (unsaved). */
async function replaceText(uri: vscode.Uri, text: string): Promise<vscode.TextDocument> {
  const document = await vscode.workspace.openTextDocument(uri);
  const edit = new vscode.WorkspaceEdit();
  edit.replace(uri, new vscode.Range(0, 0, document.lineCount, 0), text);
  assert.ok(await vscode.workspace.applyEdit(edit), 'the edit was not applied');
  return document;
}

/** Puts a fixture's text back and saves it, with dry-run on save off meanwhile (no run leaks into the next test). */
async function restore(uri: vscode.Uri, text: string): Promise<void> {
  await setDryRunOnSave(false);
  try {
    const document = await replaceText(uri, text);
    await document.save();
  } finally {
    await setDryRunOnSave(undefined);
  }
}

function setGlobal(section: string, key: string, value: unknown): Thenable<void> {
  return vscode.workspace.getConfiguration(section).update(key, value, vscode.ConfigurationTarget.Global);
}

describe('dry-run on save on the shadow: the user\'s saves of a file that parses, after a pause', () => {
  withoutConnections();
  let api: DrydockApi;
  const saved = fixture('save/001_save_table.sql');
  let original: string;

  before(async () => {
    api = await drydock();
    original = (await vscode.workspace.openTextDocument(saved)).getText();
  });
  beforeEach(() => vscode.commands.executeCommand('drydock.results.clear'));
  afterEach(async () => {
    await setGlobal('files', 'autoSave', undefined);
    await setGlobal('files', 'autoSaveDelay', undefined);
    await setGlobal('drydock', 'dryRunOnAutoSave', undefined);
    await restore(saved, original);
  });

  it('a manual save of a file that parses dry-runs it on the shadow', async () => {
    const decided = nextDecision(api, saved);
    await editAndSave('save/001_save_table.sql');
    assert.equal(await decided, 'ran');
    const [run] = api._private.tree.getChildren();
    assert.match(String(run?.description), /^dry-run succeeded · /);
    assert.match(String(run?.tooltip), /rolled back/);
    assert.match(String(run?.tooltip), /shadow/i);
  });

  it('a manual save of half-typed SQL runs nothing until the file parses, and the check still shows the syntax error', async () => {
    const document = await replaceText(saved, `${original}\nCREATE TABLE half_typed (\n  id bigint,,\n`);
    const decided = nextDecision(api, saved);
    assert.ok(await document.save());
    assert.equal(await decided, 'syntax error');
    assert.equal(api._private.tree.getChildren().length, 0, 'half-typed SQL was dry-run');
    await waitFor('the syntax error in the file', () => vscode.languages.getDiagnostics(saved).some((d) => /syntax/i.test(String(typeof d.code === 'object' ? d.code.value : d.code))));
    // Once it parses, the next save runs.
    await replaceText(saved, `${original}\nCREATE TABLE half_typed (id bigint);\n`);
    const ran = nextDecision(api, saved);
    assert.ok(await document.save());
    assert.equal(await ran, 'ran');
    assert.match(String(api._private.tree.getChildren()[0]?.description), /^dry-run succeeded/);
  });

  it('a run refused for a syntax error is labelled "syntax error", not "not connected"', async () => {
    const document = await replaceText(saved, 'CREATE TABLE broken_on_purpose (id int,, name text);\n');
    assert.ok(await document.save());
    await vscode.commands.executeCommand('drydock.dryRunMigration', saved);
    const [run] = api._private.tree.getChildren();
    assert.match(String(run?.description), /^dry-run refused · syntax error ·/);
    assert.doesNotMatch(String(run?.description), /not connected/);
  });

  it('files.autoSave (afterDelay) saves without a dry-run; drydock.dryRunOnAutoSave turns it on', async () => {
    await setGlobal('files', 'autoSaveDelay', 100);
    await setGlobal('files', 'autoSave', 'afterDelay');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(saved));
    const skipped = nextDecision(api, saved);
    await replaceText(saved, `-- typed\n${original}`);
    assert.equal(await skipped, 'auto-save', 'an auto-save was not recognised as one');
    const document = await vscode.workspace.openTextDocument(saved);
    await waitFor('the auto-save', () => !document.isDirty);
    assert.equal(api._private.tree.getChildren().length, 0, 'an auto-save dry-ran');

    await setGlobal('drydock', 'dryRunOnAutoSave', true);
    const ran = nextDecision(api, saved);
    await replaceText(saved, `-- typed again\n${original}`);
    assert.equal(await ran, 'ran');
    assert.match(String(api._private.tree.getChildren()[0]?.description), /^dry-run succeeded · /);
  });
});

describe('a failing dry-run on save: the status bar while it fails, one notification per file and failure', () => {
  withoutConnections();
  let api: DrydockApi;
  const failing = fixture('save-fails/001_duplicate_codes.sql');
  let original: string;
  const notified: Notified[] = [];

  before(async () => {
    api = await drydock();
    original = (await vscode.workspace.openTextDocument(failing)).getText();
    api._private.context.prompts = scriptedPrompts({ notified });
    await vscode.commands.executeCommand('drydock.results.clear');
  });
  after(() => restore(failing, original));

  async function saveAndWait(text: string): Promise<void> {
    const document = await replaceText(failing, text);
    const decided = nextDecision(api, failing);
    assert.ok(await document.save());
    assert.equal(await decided, 'ran');
  }

  it('notifies the first failure with its actions and shows it in the status bar', async () => {
    await saveAndWait(`-- first save\n${original}`);
    assert.deepEqual(api._private.notices.failingFiles, [failing.fsPath]);
    assert.match(api._private.notices.statusText, /Dry-run on save: 001_duplicate_codes\.sql/);
    assert.equal(notified.length, 1);
    assert.match(notified[0]!.message, /dry-run on save of 001_duplicate_codes\.sql failed: Data conflict/);
    assert.deepEqual(notified[0]!.actions, ['Open Fix Query', 'Show Run', 'Show Output']);
  });

  it('the same failure again stays in the status bar without another notification', async () => {
    await saveAndWait(`-- second save\n${original}`);
    assert.equal(notified.length, 1, 'the same failure was notified twice');
    assert.match(api._private.notices.statusText, /001_duplicate_codes\.sql/);
  });

  it('a passing save clears the status bar, and a later failure is news again', async () => {
    await saveAndWait(original.replace("(2, 'SPRING')", "(2, 'SUMMER')"));
    assert.deepEqual(api._private.notices.failingFiles, []);
    assert.equal(api._private.notices.statusText, '');
    await saveAndWait(`-- failing again\n${original}`);
    assert.equal(notified.length, 2);
  });
});
