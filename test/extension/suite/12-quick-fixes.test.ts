import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'mocha';
import * as vscode from 'vscode';
import type { RunReport } from '../../../src/core/model/report';
import { addConnection, codeActionsAt, drydockDiagnostics, fixture, query, ruleIdOf, settledDiagnostics, useRunFixture, waitFor } from '../support';

/** One quick-fix family: the fixture, the finding, the action's title and what the fixed files must hold. */
interface FixCase {
  family: string;
  file: string;
  rule: string;
  title: string;
  fixed: string;
  /** Files the fix creates next to the fixture (name → exact text). */
  created?: Record<string, string>;
  /** SQL run on the test database after the accounts table is created (what the migration changes). */
  setup?: string;
}

const ACCOUNTS = 'CREATE TABLE accounts (id bigint PRIMARY KEY, email text NOT NULL)';

const CASES: FixCase[] = [
  {
    family: 'CONCURRENTLY, with the no-transaction directive when the statement is alone',
    file: 'quick-fixes/concurrently-alone/001_index_email.sql', rule: 'require-concurrent-index-creation',
    title: 'Add CONCURRENTLY and run the file outside a transaction',
    fixed: '-- drydock:no-transaction\nCREATE INDEX CONCURRENTLY IF NOT EXISTS idx_accounts_email ON accounts (email);\n',
  },
  {
    family: 'CONCURRENTLY, moved to a no-transaction migration of its own with the next number (002), IF NOT EXISTS for a retry',
    file: 'quick-fixes/concurrently-moved/001_add_note.sql', rule: 'require-concurrent-index-creation',
    title: 'Add CONCURRENTLY in a migration of its own (002_add_note_concurrently.sql) that runs outside a transaction',
    fixed: 'ALTER TABLE accounts ADD COLUMN note text;\n',
    created: { '002_add_note_concurrently.sql': '-- drydock:no-transaction\nCREATE INDEX CONCURRENTLY IF NOT EXISTS idx_accounts_note ON accounts (note);\n' },
  },
  {
    family: 'IF NOT EXISTS',
    file: 'quick-fixes/if-not-exists/001_index_email.sql', rule: 'prefer-robust-stmts', title: 'Add IF NOT EXISTS',
    fixed: '-- drydock:no-transaction\nCREATE INDEX CONCURRENTLY IF NOT EXISTS idx_accounts_email ON accounts (email);\n',
  },
  {
    family: 'NOT VALID, then VALIDATE CONSTRAINT in a later migration',
    file: 'quick-fixes/not-valid/001_check_email.sql', rule: 'constraint-missing-not-valid',
    title: 'Add NOT VALID, and VALIDATE CONSTRAINT in a later migration (002_check_email_validate.sql)',
    fixed: "ALTER TABLE accounts ADD CONSTRAINT chk_accounts_email CHECK (email <> '') NOT VALID;\n",
    created: { '002_check_email_validate.sql': 'ALTER TABLE accounts VALIDATE CONSTRAINT chk_accounts_email;\n' },
  },
  {
    family: 'unique constraint as CREATE UNIQUE INDEX CONCURRENTLY (the file, outside a transaction) + ADD CONSTRAINT … USING INDEX (the next number)',
    file: 'quick-fixes/unique/001_unique_email.sql', rule: 'disallowed-unique-constraint',
    title: 'Build the unique index CONCURRENTLY here (outside a transaction), then attach it in a later migration (002_unique_email_attach.sql)',
    fixed: '-- drydock:no-transaction\nCREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS uq_accounts_email ON accounts (email);\n',
    created: { '002_unique_email_attach.sql': 'ALTER TABLE accounts ADD CONSTRAINT uq_accounts_email UNIQUE USING INDEX uq_accounts_email;\n' },
  },
  {
    family: 'DROP INDEX CONCURRENTLY, with the no-transaction directive',
    file: 'quick-fixes/drop-index/001_drop_index.sql', rule: 'require-concurrent-index-deletion',
    title: 'Add CONCURRENTLY and run the file outside a transaction',
    fixed: '-- drydock:no-transaction\nDROP INDEX CONCURRENTLY idx_accounts_email;\n',
    setup: 'CREATE INDEX idx_accounts_email ON accounts (email)',
  },
  {
    family: 'REINDEX … CONCURRENTLY, with the no-transaction directive',
    file: 'quick-fixes/reindex/001_reindex.sql', rule: 'require-concurrent-reindex',
    title: 'Add CONCURRENTLY and run the file outside a transaction',
    fixed: '-- drydock:no-transaction\nREINDEX INDEX CONCURRENTLY idx_accounts_email;\n',
    setup: 'CREATE INDEX idx_accounts_email ON accounts (email)',
  },
  {
    family: 'IF EXISTS',
    file: 'quick-fixes/if-exists/001_drop_note.sql', rule: 'prefer-robust-stmts', title: 'Add IF EXISTS',
    fixed: '-- drydock:no-transaction\nALTER TABLE accounts DROP COLUMN IF EXISTS note;\n',
    setup: 'ALTER TABLE accounts ADD COLUMN note text',
  },
  {
    family: 'NOT VALID, then VALIDATE CONSTRAINT in the same file when it runs outside a transaction',
    file: 'quick-fixes/not-valid-same-file/001_check_email.sql', rule: 'constraint-missing-not-valid',
    title: 'Add NOT VALID, then VALIDATE CONSTRAINT',
    fixed: "-- drydock:no-transaction\nALTER TABLE accounts ADD CONSTRAINT chk_accounts_email CHECK (email <> '') NOT VALID;\nALTER TABLE accounts VALIDATE CONSTRAINT chk_accounts_email;\n",
  },
  {
    family: 'smallint → bigint',
    file: 'quick-fixes/smallint/001_create_scores.sql', rule: 'prefer-bigint-over-smallint', title: 'Use bigint',
    fixed: 'CREATE TABLE scores (id bigint PRIMARY KEY, points bigint);\n',
  },
  {
    family: 'SET statement_timeout at the top',
    file: 'quick-fixes/statement-timeout/001_email_not_null.sql', rule: 'require-statement-timeout', title: 'Set statement_timeout to 60s at the start',
    fixed: "SET statement_timeout = '60s';\nSET lock_timeout = '5s';\nALTER TABLE accounts ALTER COLUMN email SET NOT NULL;\n",
  },
  {
    family: 'SET lock_timeout at the top',
    file: 'quick-fixes/lock-timeout/001_add_note.sql', rule: 'require-lock-timeout', title: 'Set lock_timeout to 5s at the start',
    fixed: "SET lock_timeout = '5s';\nALTER TABLE accounts ADD COLUMN note text;\n",
  },
];

