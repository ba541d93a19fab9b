// `drydock audit` in core: a history replayed migration by migration on a real PGlite and on a
// scratch database of a real PostgreSQL, each migration dry-run (and measured) against the state
// the migrations before it built, then applied as its tool applies it. Its findings are those of
// `drydock check` on the folder, and a finding's claim is confirmed or contradicted by what
// PostgreSQL did; the shadow's server is left as it was.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, test } from 'node:test';
import type { AuditReport } from '../../../src/core/model/auditReport';
import type { LintSettings } from '../../../src/core/model/lintSettings';
import { DEFAULT_LINT_SETTINGS } from '../../../src/core/model/lintSettings';
import { loadParser, parseMigrationSync } from '../../../src/core/parse/parseMigration';
import { checkFiles } from '../../../src/core/rules/checkMigration';
import { migrationsIn } from '../../../src/core/shadow/history';
import { auditHistory } from '../../../src/core/shadow/historyAudit';
import { PgliteShadow } from '../../../src/core/shadow/pgliteShadow';
import { SCRATCH_PREFIX, ScratchDatabaseShadow } from '../../../src/core/shadow/scratchDatabase';
import type { ShadowHost } from '../../../src/core/shadow/shadowHost';
import { describeEachServer, sql } from '../../support/database';
import { clusterFingerprint, fingerprintDiff } from '../../support/fingerprint';
import { relativeTo, writeFolder } from './folders';

// 001 builds orders with rows; `staging` is made by SQL built at run time, so no file tells its
// column types. 002 widens an int to bigint (PostgreSQL rewrites orders: the claim holds) and a
// varchar of `staging` (binary-coercible: PostgreSQL rewrites nothing, which only the run can tell).
const HISTORY = {
  'migrations/001_orders.sql': `CREATE TABLE orders (id bigint PRIMARY KEY, amount int NOT NULL, note varchar(50));
INSERT INTO orders SELECT g, g, 'n' FROM generate_series(1, 200) g;
DO $$ BEGIN EXECUTE 'CREATE TABLE staging (code varchar(' || 10 || '))'; END $$;
INSERT INTO staging SELECT 'c' || g FROM generate_series(1, 200) g;
`,
  'migrations/002_widen.sql': `ALTER TABLE orders ALTER COLUMN amount TYPE bigint;
`,
  'migrations/003_staging.sql': `ALTER TABLE staging ALTER COLUMN code TYPE varchar(20);
ALTER TABLE orders ALTER COLUMN note TYPE varchar(100);
`,
};

function only(report: AuditReport, ruleId: string, file: string) {
  return report.diagnostics.filter((d) => d.ruleId === ruleId && d.file === file);
}

/** What `drydock check` on the folder reports (the tool's forward files, judged for `pgVersion`). */
async function checkOfFolder(root: string, pgVersion: number): Promise<string[]> {
  await loadParser();
  const name = relativeTo(root);
  const parsed = migrationsIn(path.join(root, 'migrations')).migrations.map((m) => parseMigrationSync(name(m.file), m.text));
  const settings: LintSettings = { ...DEFAULT_LINT_SETTINGS, pgVersion, pgVersionAssumed: false };
  return checkFiles(parsed, { settings }).flatMap((f) => f.diagnostics.map((d) => `${d.file}:${d.range.start.line}:${d.range.start.column} ${d.ruleId}`));
}

