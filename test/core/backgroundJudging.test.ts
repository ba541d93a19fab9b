// A run judges every rule in the background while its statements wait for the server, and its plan
// checks only the runnability rules (which analyse nothing). Both must give exactly what a plain
// check of the same files gives, whatever the run's outcome.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pgBackend } from '../../src/core/db/pg/pgBackend';
import { DEFAULT_LINT_SETTINGS } from '../../src/core/model/lintSettings';
import { RUN_MODES } from '../../src/core/model/runModes';
import type { Finding } from '../../src/core/model/findings';
import { loadParser, parseMigrationSync } from '../../src/core/parse/parseMigration';
import { checkFiles, RUNNABILITY_RULES } from '../../src/core/rules/checkMigration';
import { inBackground } from '../../src/core/run/background';
import { runMigrations, type MigrationFile } from '../../src/core/run/runner';
import { describeEachServer, exampleMigrations, seededDatabase } from '../support/database';

/** Steps that each keep the thread busy for `ms`. */
function* busySteps(count: number, ms: number, trace: string[]): Generator<void, number, void> {
  for (let i = 0; i < count; i++) {
    yield;
    const until = performance.now() + ms;
    while (performance.now() < until) { /* busy */ }
    trace.push('step');
  }
  return count;
}

test('background work: every step runs, the result is handed over, I/O callbacks run between slices', async () => {
  const trace: string[] = [];
  let result = 0;
  const work = inBackground(busySteps(40, 0.1, trace), (n) => { result = n; });
  // Queued after the work started: it must not wait for all 40 steps (4 ms) to finish.
  setImmediate(() => trace.push('io'));
  await work.done();
  assert.equal(result, 40);
  assert.equal(trace.filter((t) => t === 'step').length, 40);
  const io = trace.indexOf('io');
  assert.ok(io > 0 && io < trace.length - 1, `the callback ran at ${io} of ${trace.length}`);
});

test('background work: an error waits for done(), never an unhandled rejection', async () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  try {
    function* failing(): Generator<void, void, void> {
      yield;
      throw new Error('rule crashed');
    }
    const work = inBackground(failing(), () => assert.fail('no result after an error'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    await assert.rejects(work.done(), /rule crashed/);
    assert.deepEqual(unhandled, []);
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
});

test('background work: stop() takes no further step and hands over nothing', async () => {
  const trace: string[] = [];
  let finished = false;
  const work = inBackground(busySteps(10_000, 0.05, trace), () => { finished = true; });
  await new Promise((resolve) => setImmediate(resolve));
  work.stop();
  await work.done();
  const steps = trace.length;
  await new Promise((resolve) => setTimeout(resolve, 10));
  assert.equal(trace.length, steps);
  assert.ok(steps < 10_000);
  assert.equal(finished, false);
});

test('a runnability-only check analyses on demand, and gives the same analysis as a full check', async () => {
  await loadParser();
  const parsed = exampleMigrations().map((f) => parseMigrationSync(f.path, f.text));
  const plan = checkFiles(parsed, { rules: RUNNABILITY_RULES });
  const full = checkFiles(parsed);
  assert.deepEqual(plan.map((f) => f.analysis.statements.map((s) => [s.order, s.sql, s.effects])),
    full.map((f) => f.analysis.statements.map((s) => [s.order, s.sql, s.effects])));
  assert.deepEqual(plan.map((f) => f.runnable), full.map((f) => f.runnable));
});

test('a runnability-only check analyses nothing until asked, and a copy of a checked file carries its analysis', async () => {
  await loadParser();
  const parsed = exampleMigrations().map((f) => parseMigrationSync(f.path, f.text));
  let analysed = 0;
  const counting = (file: string) => { analysed += 1; return { ...DEFAULT_LINT_SETTINGS, file }; };
  const plan = checkFiles(parsed, { rules: RUNNABILITY_RULES, settings: (f) => counting(f.file) });
  // One settings lookup per file, for the plan's rules: no analysis ran.
  assert.equal(analysed, parsed.length);
  const copy = { ...plan[0]! };
  assert.equal(analysed, 2 * parsed.length, 'a copy of a checked file asks for its analysis, made then for every file');
  assert.ok(copy.analysis.statements.length > 0);
});

// Findings on several files, an ignore comment and a version-dependent rule (a volatile default).
const FOLDER: MigrationFile[] = [
  { path: '001_orders.sql', text: 'CREATE TABLE judged_orders (id int PRIMARY KEY, note varchar(20));\n' },
  { path: '002_index.sql', text: 'CREATE INDEX idx_judged_orders_note ON judged_orders (note);\n-- drydock-ignore prefer-text-field: legacy\nALTER TABLE judged_orders ADD COLUMN code varchar(5);\n' },
  { path: '003_default.sql', text: 'ALTER TABLE lessons ADD COLUMN judged_at timestamptz DEFAULT clock_timestamp();\nALTER TABLE lessons ADD COLUMN judged_flag boolean NOT NULL DEFAULT false;\n' },
];

/**
 * The run's findings are the check's, each as judged; after the run, evidence may add a sentence to
 * the message and downgrade a contradicted finding to info (run/evidence.ts), nothing else.
 */
function assertSameFindings(actual: readonly Finding[], expected: readonly Finding[]): void {
  const place = (f: Finding) => ({ ruleId: f.ruleId, file: f.file, range: f.range, offsets: f.offsets, help: f.help, fix: f.fix });
  assert.deepEqual(actual.map(place), expected.map(place));
  actual.forEach((finding, i) => {
    const judged = expected[i]!;
    assert.ok(finding.message.startsWith(judged.message), finding.message);
    assert.ok(finding.severity === judged.severity || (finding.evidence !== undefined && finding.severity === 'info'), `${finding.ruleId}: ${finding.severity}`);
    if (finding.evidence === undefined) assert.equal(finding.message, judged.message);
  });
}

describeEachServer('background judging', (server) => {
  const expected = (files: MigrationFile[], major: number) => {
    const parsed = files.map((f) => parseMigrationSync(f.path, f.text));
    const settings = { ...DEFAULT_LINT_SETTINGS, pgVersion: major, pgVersionAssumed: false };
    return checkFiles(parsed, { mode: RUN_MODES['dry-run'], settings }).flatMap((f) => f.diagnostics);
  };

  test('a dry-run reports exactly the findings a check of the same files gives for the server\'s version', async () => {
    const url = server().url(await seededDatabase(server()));
    const report = await runMigrations(FOLDER, { mode: 'dry-run', backend: pgBackend({ connectionString: url }) });
    assert.equal(report.outcome, 'succeeded', JSON.stringify(report.error));
    assert.ok(report.diagnostics.length >= 3, JSON.stringify(report.diagnostics.map((d) => d.ruleId)));
    assertSameFindings(report.diagnostics, expected(FOLDER, server().major));
    assert.ok(!report.diagnostics.some((d) => d.ruleId === 'prefer-text-field' && d.range.start.line === 3 && d.file === '002_index.sql'));
  });

  test('a run that fails half-way still reports every finding of every file', async () => {
    const url = server().url(await seededDatabase(server()));
    const failing = [FOLDER[0]!, { path: '002_broken.sql', text: 'ALTER TABLE no_such_table ADD COLUMN x int;\n' }, FOLDER[2]!];
    const report = await runMigrations(failing, { mode: 'dry-run', backend: pgBackend({ connectionString: url }) });
    assert.equal(report.outcome, 'failed');
    assertSameFindings(report.diagnostics, expected(failing, server().major));
    assert.ok(report.diagnostics.some((d) => d.file === '003_default.sql'));
  });
});
