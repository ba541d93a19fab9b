// `drydock audit DIR`, the bundled CLI: the measured truth about a history in every format, with
// its exit codes (0 every migration dry-ran, applied and verified; 1 one did not; 2 usage or a
// shadow that cannot be made), on PGlite and on a scratch database of a real PostgreSQL.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { AuditReport } from '../../../src/core/model/auditReport';
import { runCli, type CliResult } from '../../support/cli';
import { startPostgres, type ThrowawayPostgres } from '../../support/throwawayPostgres';
import { writeFolder } from './folders';

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'drydock-cli-home-'));
let server: ThrowawayPostgres;
before(async () => { server = await startPostgres(); });
after(async () => {
  await server.stop();
  fs.rmSync(home, { recursive: true, force: true });
});

const drydock = (args: string[], cwd: string): Promise<CliResult> => runCli(args, { cwd, env: { HOME: home } });

// 002's rewrite claim holds; 003's varchar of a table built by SQL made at run time is not rewritten.
const HISTORY = {
  'db/migrations/001_orders.sql': `CREATE TABLE orders (id bigint PRIMARY KEY, amount int NOT NULL);
INSERT INTO orders SELECT g, g FROM generate_series(1, 100) g;
DO $$ BEGIN EXECUTE 'CREATE TABLE staging (code varchar(' || 10 || '))'; END $$;
`,
  'db/migrations/002_widen.sql': 'ALTER TABLE orders ALTER COLUMN amount TYPE bigint;\n',
  'db/migrations/003_staging.sql': 'ALTER TABLE staging ALTER COLUMN code TYPE varchar(20);\n',
};

test('text: the findings with what the run measured, the claims per rule, exit 0', async () => {
  const root = writeFolder(HISTORY);
  const result = await drydock(['audit', '--no-color', 'db/migrations'], root);
  assert.equal(result.code, 0, result.stdout + result.stderr);
  assert.match(result.stdout, /^drydock audit db\/migrations \(plain, 3 migration\(s\), PGlite 18\.\d+ \(shadow\); judged for PostgreSQL 18\)/);
  assert.match(result.stdout, /db\/migrations\/002_widen\.sql:1:1: error: .*Confirmed by the run: rewrote (public\.)?orders\. \[changing-column-type\]/);
  assert.match(result.stdout, /db\/migrations\/003_staging\.sql:1:1: info: .*did not rewrite (public\.)?staging .*Downgraded from error to info\. \[changing-column-type\]/);
  assert.match(result.stdout, /\n {2}changing-column-type +2 +1 +1 +0 {2}\(rewrite\)\n/);
  assert.match(result.stdout, /measurable claims: \d+; confirmed \d+, contradicted 1 \(/);
  assert.match(result.stdout, /\nSummary: 3 migration\(s\), 2 of 5 statement\(s\) measured, \d+ finding\(s\); measurable claims (\d+): confirmed \d+, contradicted 1 \([\d.]+ %\), not measured \d+\n/);
  assert.match(result.stdout, /succeeded: 3 of 3 migration\(s\) dry-run, 3 applied as plain applies them, nothing kept/);
});

test('json, sarif and github carry the same findings, evidence and claims', async () => {
  const root = writeFolder(HISTORY);
  const json = await drydock(['audit', '--json', 'db/migrations'], root);
  assert.equal(json.code, 0, json.stderr);
  const report = JSON.parse(json.stdout) as AuditReport;
  assert.equal(report.auditVersion, 1);
  assert.deepEqual(report.diagnostics.filter((d) => d.ruleId === 'changing-column-type').map((d) => [d.file, d.evidence, d.severity]),
    [['db/migrations/002_widen.sql', 'confirmed', 'error'], ['db/migrations/003_staging.sql', 'contradicted', 'info']]);
  const sarif = await drydock(['audit', '--format', 'sarif', 'db/migrations'], root);
  assert.equal(sarif.code, 0, sarif.stderr);
  const log = JSON.parse(sarif.stdout) as { runs: { results: { ruleId: string; properties?: { evidence?: string } }[]; properties: { audit: { claims: AuditReport['claims']; summary: AuditReport['summary'] } } }[] };
  assert.deepEqual(log.runs[0]!.results.filter((r) => r.ruleId === 'changing-column-type').map((r) => r.properties?.evidence), ['confirmed', 'contradicted']);
  assert.deepEqual(log.runs[0]!.properties.audit.claims, report.claims);
  assert.deepEqual(log.runs[0]!.properties.audit.summary, report.summary);
  assert.equal(report.summary.contradicted, 1);
  const github = await drydock(['audit', '--format', 'github', 'db/migrations'], root);
  assert.equal(github.code, 0, github.stderr);
  assert.match(github.stdout, /^::error file=db\/migrations\/002_widen\.sql,line=1,.*Confirmed by the run/m);
  assert.match(github.stdout, /^::notice file=db\/migrations\/003_staging\.sql,line=1,.*did not rewrite/m);
  assert.match(github.stdout, /^::stop-commands::drydock-[0-9a-f]{32}$/m);
});

test('a migration its tool cannot apply: exit 1, the failure at its line, the later migrations not reached', async () => {
  const root = writeFolder({
    'db/migrations/001_t.sql': 'CREATE TABLE t (id int PRIMARY KEY);\nINSERT INTO t VALUES (1);\n',
    'db/migrations/002_dup.sql': 'INSERT INTO t VALUES (1);\n',
    'db/migrations/003_after.sql': 'SELECT 1;\n',
  });
  const result = await drydock(['audit', '--no-color', 'db/migrations'], root);
  assert.equal(result.code, 1, result.stdout + result.stderr);
  assert.match(result.stdout, /not applied db\/migrations\/002_dup\.sql: Data conflict: Unique violation \(SQLSTATE 23505\)/);
  assert.match(result.stdout, /not reached db\/migrations\/003_after\.sql/);
  assert.match(result.stdout, /failed: 1 of 3 migration\(s\) dry-run, 1 applied/);
});

test('on a scratch database (--shadow-db): the same measured claims; a server that cannot be reached is exit 2 without a stack trace', async () => {
  const root = writeFolder(HISTORY);
  const result = await drydock(['audit', '--json', '--shadow-db', server.url('postgres'), 'db/migrations'], root);
  assert.equal(result.code, 0, result.stdout + result.stderr);
  const report = JSON.parse(result.stdout) as AuditReport;
  assert.match(report.shadow, /^shadow on 127\.0\.0\.1:/);
  assert.deepEqual(report.claims.find((c) => c.ruleId === 'changing-column-type'), { ruleId: 'changing-column-type', claim: 'rewrite', findings: 2, confirmed: 1, contradicted: 1, notMeasured: 0 });
  assert.equal(result.stdout.includes(server.password), false);
  const unreachable = await drydock(['audit', '--shadow-db', 'postgresql://nobody:secret-pw@127.0.0.1:1/x', 'db/migrations'], root);
  assert.equal(unreachable.code, 2, unreachable.stdout + unreachable.stderr);
  assert.match(unreachable.stdout, /the shadow could not be prepared/);
  assert.doesNotMatch(unreachable.stdout + unreachable.stderr, /secret-pw|\n\s+at /);
});

test('usage: audit takes exactly one folder', async () => {
  const root = writeFolder(HISTORY);
  for (const args of [['audit'], ['audit', 'db/migrations', 'db'], ['audit', 'db/migrations/001_orders.sql']]) {
    const result = await drydock(args, root);
    assert.equal(result.code, 2, `${args.join(' ')}: ${result.stdout}${result.stderr}`);
    assert.match(result.stderr, /audit needs/);
  }
});