/** The claims the history above must show, on whichever shadow. */
async function assertMeasuredClaims(host: ShadowHost): Promise<AuditReport> {
  const root = writeFolder(HISTORY);
  const report = await auditHistory({ host, folder: path.join(root, 'migrations'), displayPath: relativeTo(root) });
  assert.equal(report.outcome, 'succeeded', JSON.stringify(report.error ?? report.migrations));
  assert.deepEqual(report.migrations.map((m) => [m.file, m.dryRun, m.applied]), [
    ['migrations/001_orders.sql', 'succeeded', true], ['migrations/002_widen.sql', 'succeeded', true], ['migrations/003_staging.sql', 'succeeded', true],
  ]);
  // Confirmed: int → bigint rewrote orders, a table the earlier migration really filled.
  const widen = only(report, 'changing-column-type', 'migrations/002_widen.sql');
  assert.equal(widen.length, 1);
  assert.equal(widen[0]!.evidence, 'confirmed');
  assert.equal(widen[0]!.severity, 'error');
  assert.match(widen[0]!.message, /Confirmed by the run: rewrote (public\.)?orders/);
  // Contradicted: the static claim (a rewrite of a column whose type no file tells) is measured false and downgraded.
  const staging = only(report, 'changing-column-type', 'migrations/003_staging.sql');
  assert.equal(staging.length, 1, JSON.stringify(staging));
  assert.equal(staging[0]!.range.start.line, 1);
  assert.equal(staging[0]!.evidence, 'contradicted');
  assert.equal(staging[0]!.severity, 'info');
  assert.equal(staging[0]!.downgradedFrom, 'error');
  assert.match(staging[0]!.message, /did not rewrite (public\.)?staging/);
  // No false alarm: a varchar the files created, widened, is no finding at all.
  assert.equal(report.diagnostics.some((d) => d.ruleId === 'changing-column-type' && d.range.start.line === 2), false);
  const claims = report.claims.find((c) => c.ruleId === 'changing-column-type');
  assert.deepEqual(claims, { ruleId: 'changing-column-type', claim: 'rewrite', findings: 2, confirmed: 1, contradicted: 1, notMeasured: 0 });
  // The findings are `drydock check`'s on the folder, judged for the shadow's version.
  assert.deepEqual(report.diagnostics.map((d) => `${d.file}:${d.range.start.line}:${d.range.start.column} ${d.ruleId}`), await checkOfFolder(root, report.judgedFor));
  // Every statement of the history was measured in its migration's dry-run.
  assert.equal(report.statements.length, 7);
  assert.ok(report.statements.every((s) => s.status === 'ok'), JSON.stringify(report.statements.map((s) => s.status)));
  // The figures a README quotes: the statements on tables that existed before them measured (not
  // those of 001, whose tables it creates), the one contradiction a share of the measurable claims.
  const { summary } = report;
  assert.deepEqual([summary.migrations, summary.statements, summary.statementsMeasured, summary.findings], [3, 7, 3, report.diagnostics.length]);
  assert.equal(summary.contradicted, 1);
  assert.equal(summary.confirmed + summary.contradicted + summary.notMeasured, summary.measurableClaims);
  assert.ok(summary.measurableClaims >= 2 && summary.measurableClaims <= summary.findings, JSON.stringify(summary));
  assert.equal(summary.contradictedPercent, 100 / summary.measurableClaims);
  return report;
}

const pglite = new PgliteShadow({ cacheDir: null });
after(async () => { await pglite.close(); });

test('PGlite: each migration is dry-run on the state the migrations before it built; a rewrite claim is confirmed, another contradicted and downgraded', async () => {
  const report = await assertMeasuredClaims(pglite);
  assert.match(report.shadow, /^PGlite /);
});

test('PGlite: migrations are committed one by one as their tool does (an enum value added earlier is usable), a no-transaction CONCURRENTLY build really runs, and a later failure stops the audit at its line', async () => {
  const root = writeFolder({
    'migrations/001_mood.sql': "CREATE TYPE mood AS ENUM ('ok');\nCREATE TABLE people (id int PRIMARY KEY, mood mood NOT NULL);\n",
    'migrations/002_value.sql': "ALTER TYPE mood ADD VALUE 'happy';\n",
    'migrations/003_use.sql': "INSERT INTO people VALUES (1, 'happy');\n",
    'migrations/004_index.sql': '-- drydock:no-transaction\nCREATE INDEX CONCURRENTLY people_mood ON people (mood);\n',
    'migrations/005_broken.sql': 'SELECT 1;\nINSERT INTO people VALUES (1, \'ok\');\n',
    'migrations/006_after.sql': 'SELECT 2;\n',
  });
  const report = await auditHistory({ host: pglite, folder: path.join(root, 'migrations'), displayPath: relativeTo(root) });
  assert.equal(report.outcome, 'failed');
  assert.deepEqual(report.migrations.map((m) => [m.dryRun, m.applied]), [
    ['succeeded', true], ['succeeded', true], ['succeeded', true], ['succeeded', true], ['failed', false], ['cancelled', false],
  ]);
  assert.equal(report.migrations[3]!.noTransaction, true);
  assert.equal(report.migrations[4]!.dryRunError?.sqlstate, '23505');
  assert.equal(report.migrations[4]!.applyError?.sqlstate, '23505');
  assert.match(report.error?.message ?? '', /^earlier migration migrations\/005_broken\.sql:2 failed: /);
  assert.equal(report.verification.find((c) => c.name === 'people_mood')?.status, 'ok');
});

