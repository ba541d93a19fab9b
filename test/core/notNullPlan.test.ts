// The plan offered after ADD COLUMN … NOT NULL fails 23502 on a table with rows: the column added
// nullable in the file, then a backfill, CHECK NOT VALID, VALIDATE and SET NOT NULL as migrations of
// their own. On a real PostgreSQL: the files applied in order (psql, each as the tool runs it) leave
// the column NOT NULL, every row filled and no constraint behind; left unedited, the backfill fails
// loudly; the dry-run runs a one-UPDATE backfill and says it does not run a batched one; and the
// plan is not offered where its steps would not mean what the statement meant.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { pgBackend } from '../../src/core/db/pg/pgBackend';
import type { Fix } from '../../src/core/model/findings';
import { DEFAULT_LINT_SETTINGS } from '../../src/core/model/lintSettings';
import { loadParser, parseMigrationSync } from '../../src/core/parse/parseMigration';
import { checkFiles } from '../../src/core/rules/checkMigration';
import { applyEdits } from '../../src/core/rules/fixes/edits';
import type { ProvedFailure } from '../../src/core/rules/fixes/evidenceFixes';
import { followingMigrationPath } from '../../src/core/rules/fixes/followingMigration';
import { BACKFILL_PLACEHOLDER, notNullPlanFix } from '../../src/core/rules/fixes/notNullPlanFix';
import { runMigrations, type MigrationFile } from '../../src/core/run/runner';
import { describeEachServer, sql } from '../support/database';
import { psqlFiles } from '../support/psql';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'drydock-not-null-plan-'));
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

const ADD = 'ALTER TABLE orders ADD COLUMN total bigint NOT NULL;\n';
const FILE = 'migrations/002_add_total.sql';

/** The failure a dry-run of `file` proved (23502 expected), as the editor keeps it. */
async function provedFailure(url: string, file: MigrationFile): Promise<ProvedFailure> {
  const report = await runMigrations([file], { mode: 'dry-run', backend: pgBackend({ connectionString: url }) });
  const failed = report.statements.find((s) => s.status === 'failed');
  assert.equal(failed?.error?.sqlstate, '23502', JSON.stringify(report.error));
  return { offsets: failed.offsets, error: failed.error };
}

function planFor(file: MigrationFile, failure: ProvedFailure, pgVersion?: number): Fix | null {
  const [checked] = checkFiles([parseMigrationSync(file.path, file.text)], pgVersion ? { settings: { ...DEFAULT_LINT_SETTINGS, pgVersion } } : {});
  return notNullPlanFix(checked!.analysis, failure);
}

/** The fixed file and the plan's migrations, named in order as the language server names them, written to a folder. */
function writePlan(original: MigrationFile, fix: Fix, fill: string | null): string[] {
  const dir = fs.mkdtempSync(path.join(scratch, 'plan-'));
  const written = [path.join(dir, path.basename(original.path))];
  fs.writeFileSync(written[0]!, applyEdits(original.text, fix.edits));
  const names = [path.basename(original.path)];
  for (const created of fix.newFiles ?? []) {
    const placed = path.basename(followingMigrationPath({ file: original.path, suffix: created.following!, siblings: names, now: new Date(0) }));
    names.push(placed);
    written.push(path.join(dir, placed));
    fs.writeFileSync(path.join(dir, placed), fill === null ? created.text : created.text.replace(BACKFILL_PLACEHOLDER, fill));
  }
  return written;
}

/** Applies the files one by one as the tool runs them: in a transaction, or outside one where the file says so. */
async function applyInOrder(url: string, files: readonly string[]): Promise<void> {
  for (const file of files) {
    const outside = /^-- drydock:no-transaction/.test(fs.readFileSync(file, 'utf8'));
    const result = await psqlFiles(url, [file], { singleTransaction: !outside });
    assert.equal(result.code, 0, `${path.basename(file)}: ${result.stderr}`);
  }
}

async function assertDone(url: string, rows: number): Promise<void> {
  const [column] = await sql<{ attnotnull: boolean }>(url, "SELECT attnotnull FROM pg_attribute WHERE attrelid = 'orders'::regclass AND attname = 'total'");
  assert.equal(column?.attnotnull, true, 'the column is NOT NULL');
  assert.deepEqual(await sql(url, 'SELECT count(*)::int AS n, count(*) FILTER (WHERE total = id * 10)::int AS filled FROM orders'), [{ n: rows, filled: rows }]);
  assert.deepEqual(await sql(url, "SELECT conname FROM pg_constraint WHERE conrelid = 'orders'::regclass AND contype = 'c'"), [], 'no CHECK left behind');
  assert.deepEqual(await sql(url, 'SELECT conname FROM pg_constraint WHERE NOT convalidated'), [], 'no invalid constraint left');
}

