// The PGlite shadow in a worker thread, on real PGlite: the same report as the in-thread shadow; an
// endless DO loop stopped by a cancel and by statement_timeout at that statement, a worker that dies
// mid-run reported as a failed run, and after each the next run on the same host works on the
// history's state (not the ended run's); two hosts in one process share a snapshot folder; and the
// calling thread keeps running its timers while the worker loops.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import type { RunReport } from '../../../src/core/model/report';
import type { RunProgress } from '../../../src/core/run/statementLoop';
import { PgliteShadow } from '../../../src/core/shadow/pgliteShadow';
import { runShadowDryRun, type ShadowTarget } from '../../../src/core/shadow/shadowRun';
import { WorkerShadow, _private } from '../../../src/core/shadow/worker/workerShadow';
import { relativeTo, target, writeFolder } from './folders';

// Safety nets only: a run that hangs fails the test instead of the suite.
const SAFETY = { timeout: 180_000 };

const cacheDirs: string[] = [];
const hosts: { close(): Promise<void> }[] = [];
after(async () => {
  for (const host of hosts) await host.close();
  for (const dir of cacheDirs) fs.rmSync(dir, { recursive: true, force: true });
});

function newCacheDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drydock-worker-cache-'));
  cacheDirs.push(dir);
  return dir;
}

function workerHost(cacheDir: string | null): WorkerShadow {
  const host = new WorkerShadow({ cacheDir });
  hosts.push(host);
  return host;
}

const ENDLESS = 'CREATE TABLE during_run (id int);\nDO $$ BEGIN LOOP END LOOP; END $$;\n';
// Works only on the history's state: accounts exists (the history made it) and during_run does not
// (the ended run made it in a transaction that never finished).
const AFTER = 'CREATE TABLE during_run (id int);\nINSERT INTO accounts (id) VALUES (1);\n';

/** A folder with one earlier migration; the target 002 is given its text per run. */
function historyFolder(): { root: string; as: (text: string) => ShadowTarget } {
  const root = writeFolder({
    'migrations/001_accounts.sql': 'CREATE TABLE accounts (id int PRIMARY KEY);\n',
    'migrations/002_target.sql': AFTER,
  });
  return { root, as: (text) => ({ ...target(root, 'migrations/002_target.sql'), text }) };
}

/** Calls `then` once the run says it is about to run statement `index` of the target. */
const onStatement = (index: number, then: () => void) => (p: RunProgress) => {
  if (p.statementIndex === index) then();
};

/** The report with every duration and measured time zeroed, and what only the host decides left out. */
function comparable(report: RunReport): unknown {
  return JSON.parse(JSON.stringify(report, (key, value: unknown) => {
    if (typeof value === 'number' && key.endsWith('Ms')) return 0;
    if (key === 'lacks') return undefined;
    return value;
  }));
}

function assertNextRunWorks(report: RunReport): void {
  assert.equal(report.outcome, 'succeeded', JSON.stringify(report.error));
  assert.deepEqual(report.statements.map((s) => s.status), ['ok', 'ok']);
  assert.equal(report.shadow?.history, 1);
}

