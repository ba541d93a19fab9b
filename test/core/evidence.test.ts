// A dry-run compares each static finding that claims a rewrite, a scan or a lock with what
// PostgreSQL did: confirmed, contradicted (downgraded to info, saying so) or left static when the
// measurement cannot tell. What is measured with no finding to attach it to stands alone.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pgBackend } from '../../src/core/db/pg/pgBackend';
import type { Finding } from '../../src/core/model/findings';
import { DEFAULT_LINT_SETTINGS, type LintSettings } from '../../src/core/model/lintSettings';
import type { RunReport } from '../../src/core/model/report';
import { runFindings } from '../../src/core/output/runFindings';
import { checkMigration } from '../../src/core/rules/checkMigration';
import { runMigrations } from '../../src/core/run/runner';
import { describeEachServer, sql } from '../support/database';

const SETUP = `CREATE TABLE orders (id int PRIMARY KEY, amount int, note varchar(50), customer int);
INSERT INTO orders SELECT g, g % 100, 'n' || g, g % 10 FROM generate_series(1, 2000) g;
ANALYZE orders;`;

async function dryRun(url: string, text: string, lintSettings?: LintSettings): Promise<RunReport> {
  return runMigrations([{ path: 'm.sql', text }], {
    mode: 'dry-run', backend: pgBackend({ connectionString: url }), ...(lintSettings ? { lintSettings: () => lintSettings } : {}),
  });
}

/** The findings of one rule on one line, as "severity evidence". */
function judged(report: RunReport, ruleId: string, line: number): Finding {
  const found = report.diagnostics.filter((d) => d.ruleId === ruleId && d.range.start.line === line);
  assert.equal(found.length, 1, `${ruleId} on line ${line}: ${JSON.stringify(report.diagnostics.map((d) => [d.ruleId, d.range.start.line]))}`);
  return found[0]!;
}

