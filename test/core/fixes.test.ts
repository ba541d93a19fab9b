// Every kind of fix the rules offer, applied to a real migration: the result parses, the finding
// is gone, and a dry-run of the fixed files (a moved statement's new file included) succeeds on a
// real PostgreSQL with the example app's schema.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pgBackend } from '../../src/core/db/pg/pgBackend';
import type { Finding, Fix } from '../../src/core/model/findings';
import { loadParser, parseMigrationSync } from '../../src/core/parse/parseMigration';
import { checkFiles, type CheckedFile } from '../../src/core/rules/checkMigration';
import { applyEdits } from '../../src/core/rules/fixes/edits';
import { cleanupFix, withCleanupBeforeValidate } from '../../src/core/rules/fixes/evidenceFixes';
import { ignoreFixes } from '../../src/core/rules/fixes/ignoreFixes';
import { runMigrations, type MigrationFile } from '../../src/core/run/runner';
import { describeEachServer, seededDatabase, sql } from '../support/database';

interface FixCase {
  rule: string;
  sql: string;
  /** Run on the database first (objects the migration expects). */
  setup?: string;
  /** Expected fix title (a pattern), to prove which variant was offered. */
  title: RegExp;
}

const FILE = 'migrations/007_change.sql';

const CASES: FixCase[] = [
  { rule: 'require-concurrent-index-creation', sql: 'CREATE INDEX idx_lessons_status ON lessons (status);\n', title: /Add CONCURRENTLY and run the file outside a transaction/ },
  { rule: 'require-concurrent-index-creation', sql: 'ALTER TABLE lessons ADD COLUMN note text;\nCREATE INDEX idx_lessons_note ON lessons (note);\n', title: /in a migration of its own \(007_change_concurrently\.sql\)/ },
  { rule: 'require-concurrent-index-creation', sql: '-- migrate:up\nCREATE INDEX idx_lessons_status ON lessons (status);\n\n-- migrate:down\nDROP INDEX idx_lessons_status;\n', title: /outside a transaction/ },
  { rule: 'require-concurrent-index-deletion', setup: 'CREATE INDEX idx_lessons_title ON lessons (title)', sql: 'DROP INDEX IF EXISTS idx_lessons_title;\n', title: /Add CONCURRENTLY/ },
  { rule: 'require-concurrent-reindex', setup: 'CREATE INDEX idx_lessons_title ON lessons (title)', sql: 'REINDEX INDEX idx_lessons_title;\n', title: /Add CONCURRENTLY/ },
  { rule: 'prefer-robust-stmts', sql: '-- drydock:no-transaction\nCREATE INDEX CONCURRENTLY idx_lessons_title ON lessons (title);\n', title: /Add IF NOT EXISTS/ },
  { rule: 'prefer-robust-stmts', setup: 'ALTER TABLE lessons ADD COLUMN legacy text', sql: '-- drydock:no-transaction\nALTER TABLE lessons DROP COLUMN legacy;\n', title: /Add IF EXISTS/ },
  { rule: 'constraint-missing-not-valid', sql: 'ALTER TABLE lessons ADD CONSTRAINT chk_lessons_title CHECK (length(title) > 0);\n', title: /VALIDATE CONSTRAINT in a later migration \(007_change_validate\.sql\)/ },
  { rule: 'constraint-missing-not-valid', sql: '-- drydock:no-transaction\nALTER TABLE lesson_sessions ADD CONSTRAINT fk_x FOREIGN KEY (user_id) REFERENCES user_profiles (id);\n', title: /^Add NOT VALID, then VALIDATE CONSTRAINT$/ },
  { rule: 'disallowed-unique-constraint', sql: 'ALTER TABLE user_profiles ADD CONSTRAINT uq_user_profiles_email UNIQUE (email);\n', title: /Build the unique index CONCURRENTLY here \(outside a transaction\), then attach it in a later migration \(007_change_attach\.sql\)/ },
  { rule: 'disallowed-unique-constraint', sql: 'ALTER TABLE lessons ADD COLUMN note text;\nALTER TABLE user_profiles ADD CONSTRAINT uq_user_profiles_email UNIQUE (email);\n', title: /CONCURRENTLY in a later migration \(007_change_index\.sql, outside a transaction\), then attach it in the one after \(007_change_attach\.sql\)/ },
  { rule: 'require-lock-timeout', sql: 'ALTER TABLE lessons ADD COLUMN note text;\n', title: /Set lock_timeout/ },
  { rule: 'require-lock-timeout', sql: 'BEGIN;\nALTER TABLE lessons ADD COLUMN note text;\nCOMMIT;\n', title: /Set lock_timeout/ },
  { rule: 'require-statement-timeout', sql: 'ALTER TABLE lessons ALTER COLUMN title TYPE varchar(300);\n', title: /Set statement_timeout/ },
  { rule: 'prefer-bigint-over-int', sql: 'ALTER TABLE lessons ADD COLUMN views integer;\n', title: /Use bigint/ },
  { rule: 'prefer-bigint-over-smallint', sql: 'CREATE TABLE levels (rank smallint NOT NULL);\n', title: /Use bigint/ },
  { rule: 'prefer-timestamp-tz', sql: 'ALTER TABLE lessons ADD COLUMN published_at timestamp(3) without time zone;\n', title: /Use timestamptz\(3\)/ },
  { rule: 'prefer-text-field', sql: 'ALTER TABLE lessons ADD COLUMN code varchar(20);\n', title: /Use text/ },
  { rule: 'ban-char-field', sql: 'CREATE TABLE countries (code char(2) PRIMARY KEY);\n', title: /Use text/ },
];

