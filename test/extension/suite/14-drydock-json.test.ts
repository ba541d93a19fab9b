import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, it } from 'mocha';
import * as vscode from 'vscode';
import type { RunReport } from '../../../src/core/model/report';
import { RULES } from '../../../src/core/rules/registry';
import { addConnection, drydockDiagnostics, EXTENSION_ID, fixture, query, ruleIdOf, settledDiagnostics, useRunFixture, waitFor } from '../support';

const FOLDER = 'config-rules';
const projectRoot = path.resolve(__dirname, '..', '..', '..', '..');

const configFile = () => path.join(fixture(FOLDER).fsPath, 'drydock.json');

/** Writes drydock.json on disk, as another program (git, a terminal) would: the watcher must notice. */
function writeConfig(config: unknown): void {
  fs.writeFileSync(configFile(), typeof config === 'string' ? config : `${JSON.stringify(config, null, 2)}\n`);
}

async function openMigration(name: string): Promise<vscode.TextDocument> {
  const document = await vscode.workspace.openTextDocument(fixture(`${FOLDER}/${name}`));
  await vscode.window.showTextDocument(document);
  return document;
}

const rulesOn = (document: vscode.TextDocument) => drydockDiagnostics(document.uri).map(ruleIdOf);
const hasRule = (document: vscode.TextDocument, rule: string) => rulesOn(document).includes(rule);

/** `drydock check --format json DIR` from the build, as CI runs it: each finding as "file:line:column severity rule". */
function cliCheck(dir: string): string[] {
  const result = spawnSync(process.execPath, [path.join(projectRoot, 'dist', 'cli.js'), 'check', '--format', 'json', dir], { encoding: 'utf8' });
  assert.ok(result.status === 0 || result.status === 1, `drydock check exited ${result.status}: ${result.stderr}`);
  const { diagnostics } = JSON.parse(result.stdout) as { diagnostics: { ruleId: string; severity: string; file: string; range: { start: { line: number; column: number } } }[] };
  return diagnostics.map((d) => `${path.basename(d.file)}:${d.range.start.line}:${d.range.start.column} ${d.severity} ${d.ruleId}`);
}

const SEVERITY_NAMES: Record<vscode.DiagnosticSeverity, string> = {
  [vscode.DiagnosticSeverity.Error]: 'error', [vscode.DiagnosticSeverity.Warning]: 'warning',
  [vscode.DiagnosticSeverity.Information]: 'info', [vscode.DiagnosticSeverity.Hint]: 'hint',
};

/** The editor's findings on the documents, in the same form as cliCheck's. */
async function editorFindings(documents: readonly vscode.TextDocument[]): Promise<string[]> {
  // Each document's check has finished once its diagnostics settled.
  for (const d of documents) await settledDiagnostics(d.uri);
  return documents.flatMap((d) => drydockDiagnostics(d.uri)
    .map((x) => `${path.basename(d.fileName)}:${x.range.start.line + 1}:${x.range.start.character + 1} ${SEVERITY_NAMES[x.severity]} ${ruleIdOf(x)}`));
}