// A dry-run runs on the replay's session: what a rollback keeps (a PREPARE, a session advisory
// lock) must not reach the commit after it, and the runner's own lock (--shadow-setup) must hold for both.
const SESSION_HISTORY = {
  'migrations/001_prepare.sql': 'PREPARE one AS SELECT 1;\nCREATE TABLE t (a int);\n',
  'migrations/002_needs_lock.sql': "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND objid = 42) THEN RAISE EXCEPTION 'the runner holds no lock'; END IF; END $$;\n",
  'migrations/003_prepare_again.sql': 'DEALLOCATE one;\nPREPARE one AS SELECT 2;\n',
  'migrations/004_locks.sql': "DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND objid = 7) THEN RAISE EXCEPTION 'a dry-run left its lock'; END IF; END $$;\nSELECT pg_advisory_lock(7);\n",
};

test('PGlite: a dry-run runs on the replay\'s session with the runner\'s setup, and what it takes that a rollback keeps (PREPARE, an advisory lock) does not reach the commit', async () => {
  const root = writeFolder(SESSION_HISTORY);
  const report = await auditHistory({ host: pglite, folder: path.join(root, 'migrations'), displayPath: relativeTo(root), setup: ['SELECT pg_advisory_lock(42)'] });
  assert.equal(report.outcome, 'succeeded', JSON.stringify(report.migrations));
  assert.deepEqual(report.migrations.map((m) => [m.dryRun, m.applied]), [['succeeded', true], ['succeeded', true], ['succeeded', true], ['succeeded', true]]);
});

describeEachServer('audit on a scratch database', (server) => {
  test('the same claims are confirmed and contradicted; the scratch database is dropped and the cluster is as it was', async () => {
    const before = await clusterFingerprint(server().url('postgres'));
    const host = new ScratchDatabaseShadow({ server: { connectionString: server().url('postgres') } });
    const report = await assertMeasuredClaims(host);
    assert.match(report.shadow, /^shadow on /);
    assert.equal(report.judgedFor, server().major);
    const left = await sql<{ datname: string }>(server().url('postgres'), 'SELECT datname FROM pg_database WHERE starts_with(datname, $1)', [SCRATCH_PREFIX]);
    assert.deepEqual(left, []);
    const afterwards = await clusterFingerprint(server().url('postgres'));
    assert.equal(afterwards, before, fingerprintDiff(before, afterwards));
  });

  test('a dry-run runs on the replay\'s session with the runner\'s setup, and what it takes that a rollback keeps (PREPARE, an advisory lock) does not reach the commit', async () => {
    const root = writeFolder(SESSION_HISTORY);
    const host = new ScratchDatabaseShadow({ server: { connectionString: server().url('postgres') } });
    const report = await auditHistory({ host, folder: path.join(root, 'migrations'), displayPath: relativeTo(root), setup: ['SELECT pg_advisory_lock(42)'] });
    assert.equal(report.outcome, 'succeeded', JSON.stringify(report.migrations));
  });

  test('a shadow that cannot be made is a classified failure without a server, not a crash', async () => {
    const root = writeFolder(HISTORY);
    const host = new ScratchDatabaseShadow({ server: { connectionString: `postgresql://nobody@127.0.0.1:${server().port}/no_such_database` } });
    const report = await auditHistory({ host, folder: path.join(root, 'migrations'), displayPath: relativeTo(root) });
    assert.equal(report.outcome, 'failed');
    assert.equal(report.server, null);
    assert.match(report.error?.message ?? '', /^the shadow could not be prepared: /);
  });
});