test('the plan is not offered where its steps would not be the statement\'s meaning, or could not be ordered', async () => {
  await loadParser();
  const failure = (text: string, file = FILE): [MigrationFile, ProvedFailure] => {
    const parsed = parseMigrationSync(file, text);
    const last = parsed.statements.filter((s) => s.role === 'statement').at(-1)!;
    return [{ path: file, text }, { offsets: last.offsets, error: { sqlstate: '23502', category: 'integrity', label: 'Data conflict', title: 'Not null violation', message: 'x', fixRows: [{ rows_to_fill: '2' }] } }];
  };
  assert.ok(planFor(...failure(ADD)), 'the plain case is offered');
  const never: [string, string][] = [
    ['a DO block', 'DO $$ BEGIN ALTER TABLE orders ADD COLUMN total int NOT NULL; END $$;\n'],
    ['a multi-command ALTER', 'ALTER TABLE orders ADD COLUMN total int NOT NULL, ADD COLUMN note text;\n'],
    ['a column with a DEFAULT already', 'ALTER TABLE orders ADD COLUMN total int NOT NULL DEFAULT (random() * 0)::int;\n'],
    ['a generated column', 'ALTER TABLE orders ADD COLUMN total int NOT NULL GENERATED ALWAYS AS (id * 10) STORED;\n'],
    ['an identity column', 'ALTER TABLE orders ADD COLUMN total int NOT NULL GENERATED ALWAYS AS IDENTITY;\n'],
    ['a primary key', 'ALTER TABLE orders ADD COLUMN total int PRIMARY KEY;\n'],
    ['a UNIQUE column', 'ALTER TABLE orders ADD COLUMN total int NOT NULL UNIQUE;\n'],
    ['a column with a CHECK', 'ALTER TABLE orders ADD COLUMN total int NOT NULL CHECK (total > 0);\n'],
    ['SET NOT NULL of an existing column', 'ALTER TABLE orders ALTER COLUMN id SET NOT NULL;\n'],
  ];
  for (const [what, text] of never) assert.equal(planFor(...failure(text)), null, what);
  // The new migrations could not be ordered after a file whose name has no version (diesel's up.sql, sqitch's deploy/…).
  assert.equal(planFor(...failure(ADD, 'migrations/2024-01-01-000000_total/up.sql')), null, 'diesel');
  assert.equal(planFor(...failure(ADD, 'deploy/add_total.sql')), null, 'unnumbered');
  // Before PostgreSQL 12, SET NOT NULL scans even with a valid CHECK: the plan would buy nothing.
  assert.equal(planFor(...failure(ADD), 11), null, 'PostgreSQL 11');
  // Another failure of the same statement is not a proof that the table has rows.
  const [file, proved] = failure(ADD);
  assert.equal(planFor(file, { ...proved, error: { ...proved.error, sqlstate: '42P01' } }), null, 'not 23502');
});