function applyFix(file: MigrationFile, fix: Fix): MigrationFile[] {
  for (const edit of fix.edits) assert.equal(edit.file, file.path, 'a fix edits the finding\'s own file');
  const fixed = { path: file.path, text: applyEdits(file.text, fix.edits) };
  const created = (fix.newFiles ?? []).map((f) => ({ path: f.file, text: f.text }));
  // Every migration a fix writes runs after the fixed file, in the order the fix lists them (the language server numbers them so).
  return [fixed, ...created];
}

function dryRunWith(url: string, files: MigrationFile[]) {
  return runMigrations(files, { mode: 'dry-run', backend: pgBackend({ connectionString: url }) });
}

/** Dry-runs the files on the database and asserts they succeed (the error and the files in the message). */
async function dryRunSucceeds(url: string, files: MigrationFile[]): Promise<void> {
  const report = await dryRunWith(url, files);
  assert.equal(report.outcome, 'succeeded', `${JSON.stringify(report.error)}\n${files.map((f) => `${f.path}:\n${f.text}`).join('\n')}`);
}

function check(files: MigrationFile[]): CheckedFile[] {
  return checkFiles(files.map((f) => parseMigrationSync(f.path, f.text)));
}

function findingOf(rule: string, file: MigrationFile): { finding: Finding; checked: CheckedFile } {
  const [checked] = check([file]);
  const finding = checked!.diagnostics.find((d) => d.ruleId === rule);
  assert.ok(finding, `${rule} does not report:\n${file.text}`);
  return { finding, checked: checked! };
}

function assertFixed(rule: string, files: MigrationFile[]): void {
  const checked = check(files);
  for (const f of checked) {
    assert.equal(f.syntaxError, null, `${f.file} does not parse:\n${f.text}`);
    assert.deepEqual(f.diagnostics.filter((d) => d.ruleId === rule).map((d) => d.message), [], `${f.file}:\n${f.text}`);
  }
}

test('every rule fix and ignore fix is offered where expected (no database needed to build them)', async () => {
  await loadParser();
  for (const c of CASES) {
    const { finding } = findingOf(c.rule, { path: FILE, text: c.sql });
    assert.match(finding.fix?.title ?? '(no fix)', c.title, c.sql);
  }
});

test('the file-wide ignore goes below the tool directives that must stay first, and is honoured there', async () => {
  await loadParser();
  const cases = [
    { text: 'CREATE INDEX idx_lessons_status ON lessons (status);\n', top: '' },
    { text: '--! Previous: sha1:0123\n--! Hash: sha1:4567\n--! no-transaction\nCREATE INDEX idx_lessons_status ON lessons (status);\n', top: '--! Previous: sha1:0123\n--! Hash: sha1:4567\n--! no-transaction\n' },
    { text: '-- migrate:up\nCREATE INDEX idx_lessons_status ON lessons (status);\n\n-- migrate:down\nDROP INDEX idx_lessons_status;\n', top: '-- migrate:up\n' },
    { text: '-- +goose Up\n-- a comment that is not a directive\nCREATE INDEX idx_lessons_status ON lessons (status);\n', top: '-- +goose Up\n' },
  ];
  for (const c of cases) {
    const original = { path: FILE, text: c.text };
    const { finding, checked } = findingOf('require-concurrent-index-creation', original);
    const whole = ignoreFixes(finding, checked.analysis, 'small table').find((f) => f.title.endsWith('for this file'));
    assert.ok(whole, `no file-wide ignore for:\n${c.text}`);
    const [fixed] = applyFix(original, whole);
    assert.equal(fixed!.text, `${c.top}-- drydock-ignore-file ${finding.ruleId}: small table\n${c.text.slice(c.top.length)}`);
    assertFixed(finding.ruleId, [fixed!]);
    assert.equal(parseMigrationSync(FILE, fixed!.text).noTransaction?.line ?? null, parseMigrationSync(FILE, c.text).noTransaction?.line ?? null, 'the no-transaction directive moved');
  }
});