describeEachServer('findings confirmed or contradicted by the dry-run', (server) => {
  const fresh = async () => {
    const url = server().url(await server().createDatabase());
    await sql(url, SETUP);
    return url;
  };

  test('varchar(50) → varchar(100) on a table the files do not create: the rewrite warning is contradicted and downgraded; bigint is confirmed', async () => {
    const report = await dryRun(await fresh(), 'ALTER TABLE orders ALTER COLUMN note TYPE varchar(100);\nALTER TABLE orders ALTER COLUMN id TYPE bigint;\n');
    assert.equal(report.outcome, 'succeeded');
    const wider = judged(report, 'changing-column-type', 1);
    assert.equal(wider.evidence, 'contradicted');
    assert.equal(wider.severity, 'info');
    assert.equal(wider.downgradedFrom, 'error');
    assert.match(wider.message, /Measured in the run: PostgreSQL did not rewrite orders \(its storage is unchanged\)\. Downgraded from error to info\.$/);
    const bigint = judged(report, 'changing-column-type', 2);
    assert.equal(bigint.evidence, 'confirmed');
    assert.equal(bigint.severity, 'error');
    assert.equal(bigint.downgradedFrom, undefined);
    assert.match(bigint.message, /Confirmed by the run: rewrote orders\.$/);
    // The same static check, without a run, says nothing about evidence.
    const checked = await checkMigration('m.sql', 'ALTER TABLE orders ALTER COLUMN note TYPE varchar(100);\n');
    assert.deepEqual(checked.diagnostics.filter((d) => d.ruleId === 'changing-column-type').map((d) => [d.severity, d.evidence]), [['error', undefined]]);
  });

  test('an index build, a CHECK validated by a scan and an exclusive lock held over later statements are confirmed with what was measured', async () => {
    const report = await dryRun(await fresh(), [
      'CREATE INDEX idx_orders_amount ON orders (amount);',
      'ALTER TABLE orders ADD CONSTRAINT chk_orders_amount CHECK (amount >= 0);',
      'SELECT pg_sleep(0.1);',
      'UPDATE orders SET amount = 1;',
    ].join('\n'));
    assert.equal(report.outcome, 'succeeded');
    const index = judged(report, 'require-concurrent-index-creation', 1);
    assert.equal(index.evidence, 'confirmed');
    assert.match(index.message, /Confirmed by the run: took SHARE on orders, held \d+ ms while 3 later statement\(s\) ran\.$/);
    const check = judged(report, 'constraint-missing-not-valid', 2);
    assert.equal(check.evidence, 'confirmed');
    assert.match(check.message, /Confirmed by the run: scanned orders \(validates CHECK chk_orders_amount\)\.$/);
    const held = judged(report, 'lock-held-across-statements', 2);
    assert.equal(held.evidence, 'confirmed');
    assert.match(held.message, /took ACCESS EXCLUSIVE on orders, held \d+ ms while 2 later statement\(s\) ran\.$/);
    const heldMs = report.statements[1]!.locks.find((l) => l.relation === 'orders')!.heldMs;
    assert.ok(heldMs >= 100, `held ${heldMs} ms across the sleep`);
    // Findings that claim nothing measurable stay static.
    assert.equal(judged(report, 'update-without-where', 4).evidence, 'static');
  });

  test('DROP INDEX: the finding on "the table of index …" is confirmed by the lock measured on that table; TRUNCATE shows no scan', async () => {
    const url = await fresh();
    await sql(url, 'CREATE INDEX idx_orders_amount ON orders (amount)');
    const report = await dryRun(url, 'DROP INDEX idx_orders_amount;\nTRUNCATE orders;\n');
    assert.equal(report.outcome, 'succeeded', JSON.stringify(report.error));
    const drop = judged(report, 'require-concurrent-index-deletion', 1);
    assert.equal(drop.evidence, 'confirmed');
    assert.match(drop.message, /every read and write of the table of index idx_orders_amount waits/);
    assert.match(drop.message, /Confirmed by the run: took ACCESS EXCLUSIVE on orders, held \d+ ms while 1 later statement\(s\) ran\.$/);
    // Nothing measured of TRUNCATE stands alone as a scan or a rewrite: it reads no row.
    const measured = runFindings(report).filter((f) => f.ruleId === 'measured-impact' && f.range.start.line === 2);
    assert.deepEqual(measured.map((f) => f.message).filter((m) => /scan|rewr/.test(m)), []);
  });

  test('DROP INDEX IF EXISTS of an index that is not there, in a DO block that locks a table otherwise: not confirmed by that table\'s lock', async () => {
    // Supabase Storage 0038: the block alters another table, whose ACCESS EXCLUSIVE is not the drop's.
    const report = await dryRun(await fresh(), 'DO $$ BEGIN\n  DROP INDEX IF EXISTS idx_never_made;\n  ALTER TABLE orders ADD COLUMN flag int;\nEND $$;\n');
    assert.equal(report.outcome, 'succeeded', JSON.stringify(report.error));
    assert.notEqual(judged(report, 'require-concurrent-index-deletion', 2).evidence, 'confirmed');
  });

  test('a measurement a finding carries is not repeated as measured-impact; one with no finding stands alone as measured', async () => {
    const report = await dryRun(await fresh(), "SET lock_timeout = '5s';\nCREATE INDEX idx_orders_amount ON orders (amount);\nALTER TABLE orders ADD COLUMN flag boolean;\n");
    const measured = runFindings(report).filter((f) => f.ruleId === 'measured-impact');
    assert.deepEqual(measured.map((f) => [f.range.start.line, f.evidence]), [[3, 'measured']]);
    assert.match(measured[0]!.message, /^measured: ACCESS EXCLUSIVE on orders/);
  });

  test('nothing is contradicted when the measurement cannot tell: a statement that did not run, a lock taken earlier, another target version', async () => {
    const url = await fresh();
    const failed = await dryRun(url, 'ALTER TABLE orders ALTER COLUMN id TYPE uuid;\nALTER TABLE orders ALTER COLUMN note TYPE varchar(100);\n');
    assert.equal(failed.outcome, 'failed');
    assert.equal(judged(failed, 'changing-column-type', 2).evidence, 'static');
    assert.equal(judged(failed, 'changing-column-type', 2).severity, 'error');
    // The second statement needs ACCESS EXCLUSIVE too, but the first holds it already: not measurable there.
    const twice = await dryRun(url, 'ALTER TABLE orders ADD COLUMN flag boolean;\nCREATE INDEX idx_orders_amount ON orders (amount);\n');
    assert.equal(judged(twice, 'require-concurrent-index-creation', 2).evidence, 'static');
    // Judged for PostgreSQL 10, where a constant default rewrites: a run on a newer server does not contradict it.
    const old: LintSettings = { ...DEFAULT_LINT_SETTINGS, pgVersion: 10, pgVersionAssumed: false };
    const target = await dryRun(url, "ALTER TABLE orders ADD COLUMN status text DEFAULT 'new';\n", old);
    const major = Math.floor(target.server!.versionNum / 10000);
    const finding = judged(target, 'adding-field-with-default', 1);
    assert.equal(finding.evidence, 'static');
    assert.equal(finding.severity, 'error');
    assert.match(finding.message, new RegExp(`The run on PostgreSQL ${major} did not show it, but the target is PostgreSQL 10: not compared\\.\\)$`));
  });

  test('a statement in a branch of a DO block that did not run is not contradicted (openmeter\'s repair migration); one the block always runs is confirmed', async () => {
    const url = await fresh();
    await sql(url, 'ALTER TABLE orders ADD CONSTRAINT chk_orders_amount CHECK (amount >= 0)');
    const guard = (name: string) => `IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = '${name}') THEN\n    ALTER TABLE orders ADD CONSTRAINT ${name} CHECK (amount >= 0);\n  END IF;`;
    const report = await dryRun(url, `DO $$\nBEGIN\n  ${guard('chk_orders_amount')}\nEND $$;\nDO $$\nBEGIN\n  ALTER TABLE orders ADD CONSTRAINT chk_orders_amount_2 CHECK (amount >= 0);\nEND $$;\n`);
    assert.equal(report.outcome, 'succeeded', JSON.stringify(report.error));
    const skipped = judged(report, 'constraint-missing-not-valid', 4);
    assert.equal(skipped.evidence, 'static');
    assert.equal(skipped.downgradedFrom, undefined);
    assert.match(skipped.message, /\(Not compared with the run: it is in a branch that may not have run\.\)$/);
    assert.equal(judged(report, 'constraint-missing-not-valid', 9).evidence, 'confirmed');
  });

  test('a foreign key on a new column: read only when that column gets a value (a DEFAULT, even NULL), measured, so found only then', async () => {
    const report = await dryRun(await fresh(), "ALTER TABLE orders ADD COLUMN parent int REFERENCES orders (id), ADD COLUMN kind text NOT NULL DEFAULT 'x';\n"
      + 'ALTER TABLE orders ADD COLUMN first int DEFAULT 1 REFERENCES orders (id);\nALTER TABLE orders ADD COLUMN other int DEFAULT NULL REFERENCES orders (id);\n');
    assert.equal(report.outcome, 'succeeded', JSON.stringify(report.error));
    assert.deepEqual(report.statements.map((s) => s.scans.length > 0), [false, true, true]);
    assert.deepEqual(report.diagnostics.filter((d) => d.ruleId === 'adding-foreign-key-constraint').map((d) => [d.range.start.line, d.evidence]), [[2, 'confirmed'], [3, 'confirmed']]);
  });

  test('timestamp → timestamptz after SET timezone = \'UTC\' is measured in place, and not found; in another zone it rewrites and is confirmed', async () => {
    // The columns' type is known from the file's first statement.
    const report = await dryRun(await fresh(), "ALTER TABLE orders ADD COLUMN placed timestamp DEFAULT now(), ADD COLUMN shipped timestamp DEFAULT now();\n"
      + "SET timezone = 'UTC';\nALTER TABLE orders ALTER COLUMN placed TYPE timestamptz USING placed;\nSET timezone = 'Asia/Tokyo';\nALTER TABLE orders ALTER COLUMN shipped TYPE timestamptz;\n");
    assert.equal(report.outcome, 'succeeded', JSON.stringify(report.error));
    assert.deepEqual(report.statements.map((s) => s.rewrites.length > 0), [false, false, false, false, true]);
    assert.deepEqual(report.diagnostics.filter((d) => d.ruleId === 'changing-column-type').map((d) => [d.range.start.line, d.evidence]), [[5, 'confirmed']]);
  });

  test('a target version nobody gave is replaced by the server\'s: the files are judged again for it', async () => {
    const assumed: LintSettings = { ...DEFAULT_LINT_SETTINGS, pgVersion: 10, pgVersionAssumed: true };
    const report = await dryRun(await fresh(), "ALTER TABLE orders ADD COLUMN status text DEFAULT 'new';\n", assumed);
    assert.equal(report.outcome, 'succeeded');
    assert.deepEqual(report.diagnostics.filter((d) => d.ruleId === 'adding-field-with-default'), [], 'on PostgreSQL 11 and later a constant default does not rewrite');
    assert.ok(report.diagnostics.length > 0 && report.diagnostics.every((d) => d.evidence !== undefined), 'every rule finding of a run has evidence');
  });
});