/** The column types, fixed one after the other in the same file (each fix re-checks the edited text). */
const TYPE_FIXES: { rule: string; title: string; fixed: string }[] = [
  { rule: 'prefer-bigint-over-int', title: 'Use bigint', fixed: 'CREATE TABLE events (\n  id bigint PRIMARY KEY,\n  views bigint,\n  at timestamp,\n  code varchar(20),\n  country char(2)\n);\n' },
  { rule: 'prefer-timestamp-tz', title: 'Use timestamptz', fixed: 'CREATE TABLE events (\n  id bigint PRIMARY KEY,\n  views bigint,\n  at timestamptz,\n  code varchar(20),\n  country char(2)\n);\n' },
  { rule: 'prefer-text-field', title: 'Use text', fixed: 'CREATE TABLE events (\n  id bigint PRIMARY KEY,\n  views bigint,\n  at timestamptz,\n  code text,\n  country char(2)\n);\n' },
  { rule: 'ban-char-field', title: 'Use text', fixed: 'CREATE TABLE events (\n  id bigint PRIMARY KEY,\n  views bigint,\n  at timestamptz,\n  code text,\n  country text\n);\n' },
];

async function open(relative: string): Promise<vscode.TextDocument> {
  const document = await vscode.workspace.openTextDocument(fixture(relative));
  await vscode.window.showTextDocument(document);
  return document;
}