describe('drydock.json and context in the editor', () => {
  const f = useRunFixture();

  afterEach(async () => {
    if (!fs.existsSync(configFile())) return;
    fs.rmSync(configFile());
    const gin = await openMigration('b_gin_body.sql');
    await waitFor('the diagnostics without drydock.json', () => hasRule(gin, 'gin-on-non-jsonb'));
  });

  it('judges a file with the earlier migrations of its folder, giving the same findings as drydock check DIR', async () => {
    const gin = await openMigration('b_gin_body.sql');
    // docs.body is text only according to a_create_docs.sql: without the context there is no finding.
    await waitFor('gin-on-non-jsonb from the context', () => hasRule(gin, 'gin-on-non-jsonb'));
    const rank = await openMigration('c_rank_default.sql');
    const editor = await editorFindings([gin, rank]);
    const cli = cliCheck(fixture(FOLDER).fsPath).filter((d) => !d.startsWith('a_create_docs.sql:'));
    assert.deepEqual(editor.sort(), cli.sort());
  });

  it('the same findings as drydock check --format json DIR (rule, line, column, severity) under a drydock.json with severities, pgVersion and exclude, with later migrations counted as check counts them', async () => {
    const names = ['a_tables.sql', 'c_changes.sql', 'd_author_index.sql'];
    const documents: vscode.TextDocument[] = [];
    // One after the other: the workbench refuses to open editors concurrently.
    for (const name of names) {
      const document = await vscode.workspace.openTextDocument(fixture(`check-parity/${name}`));
      await vscode.window.showTextDocument(document, { preview: false });
      documents.push(document);
    }
    await waitFor('the findings of c_changes.sql', () => drydockDiagnostics(documents[1]!.uri).length > 0);
    const editor = await editorFindings(documents);
    const cli = cliCheck(fixture('check-parity').fsPath);
    assert.deepEqual(editor.sort(), cli.sort());
    // What makes the fixture worth comparing:
    assert.ok(cli.some((d) => d === 'a_tables.sql:3:103 error prefer-text-field'), 'drydock.json raises prefer-text-field to error');
    assert.ok(cli.some((d) => d.startsWith('c_changes.sql:2:1 warning gin-on-non-jsonb')), 'body is text: the excluded b_legacy.sql does not teach');
    assert.ok(cli.some((d) => d.startsWith('c_changes.sql:3:1 error adding-field-with-default')), 'pgVersion 10 from drydock.json');
    assert.ok(!cli.some((d) => d.includes('missing-foreign-key-index')), 'books (author_id) is indexed in the later d_author_index.sql');
    const legacy = await vscode.workspace.openTextDocument(fixture('check-parity/b_legacy.sql'));
    // Excluded by its drydock.json: the server publishes it empty.
    assert.deepEqual(await settledDiagnostics(legacy.uri), []);
  });

  it('a rule set to "off" removes its diagnostic; deleting drydock.json brings it back', async () => {
    const gin = await openMigration('b_gin_body.sql');
    await waitFor('gin-on-non-jsonb', () => hasRule(gin, 'gin-on-non-jsonb'));
    writeConfig({ rules: { 'gin-on-non-jsonb': 'off' } });
    await waitFor('gin-on-non-jsonb to go', () => !hasRule(gin, 'gin-on-non-jsonb'));
    fs.rmSync(configFile());
    await waitFor('gin-on-non-jsonb to come back', () => hasRule(gin, 'gin-on-non-jsonb'));
  });

  it('an exclude glob removes every diagnostic of the files it matches, and only theirs', async () => {
    const gin = await openMigration('b_gin_body.sql');
    await waitFor('gin-on-non-jsonb', () => hasRule(gin, 'gin-on-non-jsonb'));
    writeConfig({ exclude: ['b_*.sql'], pgVersion: 10 });
    const rank = await openMigration('c_rank_default.sql');
    await waitFor('c_rank_default.sql judged under the same drydock.json', () => hasRule(rank, 'adding-field-with-default'));
    await waitFor('b_gin_body.sql excluded', () => rulesOn(gin).length === 0);
  });

  it('pgVersion: drydock.json\'s judges the open file; without it, the connected server\'s major or the default (14)', async () => {
    await addConnection('config', f.database, false);
    const rank = await openMigration('c_rank_default.sql');
    // A constant default rewrites the table only before PostgreSQL 11: the test server (13 or later) and the default (14) are silent.
    assert.equal((await settledDiagnostics(rank.uri)).some((d) => ruleIdOf(d) === 'adding-field-with-default'), false);
    writeConfig({ pgVersion: 10 });
    await waitFor('drydock.json\'s version to judge the file', () => hasRule(rank, 'adding-field-with-default'));
    fs.rmSync(configFile());
    // (A server older than 11 cannot be started here; the server's own tests cover a run's major becoming the target.)
    await waitFor('the file judged without drydock.json again', () => !hasRule(rank, 'adding-field-with-default'));
  });

  it('a dry-run started from the editor judges each file by its drydock.json too', async () => {
    await query(f.database, 'CREATE TABLE docs (id bigint PRIMARY KEY, body text)');
    await addConnection('config', f.database, false);
    const file = fixture(`${FOLDER}/c_rank_default.sql`);
    const before = await vscode.commands.executeCommand<RunReport>('drydock.dryRunMigration', file);
    assert.deepEqual(before?.diagnostics.map((d) => d.ruleId), []);
    writeConfig({ pgVersion: 10 });
    const after = await vscode.commands.executeCommand<RunReport>('drydock.dryRunMigration', file);
    assert.deepEqual(after?.diagnostics.map((d) => d.ruleId), ['adding-field-with-default']);
    assert.equal(after.outcome, 'succeeded', JSON.stringify(after.error));
  });

  it('a broken drydock.json: one diagnostic on it at its line and column, no findings judged by defaults, runs refused; fixed on save, all is back', async () => {
    await addConnection('config', f.database, false);
    const gin = await openMigration('b_gin_body.sql');
    await waitFor('gin-on-non-jsonb', () => hasRule(gin, 'gin-on-non-jsonb'));
    writeConfig('{\n  "rules": {\n    "gin-on-non-jsonb": "loud"\n  }\n}\n');
    const configUri = vscode.Uri.file(configFile());
    const [problem, ...others] = await waitFor('the drydock.json diagnostic', () => {
      const found = drydockDiagnostics(configUri);
      return found.length > 0 ? found : undefined;
    });
    assert.equal(others.length, 0);
    assert.equal(problem!.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(problem!.code, 'drydock.json');
    assert.match(problem!.message, /^"rules\.gin-on-non-jsonb" must be one of off, info, warning, error, got "loud"/);
    assert.deepEqual([problem!.range.start.line, problem!.range.start.character, problem!.range.end.character], [2, 4, 22], 'the key "gin-on-non-jsonb"');
    await waitFor('b_gin_body.sql not judged by defaults', () => rulesOn(gin).length === 0);
    const refused = await vscode.commands.executeCommand<RunReport | undefined>('drydock.dryRunMigration', gin.uri);
    assert.equal(refused, undefined, 'the run went ahead under a broken drydock.json');

    // Fixed in the editor and saved.
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(configUri));
    await editor.edit((e) => e.replace(editor.document.lineAt(2).range, '    "gin-on-non-jsonb": "error"'));
    await editor.document.save();
    await waitFor('the drydock.json diagnostic to go', () => drydockDiagnostics(configUri).length === 0);
    const back = await waitFor('gin-on-non-jsonb back', () => drydockDiagnostics(gin.uri).find((d) => ruleIdOf(d) === 'gin-on-non-jsonb'));
    assert.equal(back.severity, vscode.DiagnosticSeverity.Error, 'drydock.json makes it an error');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('contributes drydock.json\'s schema (every rule id) and the editor\'s JSON language service reports a value the schema does not allow', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
    const contributes = (extension.packageJSON as { contributes: { jsonValidation: { fileMatch: string; url: string }[] } }).contributes;
    assert.deepEqual(contributes.jsonValidation, [{ fileMatch: 'drydock.json', url: './schemas/drydock.schema.json' }]);
    const schema = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(extension.extensionUri, 'schemas', 'drydock.schema.json')))) as
      { properties: { rules: { properties: Record<string, { enum: string[] }> } } };
    assert.deepEqual(Object.keys(schema.properties.rules.properties).sort(), RULES.map((r) => r.id).sort());

    writeConfig('{\n  "rules": {\n    "ban-drop-table": "loud"\n  }\n}\n');
    const configUri = vscode.Uri.file(configFile());
    const document = await vscode.workspace.openTextDocument(configUri);
    await vscode.window.showTextDocument(document);
    assert.equal(document.languageId, 'json');
    // VS Code's JSON language features (built in, also in code-server) validate against the contributed schema.
    const reported = await waitFor('the JSON language service\'s diagnostic', () => vscode.languages.getDiagnostics(configUri).find((d) => d.source !== 'drydock'), 45_000);
    assert.equal(reported.range.start.line, 2);
    assert.match(reported.message, /off|Value is not accepted/i);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});