describeEachServer('fixes', (server) => {
  for (const c of CASES) {
    test(`${c.rule}: "${c.title.source}" — the fixed migration parses, no longer reports it, and dry-runs`, async () => {
      await loadParser();
      const original = { path: FILE, text: c.sql };
      const { finding } = findingOf(c.rule, original);
      const files = applyFix(original, finding.fix!);
      assertFixed(c.rule, files);
      const url = server().url(await seededDatabase(server()));
      if (c.setup) await sql(url, c.setup);
      await dryRunSucceeds(url, files);
    });
  }

  test('adding-required-field on a table with rows: fails 23502, its fix query counts the rows to fill; the DEFAULT fix, applied, dry-runs on the same rows', async () => {
    await loadParser();
    const url = server().url(await seededDatabase(server()));
    await sql(url, "INSERT INTO lessons (title) VALUES ('one'), ('two')");
    const original = { path: FILE, text: 'ALTER TABLE lessons ADD COLUMN total int NOT NULL;\n' };
    const failed = await dryRunWith(url, [original]);
    assert.equal(failed.error?.sqlstate, '23502');
    // No column to query yet: the query counts the rows each needing a value (the evidence a backfill plan sizes itself by).
    assert.equal(failed.error?.fixQuery, 'SELECT count(*) AS rows_to_fill\nFROM public.lessons');
    assert.match(failed.error?.hint ?? '', /The fix query counts the rows the new column must fill\.$/);
    assert.match(failed.error?.hint ?? '', /DEFAULT/);
    const { finding } = findingOf('adding-required-field', original);
    assert.equal(finding.fix?.title, 'Add DEFAULT 0 (the existing rows get 0)');
    const files = applyFix(original, finding.fix!);
    assert.equal(files[0]!.text, 'ALTER TABLE lessons ADD COLUMN total int NOT NULL DEFAULT 0;\n');
    assertFixed('adding-required-field', files);
    await dryRunSucceeds(url, files);
  });

  /** Dry-runs `original` on `url`, expecting it to fail with `sqlstate` at its only statement; returns the failure. */
  async function provedFailure(url: string, original: MigrationFile, sqlstate: string) {
    const report = await dryRunWith(url, [original]);
    const failed = report.statements.find((s) => s.status === 'failed');
    assert.equal(failed?.error?.sqlstate, sqlstate, JSON.stringify(report.error));
    return { offsets: failed.offsets, error: failed.error };
  }

  test('CHECK failing 23514 on 2 rows: the cleanup the fix query found, applied above the statement, makes the same dry-run succeed; the VALIDATE migration carries it too', async () => {
    await loadParser();
    const url = server().url(await seededDatabase(server()));
    await sql(url, "INSERT INTO lessons (title, difficulty_level) VALUES ('ok', 3), ('too hard', 9), ('too easy', 0)");
    const original = { path: FILE, text: 'ALTER TABLE lessons ADD CONSTRAINT chk_lessons_level CHECK (difficulty_level BETWEEN 1 AND 5);\n' };
    const failure = await provedFailure(url, original, '23514');
    assert.equal(failure.error.fixRows?.length, 2);
    const fix = cleanupFix(parseMigrationSync(FILE, original.text), failure);
    assert.equal(fix?.title, 'Delete the 2 rows that violate chk_lessons_level first (found by the last dry-run)');
    await dryRunSucceeds(url, applyFix(original, fix!));
    // The split fix alone would move the failure to the VALIDATE migration (23514 again): with the evidence it deletes the rows first.
    const { finding } = findingOf('constraint-missing-not-valid', original);
    const split = withCleanupBeforeValidate(finding.fix!, failure);
    assert.match(split.title, /VALIDATE CONSTRAINT in a later migration .*, deleting the 2 rows that violate chk_lessons_level before it$/);
    assert.match(split.newFiles![0]!.text, /^-- Found by the last dry-run's fix query.*\nDELETE FROM lessons\nWHERE NOT \(difficulty_level BETWEEN 1 AND 5\);\nALTER TABLE lessons VALIDATE CONSTRAINT chk_lessons_level;\n$/);
    await dryRunSucceeds(url, applyFix(original, split));
    const unproved = await dryRunWith(url, applyFix(original, finding.fix!));
    assert.equal(unproved.error?.sqlstate, '23514', 'without the cleanup, the VALIDATE migration fails on the same rows');
  });

  test('UNIQUE failing 23505: the dedupe the fix query found (one row per key kept) makes the same dry-run succeed', async () => {
    await loadParser();
    const url = server().url(await seededDatabase(server()));
    await sql(url, "INSERT INTO user_profiles (email) VALUES ('a@x'), ('a@x'), ('a@x'), ('b@x'), ('c@x'), ('c@x')");
    const original = { path: FILE, text: 'CREATE UNIQUE INDEX uq_user_profiles_email ON user_profiles (email);\n' };
    const failure = await provedFailure(url, original, '23505');
    const fix = cleanupFix(parseMigrationSync(FILE, original.text), failure);
    assert.equal(fix?.title, 'Delete the extra rows of the 2 duplicate keys of uq_user_profiles_email (one row of each kept) first (found by the last dry-run)');
    const files = applyFix(original, fix!);
    await dryRunSucceeds(url, files);
    const kept = await sql<{ email: string }>(url, 'SELECT email FROM user_profiles ORDER BY email');
    assert.equal(kept.length, 6, 'a dry-run changes nothing');
  });

  test('no cleanup where the run proved nothing exact: an expression index, a partial index, a fix query with no rows', async () => {
    await loadParser();
    const url = server().url(await seededDatabase(server()));
    await sql(url, "INSERT INTO user_profiles (email) VALUES ('a@x'), ('A@x')");
    const expression = { path: FILE, text: 'CREATE UNIQUE INDEX uq_user_profiles_email ON user_profiles (lower(email));\n' };
    const failure = await provedFailure(url, expression, '23505');
    assert.equal(failure.error.cleanup, undefined);
    assert.equal(cleanupFix(parseMigrationSync(FILE, expression.text), failure), null);
    await sql(url, "INSERT INTO user_profiles (email) VALUES ('a@x')");
    const partial = { path: FILE, text: "CREATE UNIQUE INDEX uq_user_profiles_email ON user_profiles (email) WHERE email <> '';\n" };
    assert.equal((await provedFailure(url, partial, '23505')).error.cleanup, undefined);
    // A run that did not find rows (here: made up) proves nothing to delete.
    assert.equal(cleanupFix(parseMigrationSync(FILE, expression.text), { ...failure, error: { ...failure.error, cleanup: 'DELETE FROM user_profiles', fixRows: [] } }), null);
  });

  test('ignore fixes: for this statement (inside a DO body too) and for this file', async () => {
    await loadParser();
    const texts = ['ALTER TABLE lessons ADD COLUMN note text;\nCREATE INDEX idx_lessons_note ON lessons (note);\n',
      'DO $$\nBEGIN\n  CREATE INDEX IF NOT EXISTS idx_lessons_status ON lessons (status);\nEND\n$$;\n'];
    for (const text of texts) {
      const original = { path: FILE, text };
      const { finding, checked } = findingOf('require-concurrent-index-creation', original);
      const [statement, whole] = ignoreFixes(finding, checked.analysis, 'the table is small');
      for (const fix of [statement!, whole!]) {
        const files = applyFix(original, fix);
        assertFixed('require-concurrent-index-creation', files);
        assert.deepEqual(check(files).flatMap((f) => f.diagnostics).filter((d) => d.ruleId === 'unused-ignore'), []);
        const url = server().url(await seededDatabase(server()));
        await dryRunSucceeds(url, files);
      }
      assert.match(applyFix(original, statement!)[0]!.text, /^ *-- drydock-ignore require-concurrent-index-creation: the table is small\n *CREATE INDEX/m);
    }
  });
});