/** Waits for the rule's diagnostic on the document (checked on open). */
function diagnosticOf(document: vscode.TextDocument, rule: string): Promise<vscode.Diagnostic> {
  return waitFor(`a ${rule} diagnostic on ${path.basename(document.fileName)}`, () => drydockDiagnostics(document.uri).find((d) => ruleIdOf(d) === rule));
}

/** Applies the action titled `title` among those offered on the diagnostic's range, and returns it. */
async function applyAction(document: vscode.TextDocument, diagnostic: vscode.Diagnostic, title: string | RegExp): Promise<vscode.CodeAction> {
  const actions = await codeActionsAt(document.uri, diagnostic.range);
  const action = actions.find((a) => (typeof title === 'string' ? a.title === title : title.test(a.title)));
  assert.ok(action, `"${title}" is not among ${JSON.stringify(actions.map((a) => a.title))}`);
  assert.ok(action.edit, 'the action carries no edit');
  // As the light bulb applies it: a refactoring, so VS Code saves the files it creates.
  assert.equal(await vscode.workspace.applyEdit(action.edit, { isRefactoring: true }), true, 'the edit was not applied');
  return action;
}

/** Saves, then waits until the saved text's check no longer reports `rule` and shows no syntax error. */
async function saveAndExpectGone(document: vscode.TextDocument, rule: string): Promise<void> {
  if (document.isDirty) assert.equal(await document.save(), true);
  await waitFor(`${rule} to be gone from ${path.basename(document.fileName)} after save`, () => {
    const shown = drydockDiagnostics(document.uri);
    return !shown.some((d) => ruleIdOf(d) === rule) && !shown.some((d) => ruleIdOf(d) === 'syntax-error');
  });
}

/** A file the fix created: the exact text, it parses, and the rule does not report it either. */
async function expectCreated(folder: string, name: string, text: string, rule: string): Promise<void> {
  const file = path.join(folder, name);
  assert.equal(fs.readFileSync(file, 'utf8'), text, `${name} on disk`);
  const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  const shown = await settledDiagnostics(document.uri);
  assert.deepEqual(shown.filter((d) => ruleIdOf(d) === 'syntax-error').map((d) => d.message), [], `${name} does not parse`);
  assert.deepEqual(shown.filter((d) => ruleIdOf(d) === rule).map((d) => d.message), [], `${name} still reports ${rule}`);
  // What `drydock new` writes is not flagged either: a no-transaction file's CREATE INDEX has IF NOT EXISTS.
  assert.deepEqual(shown.filter((d) => ruleIdOf(d) === 'prefer-robust-stmts').map((d) => d.message), [], `${name} reports prefer-robust-stmts`);
}