describe('PGlite shadow in a worker thread', () => {
  test('a dry-run through the worker gives the in-thread shadow\'s report (durations aside), and says it can cancel and time out', SAFETY, async () => {
    const root = writeFolder({
      'migrations/001_accounts.sql': 'CREATE TABLE accounts (id int PRIMARY KEY, email text);\nINSERT INTO accounts VALUES (1, \'a@example.com\');\n',
      'migrations/002_mood.sql': "CREATE TYPE mood AS ENUM ('ok');\nALTER TABLE accounts ADD COLUMN mood mood;\n",
      // As a target it fails; as history (before 004) the replay fails on it.
      'migrations/003_email_again.sql': 'ALTER TABLE accounts ADD COLUMN email text;\n',
      'migrations/004_target.sql': "ALTER TYPE mood ADD VALUE 'happy';\nCREATE INDEX accounts_email ON accounts (email);\nALTER TABLE accounts ADD CONSTRAINT one CHECK (id = 2);\n",
    });
    const inThread = new PgliteShadow({ cacheDir: null });
    hosts.push(inThread);
    const worker = workerHost(null);
    const now = () => new Date('2024-01-01T00:00:00Z');
    const outcomes: string[] = [];
    for (const file of ['migrations/002_mood.sql', 'migrations/003_email_again.sql', 'migrations/004_target.sql']) {
      const options = { displayPath: relativeTo(root), now, settings: { statementTimeoutMs: '2min' } };
      const expected = await runShadowDryRun([target(root, file)], { ...options, host: inThread });
      const actual = await runShadowDryRun([target(root, file)], { ...options, host: worker });
      assert.deepEqual(comparable(actual), comparable(expected), file);
      outcomes.push(`${actual.outcome} ${actual.error?.sqlstate ?? ''}${actual.historyFailure ? ` history ${actual.historyFailure.error.sqlstate}` : ''}`);
      assert.deepEqual(actual.shadow?.lacks, ['concurrentSessions']);
      assert.deepEqual(expected.shadow?.lacks, ['cancel', 'concurrentSessions', 'timeouts']);
    }
    // 004 runs on the state before 003 (its CHECK fails on the row 001 wrote), 003's failure the history's.
    assert.deepEqual(outcomes, ['succeeded ', 'failed 42701', 'failed 23514 history 42701'], 'a success, a target\'s failure, an earlier migration\'s failure beside the target\'s own');
    fs.rmSync(root, { recursive: true, force: true });
  });

  test('an endless DO loop is cancelled by the AbortSignal at that statement; the next run sees the history, not the cancelled run', SAFETY, async () => {
    const { root, as } = historyFolder();
    const host = workerHost(newCacheDir());
    const abort = new AbortController();
    const cancelled = await runShadowDryRun([as(ENDLESS)], { host, displayPath: relativeTo(root), signal: abort.signal, onProgress: onStatement(1, () => abort.abort()) });
    assert.equal(cancelled.outcome, 'cancelled');
    assert.equal(cancelled.error?.sqlstate, '57014');
    assert.match(cancelled.error?.message ?? '', /canceling statement due to user request/);
    assert.equal(cancelled.error?.file, 'migrations/002_target.sql');
    assert.equal(cancelled.error?.position?.line, 2);
    assert.deepEqual(cancelled.statements.map((s) => s.status), ['ok', 'failed']);
    assert.equal(cancelled.statements[1]?.kind, 'DO');
    assert.equal(cancelled.shadow?.history, 1);
    const next = await runShadowDryRun([as(AFTER)], { host, displayPath: relativeTo(root) });
    assertNextRunWorks(next);
    // The history's snapshot, taken before the loop started, was written by this thread though its worker was ended.
    assert.equal(next.shadow?.restored, 1);
    // The new worker was handed the ended one's compiled PGlite instead of compiling it again.
    assert.equal(host.compiledByWorkers, 1);
    fs.rmSync(root, { recursive: true, force: true });
  });

  test('an endless DO loop is stopped at statement_timeout as a classified 57014 at its line; the next run works', SAFETY, async () => {
    const { root, as } = historyFolder();
    const host = workerHost(null);
    // Generous: only the loop must outlive it.
    const settings = { statementTimeoutMs: '5s' };
    const timedOut = await runShadowDryRun([as(ENDLESS)], { host, displayPath: relativeTo(root), settings });
    assert.equal(timedOut.outcome, 'failed');
    assert.equal(timedOut.error?.sqlstate, '57014');
    assert.equal(timedOut.error?.category, 'operational');
    assert.match(timedOut.error?.message ?? '', /canceling statement due to statement timeout/);
    assert.match(timedOut.error?.detail ?? '', /statement_timeout \(5000 ms\)/);
    assert.deepEqual([timedOut.error?.file, timedOut.error?.position?.line], ['migrations/002_target.sql', 2]);
    assert.deepEqual(timedOut.statements.map((s) => s.status), ['ok', 'failed']);
    assert.equal(timedOut.statements[1]?.error?.sqlstate, '57014');
    assertNextRunWorks(await runShadowDryRun([as(AFTER)], { host, displayPath: relativeTo(root), settings }));
    fs.rmSync(root, { recursive: true, force: true });
  });

  test('an endless earlier migration is stopped at statement_timeout and reported as that migration\'s', SAFETY, async () => {
    const root = writeFolder({
      'migrations/001_accounts.sql': 'CREATE TABLE accounts (id int PRIMARY KEY);\n',
      'migrations/002_endless.sql': 'DO $$ BEGIN LOOP END LOOP; END $$;\n',
      'migrations/003_target.sql': 'SELECT 1;\n',
    });
    const report = await runShadowDryRun([target(root, 'migrations/003_target.sql')], { host: workerHost(null), displayPath: relativeTo(root), settings: { statementTimeoutMs: '5s' } });
    assert.equal(report.outcome, 'failed');
    assert.equal(report.error?.sqlstate, '57014');
    assert.equal(report.error?.file, 'migrations/002_endless.sql');
    assert.match(report.error?.message ?? '', /^earlier migration migrations\/002_endless\.sql: canceling statement due to statement timeout/);
    assert.deepEqual(report.statements.map((s) => s.note), ['not run: an earlier migration failed in the shadow']);
    fs.rmSync(root, { recursive: true, force: true });
  });

  test('a worker that dies mid-run gives a failed run with a clear message, and the next run starts a new worker', SAFETY, async () => {
    const { root, as } = historyFolder();
    const host = workerHost(newCacheDir());
    const crashed = await runShadowDryRun([as(ENDLESS)], {
      host, displayPath: relativeTo(root),
      onProgress: onStatement(1, () => void _private.workerOf(host)!.terminate()),
    });
    assert.equal(crashed.outcome, 'failed');
    assert.equal(crashed.error?.sqlstate, '58000');
    assert.match(crashed.error?.message ?? '', /^the PGlite shadow's worker stopped: it exited with code 1/);
    assert.equal(crashed.error?.file, 'migrations/002_target.sql');
    assert.equal(host.running, false);
    assertNextRunWorks(await runShadowDryRun([as(AFTER)], { host, displayPath: relativeTo(root) }));
    assert.equal(host.running, true);
    await host.close();
    assert.equal(host.running, false);
    fs.rmSync(root, { recursive: true, force: true });
  });

  test('the calling thread keeps running its timers while the worker loops: the cancel comes from a timer tick', SAFETY, async () => {
    const { root, as } = historyFolder();
    const host = workerHost(null);
    const abort = new AbortController();
    let ticksWhileLooping = 0;
    let looping = false;
    const ticker = setInterval(() => {
      if (!looping) return;
      ticksWhileLooping += 1;
      if (ticksWhileLooping < 5) return;
      // Counted no further: the worker is being ended from here on.
      looping = false;
      abort.abort();
    }, 20);
    try {
      const report = await runShadowDryRun([as(ENDLESS)], { host, displayPath: relativeTo(root), signal: abort.signal, onProgress: onStatement(1, () => { looping = true; }) });
      assert.equal(report.outcome, 'cancelled');
      assert.equal(ticksWhileLooping, 5);
    } finally {
      clearInterval(ticker);
    }
    fs.rmSync(root, { recursive: true, force: true });
  });

  test('two hosts in one process share a snapshot folder: both runs succeed at once, no half-written file is left, and a third run restores', SAFETY, async () => {
    const root = writeFolder({
      'migrations/001_accounts.sql': 'CREATE TABLE accounts (id int PRIMARY KEY);\n',
      'migrations/002_email.sql': 'ALTER TABLE accounts ADD COLUMN email text;\n',
      'migrations/003_target.sql': 'CREATE INDEX accounts_email ON accounts (email);\n',
    });
    const cacheDir = newCacheDir();
    const [a, b] = [workerHost(cacheDir), workerHost(cacheDir)];
    const run = (host: WorkerShadow) => runShadowDryRun([target(root, 'migrations/003_target.sql')], { host, displayPath: relativeTo(root) });
    const reports = await Promise.all([run(a), run(b)]);
    for (const report of reports) assert.equal(report.outcome, 'succeeded', JSON.stringify(report.error));
    await Promise.all([a.close(), b.close()]);
    assert.deepEqual(fs.readdirSync(cacheDir).filter((f) => f.endsWith('.partial')), []);
    const third = await run(a);
    assert.equal(third.outcome, 'succeeded');
    assert.equal(third.shadow?.restored, 2);
    fs.rmSync(root, { recursive: true, force: true });
  });
});
