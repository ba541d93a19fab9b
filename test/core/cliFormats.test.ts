// The CLI's rule listing and output formats: `drydock rules`, and `--format json|sarif|github`
// for check and the run commands. SARIF is validated against the SARIF 2.1.0 schema.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import Ajv from 'ajv-draft-04';
import { RULES } from '../../src/core/rules/registry';
import { describeEachServer, exampleMigrations, repoRoot, seededDatabase, sql } from '../support/database';
import { runCli, type CliResult } from '../support/cli';

const metaCommand = 'test/fixtures/meta-command.sql';

const drydock = (args: string[], env: Record<string, string> = {}): Promise<CliResult> => runCli(args, { env });

const schema = JSON.parse(fs.readFileSync(path.join(repoRoot, 'test', 'fixtures', 'sarif', 'sarif-schema-2.1.0.json'), 'utf8')) as object;
const validateSarif = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false }).compile(schema);

function assertValidSarif(log: unknown): void {
  assert.equal(validateSarif(log), true, JSON.stringify(validateSarif.errors, null, 2));
}

interface SarifResult { ruleId: string; ruleIndex?: number; level: string; message: { text: string }; locations: { physicalLocation: { artifactLocation: { uri: string }; region: Record<string, number> } }[] }
interface SarifLog { version: string; runs: { tool: { driver: { name: string; rules: { id: string; helpUri?: string }[] } }; results: SarifResult[] }[] }

test('rules --json lists every rule of the registry with its severity, summary and an existing docs page', async () => {
  const result = await drydock(['rules', '--json']);
  assert.equal(result.code, 0, result.stderr);
  const listed = JSON.parse(result.stdout) as { id: string; severity: string; summary: string; docs: string }[];
  assert.deepEqual(listed.map((r) => r.id), RULES.map((r) => r.id));
  for (const rule of listed) {
    assert.ok(fs.existsSync(path.join(repoRoot, rule.docs)), `${rule.docs} does not exist`);
    assert.equal(rule.severity, RULES.find((r) => r.id === rule.id)!.defaultSeverity);
  }
  const text = await drydock(['rules']);
  assert.match(text.stdout, /^psql-meta-command +error +A psql meta-command/m);
});

test('check --format sarif on a file with a psql meta-command is a valid SARIF 2.1.0 log locating it', async () => {
  const result = await drydock(['check', '--format', 'sarif', metaCommand]);
  assert.equal(result.code, 1, 'an error finding (not a parse error) exits 1');
  const log = JSON.parse(result.stdout) as SarifLog;
  assertValidSarif(log);
  assert.equal(log.version, '2.1.0');
  const [run] = log.runs;
  assert.equal(run!.tool.driver.name, 'drydock');
  assert.deepEqual(run!.tool.driver.rules.map((r) => r.id), RULES.map((r) => r.id));
  const [first] = run!.results;
  assert.equal(first!.ruleId, 'psql-meta-command');
  assert.equal(run!.tool.driver.rules[first!.ruleIndex!]!.id, 'psql-meta-command');
  assert.equal(first!.level, 'error');
  assert.equal(first!.locations[0]!.physicalLocation.artifactLocation.uri, metaCommand);
  assert.deepEqual(first!.locations[0]!.physicalLocation.region, { startLine: 1, startColumn: 1, endLine: 1, endColumn: fs.readFileSync(path.join(repoRoot, metaCommand), 'utf8').split('\n')[0]!.length + 1 });
});

test('the schema check can fail: a log without its version is refused', () => {
  assert.equal(validateSarif({ runs: [] }), false);
});

test('check --format github prints workflow annotations; --json equals --format json; contradicting formats are a usage error', async () => {
  const github = await drydock(['check', '--format', 'github', metaCommand]);
  assert.match(github.stdout, /^::error file=test\/fixtures\/meta-command\.sql,line=1,endLine=1,col=1,endColumn=\d+,title=drydock psql-meta-command::Write the SQL this stands for: it is a psql meta-command, not SQL/m);
  assert.match(github.stdout, /statements in 1 file\(s\), \d+ error\(s\)$/m);
  const json = await drydock(['check', '--json', metaCommand]);
  const format = await drydock(['check', '--format', 'json', metaCommand]);
  assert.equal(json.stdout, format.stdout);
  assert.equal(JSON.parse(json.stdout).diagnostics[0].ruleId, 'psql-meta-command');
  const both = await drydock(['check', '--json', '--format', 'sarif', metaCommand]);
  assert.equal(both.code, 2);
  assert.match(both.stderr, /--json and --format sarif contradict each other/);
  const unknown = await drydock(['check', '--format', 'xml', metaCommand]);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /--format must be one of text, json, sarif, github/);
});

describeEachServer('run formats', (server) => {
  test('dry-run --format sarif of a failing migration is valid SARIF with the failure at its line; github annotates it', async () => {
    const dirty = server().url(await seededDatabase(server()));
    await sql(dirty, "INSERT INTO lessons (title, difficulty_level) VALUES ('too hard', 9)");
    const files = exampleMigrations().map((f) => f.path);
    const result = await drydock(['dry-run', '--format', 'sarif', ...files], { DATABASE_URL: dirty });
    assert.equal(result.code, 1, result.stderr);
    const log = JSON.parse(result.stdout) as SarifLog;
    assertValidSarif(log);
    const failure = log.runs[0]!.results.find((r) => r.ruleId === 'run-failure')!;
    assert.match(failure.message.text, /Data conflict: Check violation \(SQLSTATE 23514\)/);
    assert.equal(failure.locations[0]!.physicalLocation.artifactLocation.uri, 'examples/seed-app/migrations/003_add_check_constraints.sql');
    assert.equal(failure.locations[0]!.physicalLocation.region.startLine, 29);
    assert.doesNotMatch(result.stdout, new RegExp(server().password));
    const github = await drydock(['dry-run', '--format', 'github', ...files], { DATABASE_URL: dirty });
    assert.match(github.stdout, /^::error file=examples\/seed-app\/migrations\/003_add_check_constraints\.sql,line=29,.*::Data conflict: Check violation/m);
  });
});