describe('quick fixes', () => {
  const f = useRunFixture();

  /** The accounts table the fixtures change (and what a case adds to it), and a connection to the test database. */
  async function database(setup?: string): Promise<void> {
    await query(f.database, ACCOUNTS);
    if (setup) await query(f.database, setup);
    await addConnection('fixes', f.database, false);
  }

  for (const c of CASES) {
    it(`${c.family}: exact text, parses, the finding is gone after save, and the fixed migration dry-runs`, async () => {
      await database(c.setup);
      const document = await open(c.file);
      const diagnostic = await diagnosticOf(document, c.rule);
      const action = await applyAction(document, diagnostic, c.title);
      assert.equal(action.kind?.value, vscode.CodeActionKind.QuickFix.value);
      assert.equal(action.isPreferred, true, 'the rule\'s own fix is the preferred one');
      assert.equal(document.getText(), c.fixed);
      await saveAndExpectGone(document, c.rule);
      const folder = path.dirname(document.fileName);
      for (const [name, text] of Object.entries(c.created ?? {})) await expectCreated(folder, name, text, c.rule);
      const [firstCreated] = Object.keys(c.created ?? {});
      if (firstCreated) {
        // The light bulb runs the action's command after its edit: the new migration opens in the editor.
        assert.ok(action.command, 'a fix that writes a migration carries the command that opens it');
        await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
        await waitFor(`${firstCreated} shown in the editor`, () => path.basename(vscode.window.activeTextEditor?.document.fileName ?? '') === firstCreated);
      } else {
        assert.equal(action.command, undefined, 'a fix that writes no file opens nothing');
      }
      // A fix that writes a second migration is run with it, in the order the folder runs.
      const target = c.created ? vscode.Uri.file(folder) : document.uri;
      const report = await vscode.commands.executeCommand<RunReport>('drydock.dryRunMigration', target);
      assert.equal(report?.outcome, 'succeeded', `${JSON.stringify(report?.error)}\n${report?.files.join('\n')}`);
      assert.equal(report.files.length, 1 + Object.keys(c.created ?? {}).length);
    });
  }

  it('int → bigint, timestamp → timestamptz, varchar(n) → text, char(n) → text: each fix exact, the file parses and dry-runs', async () => {
    await database();
    const document = await open('quick-fixes/types/001_create_events.sql');
    for (const t of TYPE_FIXES) {
      const diagnostic = await diagnosticOf(document, t.rule);
      await applyAction(document, diagnostic, t.title);
      assert.equal(document.getText(), t.fixed, `after ${t.rule}`);
      await saveAndExpectGone(document, t.rule);
    }
    const report = await vscode.commands.executeCommand<RunReport>('drydock.dryRunMigration', document.uri);
    assert.equal(report?.outcome, 'succeeded', JSON.stringify(report?.error));
  });

  it('ignore for this statement: the comment above the statement, indented like it (inside a DO body); the finding is gone, no unused-ignore', async () => {
    await database();
    const document = await open('quick-fixes/ignore-statement/001_index_in_do.sql');
    const rule = 'require-concurrent-index-creation';
    const action = await applyAction(document, await diagnosticOf(document, rule), `Ignore ${rule} for this statement`);
    assert.equal(action.isPreferred, false);
    assert.equal(document.getText(),
      `DO $$\nBEGIN\n  -- drydock-ignore ${rule}: why this is safe here\n  CREATE INDEX IF NOT EXISTS idx_accounts_email ON accounts (email);\nEND\n$$;\n`);
    await saveAndExpectGone(document, rule);
    assert.deepEqual(drydockDiagnostics(document.uri).filter((d) => ruleIdOf(d) === 'unused-ignore'), []);
    const report = await vscode.commands.executeCommand<RunReport>('drydock.dryRunMigration', document.uri);
    assert.equal(report?.outcome, 'succeeded', JSON.stringify(report?.error));
  });

  it('ignore for this file: one entry for every rule on the statement, below graphile-migrate\'s --! header, which must stay first; the findings are gone, no unused-ignore', async () => {
    await database();
    const document = await open('quick-fixes/ignore-file/001_index_email.sql');
    const rule = 'require-concurrent-index-creation';
    // Four rules on the statement: one file-wide entry names them all (a light bulb has no submenu for the rest).
    const action = await applyAction(document, await diagnosticOf(document, rule), /^Ignore all \d+ rules here for this file \(.*require-concurrent-index-creation/);
    assert.equal(action.isPreferred, false);
    assert.match(document.getText(), new RegExp(`^--! no-transaction\n-- drydock-ignore-file [a-z, -]*${rule}[a-z, -]*: why this is safe here\nCREATE INDEX idx_accounts_email ON accounts \\(email\\);\n$`));
    await saveAndExpectGone(document, rule);
    assert.deepEqual(drydockDiagnostics(document.uri).filter((d) => ruleIdOf(d) === 'unused-ignore'), []);
    const report = await vscode.commands.executeCommand<RunReport>('drydock.dryRunMigration', document.uri);
    assert.equal(report?.outcome, 'succeeded', JSON.stringify(report?.error));
  });

  it('after a dry-run fails 23514 on 2 rows: nothing offered before it, then the DELETE its fix query found; applied, the same dry-run succeeds', async () => {
    await database("INSERT INTO accounts VALUES (1, 'ada@example.com'), (2, ''), (3, '')");
    const document = await open('quick-fixes/check-cleanup/001_check_email.sql');
    const diagnostic = await diagnosticOf(document, 'constraint-missing-not-valid');
    const before = (await codeActionsAt(document.uri, diagnostic.range)).map((a) => a.title);
    assert.deepEqual(before.filter((t) => t.startsWith('Delete ')), [], 'a cleanup offered before any run proved rows');
    const failed = await vscode.commands.executeCommand<RunReport>('drydock.dryRunMigration', document.uri);
    assert.equal(failed?.error?.sqlstate, '23514', JSON.stringify(failed?.error));
    const action = await applyAction(document, diagnostic, 'Delete the 2 rows that violate chk_accounts_email first (found by the last dry-run)');
    assert.equal(action.isPreferred, false, 'deleting rows is never the preferred fix');
    assert.match(document.getText(), /^-- Found by the last dry-run's fix query[^\n]*\nDELETE FROM accounts\nWHERE NOT \(email <> ''\);\nALTER TABLE accounts ADD CONSTRAINT chk_accounts_email/);
    assert.equal(await document.save(), true);
    const report = await vscode.commands.executeCommand<RunReport>('drydock.dryRunMigration', document.uri);
    assert.equal(report?.outcome, 'succeeded', JSON.stringify(report?.error));
    assert.equal((await query(f.database, 'SELECT count(*)::int AS n FROM accounts'))[0]?.n, 3, 'a dry-run deletes nothing');
  });

  it('offers no code action on a statement without findings', async () => {
    const document = await open('quick-fixes/clean/001_clean.sql');
    assert.deepEqual((await settledDiagnostics(document.uri)).map(ruleIdOf), [], 'the clean fixture has findings');
    for (let line = 0; line < document.lineCount; line++) {
      const actions = await codeActionsAt(document.uri, document.lineAt(line).range);
      assert.deepEqual(actions.map((a) => a.title), [], `line ${line + 1}`);
    }
  });

  it('never offers a fix for a finding of another file, and a fix edits no other existing file (only its own, and the files it creates)', async () => {
    const withFinding = await open('hover/a_index_email.sql');
    const diagnostic = await diagnosticOf(withFinding, 'require-concurrent-index-creation');
    const clean = await open('quick-fixes/clean/001_clean.sql');
    assert.deepEqual((await codeActionsAt(clean.uri, diagnostic.range)).map((a) => a.title), [], 'actions in the clean file at the other file\'s finding');
    const actions = await codeActionsAt(withFinding.uri, diagnostic.range);
    assert.ok(actions.length > 0);
    for (const action of actions) {
      for (const [uri] of action.edit?.entries() ?? []) {
        if (uri.toString() === withFinding.uri.toString()) continue;
        // A follow-up migration the fix writes (a_index_email_concurrently.sql) is new: nothing in it to lose.
        assert.equal(fs.existsSync(uri.fsPath), false, `${action.title} edits the existing ${uri.toString()}`);
      }
    }
  });

  it('offers no ignore for a runnability finding (a psql meta-command: the file cannot run, whatever a comment says)', async () => {
    const document = await open('broken/meta_command.sql');
    const diagnostic = await diagnosticOf(document, 'psql-meta-command');
    const titles = (await codeActionsAt(document.uri, diagnostic.range)).map((a) => a.title);
    assert.deepEqual(titles.filter((t) => t.startsWith('Ignore psql-meta-command')), [], JSON.stringify(titles));
  });
});
