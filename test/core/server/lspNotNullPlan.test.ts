// The plan after 23502 over LSP, as an editor gets it: not before a run proved rows, then offered
// beside the DEFAULT (never preferred, on the run's diagnostic), its four migrations numbered after
// the folder's highest in order, and the backfill opened at the value the author must write.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CodeAction, CreateFile, TextDocumentEdit, TextEdit, WorkspaceEdit } from 'vscode-languageserver-protocol/node';
import type { RunResult } from '../../../src/server/protocol';
import { applyEdits, uriOf } from '../../support/lspClient';
import { startLspOnPostgres, stopLspOnPostgres, type LspOnPostgres } from '../../support/lspOnPostgres';

const ADD = 'ALTER TABLE orders ADD COLUMN total bigint NOT NULL;\n';

function createdBy(edit: WorkspaceEdit | undefined): string[] {
  return (edit?.documentChanges ?? []).filter((c): c is CreateFile => 'kind' in c && c.kind === 'create').map((c) => c.uri);
}

function editsOf(edit: WorkspaceEdit | undefined, uri: string): TextEdit[] {
  return (edit?.documentChanges ?? []).flatMap((c) => ('textDocument' in c && c.textDocument.uri === uri ? (c as TextDocumentEdit).edits as TextEdit[] : []));
}

describe('drydock lsp: the NOT NULL plan after a dry-run failed 23502, on a real PostgreSQL', () => {
  let started: LspOnPostgres;
  before(async () => {
    started = await startLspOnPostgres({ 'migrations/001_orders.sql': 'SELECT 1;\n', 'migrations/002_add_total.sql': ADD, 'migrations/003_other.sql': 'SELECT 1;\n' }, [
      'CREATE TABLE orders (id bigint PRIMARY KEY)', 'INSERT INTO orders VALUES (1), (2)',
    ]);
  });
  after(() => stopLspOnPostgres(started));

  async function actionsAt(uri: string): Promise<CodeAction[]> {
    return started.client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 200 } }, context: { diagnostics: started.client.diagnostics.get(uri) ?? [] },
    });
  }

  test('offered only after the run proved rows, beside the DEFAULT; its migrations follow the folder\'s highest in order; the backfill opens at its TODO', async () => {
    const { client, root, connection } = started;
    const uri = client.open(path.join(root, 'migrations', '002_add_total.sql'), ADD);
    await client.diagnosticsOf(uri, (d) => d.some((x) => x.code === 'adding-required-field'));
    const plan = (titles: string[]) => titles.filter((t) => t.startsWith('Add total nullable here'));
    assert.deepEqual(plan((await actionsAt(uri)).map((a) => a.title)), [], 'no plan before a run proved the table has rows');

    const failed = await client.executeCommand<RunResult>('drydock.server.dryRun', { targets: [uri], connection });
    assert.equal(failed.status === 'ran' && failed.report.error?.sqlstate, '23502', JSON.stringify(failed));
    const actions = await actionsAt(uri);
    const offered = actions.find((a) => a.title.startsWith('Add total nullable here'));
    assert.ok(offered, JSON.stringify(actions.map((a) => a.title)));
    assert.match(offered.title, /a one-UPDATE backfill \(the last dry-run counted 2 rows\)/);
    assert.equal(offered.isPreferred, false);
    assert.equal(offered.diagnostics?.[0]?.code, '23502');
    assert.ok(actions.some((a) => a.title.startsWith('Add DEFAULT')), 'the DEFAULT stays offered beside it');
    const names = ['004_add_total_backfill.sql', '005_add_total_not_null_check.sql', '006_add_total_validate.sql', '007_add_total_set_not_null.sql'];
    assert.deepEqual(createdBy(offered.edit), names.map((n) => uriOf(path.join(root, 'migrations', n))));
    assert.equal(applyEdits(ADD, editsOf(offered.edit, uri)), 'ALTER TABLE orders ADD COLUMN total bigint;\n');

    const backfill = uriOf(path.join(root, 'migrations', names[0]!));
    const text = applyEdits('', editsOf(offered.edit, backfill));
    assert.ok(offered.command, 'no command to open the backfill');
    await client.executeCommand(offered.command.command, offered.command.arguments?.[0]);
    await client.until('the backfill shown', () => client.shownDocuments.includes(backfill));
    const at = client.shownSelections.get(backfill)!.start;
    assert.ok(text.split('\n')[at.line]!.slice(at.character).startsWith('"TODO: the value for existing rows"'), `cursor at ${JSON.stringify(at)}`);
  });

  test('the hover of a batched backfill after a dry-run says the run did not execute it, not that it took no lock', async () => {
    const { client, root, connection } = started;
    const batched = '-- drydock:no-transaction\nDO $$\nBEGIN\n  UPDATE orders SET id = id WHERE id < 0;\n  COMMIT;\nEND $$;\n';
    const uri = client.open(path.join(root, 'migrations', '003_other.sql'), batched);
    const ran = await client.executeCommand<RunResult>('drydock.server.dryRun', { targets: [uri], connection });
    assert.equal(ran.status === 'ran' && ran.report.statements[0]?.status, 'simulated', JSON.stringify(ran));
    const hover = await client.request<{ contents: { value: string } }>('textDocument/hover', { textDocument: { uri }, position: { line: 1, character: 1 } });
    assert.match(hover.contents.value, /^\*\*Not run by the last dry-run\*\* \(not executed: a DO block that runs COMMIT[^\n]*: nothing was measured/);
    assert.doesNotMatch(hover.contents.value, /No lock on an existing table/);
  });
});