test('the plan in the tool\'s own layout: dbmate\'s and goose\'s markers, their no-transaction options on a batched backfill', async () => {
  await loadParser();
  const proved = (text: string, rows: string): ProvedFailure => {
    const parsed = parseMigrationSync('db/migrations/20240101000000_total.sql', text);
    const statement = parsed.statements.find((s) => s.role === 'statement')!;
    return { offsets: statement.offsets, error: { sqlstate: '23502', category: 'integrity', label: 'Data conflict', title: 'Not null violation', message: 'x', fixRows: [{ rows_to_fill: rows }] } };
  };
  const dbmate = `-- migrate:up\n${ADD}\n-- migrate:down\n`;
  const plan = planFor({ path: 'db/migrations/20240101000000_total.sql', text: dbmate }, proved(dbmate, '50000'))!;
  assert.match(plan.newFiles![0]!.text, /^-- migrate:up transaction:false\n[\s\S]*DO \$\$[\s\S]*COMMIT;[\s\S]*\n-- migrate:down\n$/);
  assert.match(plan.newFiles![3]!.text, /^-- migrate:up\nALTER TABLE orders ALTER COLUMN total SET NOT NULL;\nALTER TABLE orders DROP CONSTRAINT total_not_null_check;\n\n-- migrate:down\n$/);
  const goose = `-- +goose Up\n${ADD}`;
  const goosePlan = planFor({ path: 'db/migrations/00002_total.sql', text: goose }, proved(goose, '3'))!;
  assert.match(goosePlan.newFiles![0]!.text, /^-- \+goose Up\n[\s\S]*UPDATE orders SET total = "TODO[^\n]* WHERE total IS NULL;\n$/);
});

describeEachServer('the plan after ADD COLUMN … NOT NULL failed 23502', (server) => {
  async function ordersWith(rows: number): Promise<string> {
    const url = server().url(await server().createDatabase());
    await sql(url, `CREATE TABLE orders (id bigint PRIMARY KEY); INSERT INTO orders SELECT generate_series(1, ${rows})`);
    return url;
  }

  test('few rows: one UPDATE; unedited it fails loudly; filled, the files applied in order leave total NOT NULL, filled, no CHECK left; the whole plan dry-runs clean', async () => {
    await loadParser();
    const url = await ordersWith(3);
    const original = { path: FILE, text: `-- Orders get a total.\n${ADD}` };
    const failure = await provedFailure(url, original);
    assert.deepEqual(failure.error.fixRows, [{ rows_to_fill: '3' }], 'the fix query counted the rows to fill');
    assert.match(failure.error.hint ?? '', /The fix query counts the rows the new column must fill\.$/);
    const fix = planFor(original, failure)!;
    assert.equal(fix.title, 'Add total nullable here, then a one-UPDATE backfill (the last dry-run counted 3 rows), CHECK NOT VALID, VALIDATE and SET NOT NULL in 4 new migrations (write the backfill\'s value)');
    assert.equal(applyEdits(original.text, fix.edits), '-- Orders get a total.\nALTER TABLE orders ADD COLUMN total bigint;\n');
    assert.deepEqual(fix.newFiles!.map((f) => f.following), ['backfill', 'not_null_check', 'validate', 'set_not_null']);
    const backfill = fix.newFiles![0]!;
    assert.equal(backfill.text.slice(backfill.cursor!, backfill.cursor! + BACKFILL_PLACEHOLDER.length), BACKFILL_PLACEHOLDER, 'the file opens at the value to write');
    assert.match(backfill.text, /^-- Write the value of total[\s\S]*-- The last dry-run counted 3 rows in orders, on the database it ran on[\s\S]*\nUPDATE orders SET total = "TODO: the value for existing rows" WHERE total IS NULL;\n$/);

    // Left unedited: the backfill fails (the placeholder is no column) and writes nothing.
    const unedited = writePlan(original, fix, null);
    const psqlUnedited = await ordersWith(3);
    await applyInOrder(psqlUnedited, unedited.slice(0, 1));
    const refused = await psqlFiles(psqlUnedited, [unedited[1]!], { singleTransaction: true });
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /column "TODO: the value for existing rows" does not exist/);

    const files = writePlan(original, fix, 'id * 10');
    assert.deepEqual(files.map((f) => path.basename(f)), ['002_add_total.sql', '003_add_total_backfill.sql', '004_add_total_not_null_check.sql', '005_add_total_validate.sql', '006_add_total_set_not_null.sql']);
    // Drydock's own rules find nothing above info in the plan (as checked together, in order).
    const findings = checkFiles(files.map((f) => parseMigrationSync(f, fs.readFileSync(f, 'utf8')))).flatMap((c) => c.diagnostics);
    assert.deepEqual(findings.filter((f) => f.severity !== 'info').map((f) => `${f.ruleId}: ${f.message}`), []);
    const migrations = files.map((f) => ({ path: f, text: fs.readFileSync(f, 'utf8') }));
    const dry = await runMigrations(migrations, { mode: 'dry-run', backend: pgBackend({ connectionString: url }) });
    assert.equal(dry.outcome, 'succeeded', JSON.stringify(dry.error));
    assert.ok(dry.statements.every((s) => s.status === 'ok'), 'every step ran in the dry-run');
    assert.deepEqual(await sql(url, "SELECT count(*)::int AS n FROM pg_attribute WHERE attrelid = 'orders'::regclass AND attname = 'total'"), [{ n: 0 }], 'the dry-run changed nothing');

    await applyInOrder(url, files);
    await assertDone(url, 3);
  });

  test('many rows: a batched backfill outside a transaction; the dry-run says it does not run it; applied in order (psql, and Drydock apply) it fills every row and leaves total NOT NULL; the other steps dry-run clean', async () => {
    await loadParser();
    const rows = 10_500;
    const url = await ordersWith(rows);
    const original = { path: FILE, text: ADD };
    const failure = await provedFailure(url, original);
    const fix = planFor(original, failure)!;
    assert.match(fix.title, /then a batched backfill that dry-runs do not run, CHECK NOT VALID, VALIDATE and SET NOT NULL in 4 new migrations/);
    const files = writePlan(original, fix, 'id * 10');
    const backfill = fs.readFileSync(files[1]!, 'utf8');
    assert.match(backfill, /^-- drydock:no-transaction\n[\s\S]*counted 10500 rows[\s\S]*DO \$\$[\s\S]*COMMIT;/);
    const findings = checkFiles(files.map((f) => parseMigrationSync(f, fs.readFileSync(f, 'utf8')))).flatMap((c) => c.diagnostics);
    assert.deepEqual(findings.filter((f) => f.severity !== 'info').map((f) => `${f.ruleId}: ${f.message}`), []);

    // The dry-run runs the column's file and says plainly that it did not run the batches.
    const backend = () => pgBackend({ connectionString: url });
    const first = await runMigrations([{ path: files[0]!, text: fs.readFileSync(files[0]!, 'utf8') }], { mode: 'dry-run', backend: backend() });
    assert.equal(first.outcome, 'succeeded', JSON.stringify(first.error));
    const batches = await runMigrations(files.slice(0, 2).map((f) => ({ path: f, text: fs.readFileSync(f, 'utf8') })), { mode: 'dry-run', backend: backend() });
    assert.equal(batches.outcome, 'succeeded', JSON.stringify(batches.error));
    const block = batches.statements.find((s) => s.kind === 'DO');
    assert.equal(block?.status, 'simulated');
    assert.match(block?.note ?? '', /not executed: a DO block that runs COMMIT/);
    // What the dry-run cannot check: the steps after the backfill, on rows the backfill has not filled, fail there.
    const whole = await runMigrations(files.map((f) => ({ path: f, text: fs.readFileSync(f, 'utf8') })), { mode: 'dry-run', backend: backend() });
    assert.equal(whole.error?.sqlstate, '23514', 'VALIDATE finds the rows the unrun backfill left NULL');

    // Applied as the tool runs them: the backfill commits its batches outside a transaction.
    await applyInOrder(url, files.slice(0, 2));
    assert.deepEqual(await sql(url, 'SELECT count(*)::int AS n FROM orders WHERE total IS NULL'), [{ n: 0 }]);
    // With the backfill applied, the remaining steps dry-run clean.
    const rest = await runMigrations(files.slice(2).map((f) => ({ path: f, text: fs.readFileSync(f, 'utf8') })), { mode: 'dry-run', backend: backend() });
    assert.equal(rest.outcome, 'succeeded', JSON.stringify(rest.error));
    await applyInOrder(url, files.slice(2));
    await assertDone(url, rows);

    // Drydock's own apply of the backfill file on a throwaway database: outside a transaction too.
    const applied = await ordersWith(rows);
    await applyInOrder(applied, files.slice(0, 1));
    const report = await runMigrations([{ path: files[1]!, text: fs.readFileSync(files[1]!, 'utf8') }], { mode: 'apply', backend: pgBackend({ connectionString: applied }) });
    assert.equal(report.outcome, 'succeeded', JSON.stringify(report.error));
    assert.deepEqual(await sql(applied, 'SELECT count(*)::int AS n FROM orders WHERE total IS NULL'), [{ n: 0 }]);
  });

  test('a batched backfill whose value is NULL for some rows stops with an error instead of looping or passing them on', async () => {
    await loadParser();
    const url = await ordersWith(20);
    const original = { path: FILE, text: ADD };
    const failure = await provedFailure(url, original);
    // As if the run had counted many rows: the batched form.
    const fix = planFor(original, { ...failure, error: { ...failure.error, fixRows: [{ rows_to_fill: '20000' }] } })!;
    const files = writePlan(original, fix, 'CASE WHEN id > 15 THEN NULL ELSE id * 10 END');
    await applyInOrder(url, files.slice(0, 1));
    const result = await psqlFiles(url, [files[1]!], { singleTransaction: false });
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /orders\.total is still NULL in some rows/);
  });

  test('not offered for a table the run proved empty: the statement succeeds there and nothing failed', async () => {
    await loadParser();
    const url = await ordersWith(0);
    const report = await runMigrations([{ path: FILE, text: ADD }], { mode: 'dry-run', backend: pgBackend({ connectionString: url }) });
    assert.equal(report.outcome, 'succeeded');
    assert.deepEqual(report.statements.filter((s) => s.status === 'failed'), []);
  });
});
