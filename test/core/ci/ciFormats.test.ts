// The CI formats: GitLab Code Quality JSON and JUnit XML for check and the run commands, SARIF's
// helpUri on every rule and partialFingerprints on every result. JUnit is read back by a real XML
// parser (xml2js, strict), SARIF is validated against the SARIF 2.1.0 schema, GitLab's issues are
// held to the fields GitLab documents. Fingerprints: properties over the real rules' findings.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import Ajv from 'ajv-draft-04';
import fc from 'fast-check';
import { parseStringPromise } from 'xml2js';
import { loadParser, parseMigrationSync } from '../../../src/core/parse/parseMigration';
import { checkFiles } from '../../../src/core/rules/checkMigration';
import { findingFingerprints } from '../../../src/core/output/fingerprints';
import { findingsToGitlab } from '../../../src/core/output/gitlab';
import { RULES } from '../../../src/core/rules/registry';
import { repoRoot } from '../../support/database';
import { runCli } from '../../support/cli';

const schema = JSON.parse(fs.readFileSync(path.join(repoRoot, 'test', 'fixtures', 'sarif', 'sarif-schema-2.1.0.json'), 'utf8')) as object;
const validateSarif = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false }).compile(schema);

const RISKY = [
  'CREATE INDEX idx_users_email ON users (email);',
  'ALTER TABLE users ADD COLUMN age int NOT NULL;',
  'ALTER TABLE users ALTER COLUMN email TYPE varchar(100);',
  'DROP TABLE old_things;',
].join('\n');

let dir = '';
before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drydock-ci-formats-'));
  fs.mkdirSync(path.join(dir, 'migrations'));
  fs.writeFileSync(path.join(dir, 'migrations', '001_users.sql'), 'CREATE TABLE users (id bigint PRIMARY KEY, email text);\nCREATE TABLE old_things (id bigint);\n');
  fs.writeFileSync(path.join(dir, 'migrations', '002_risky.sql'), `${RISKY}\n${RISKY.split('\n')[0]}\n`);
  await loadParser();
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

interface GitlabIssue { description: string; check_name: string; fingerprint: string; severity: string; location: { path: string; lines: { begin: number } } }

function assertGitlabShape(issues: unknown): asserts issues is GitlabIssue[] {
  assert.ok(Array.isArray(issues));
  for (const issue of issues as GitlabIssue[]) {
    assert.equal(typeof issue.description, 'string');
    assert.ok(issue.description.length > 0);
    assert.equal(typeof issue.check_name, 'string');
    assert.match(issue.fingerprint, /^[0-9a-f]{32}$/);
    assert.ok(['info', 'minor', 'major', 'critical', 'blocker'].includes(issue.severity), issue.severity);
    assert.equal(typeof issue.location.path, 'string');
    assert.ok(!path.isAbsolute(issue.location.path), `${issue.location.path} is relative to the repository`);
    assert.ok(Number.isInteger(issue.location.lines.begin) && issue.location.lines.begin >= 1);
  }
  const fingerprints = (issues as GitlabIssue[]).map((i) => i.fingerprint);
  assert.equal(new Set(fingerprints).size, fingerprints.length, 'GitLab needs each fingerprint once');
}

test('check --format gitlab: GitLab Code Quality issues, paths relative to the repository, errors major, exit code as text', async () => {
  const result = await runCli(['check', '--format', 'gitlab', 'migrations'], { cwd: dir });
  assert.equal(result.code, 1, result.stderr);
  const issues = JSON.parse(result.stdout) as unknown;
  assertGitlabShape(issues);
  const index = issues.filter((i) => i.check_name === 'require-concurrent-index-creation');
  assert.deepEqual(index.map((i) => [i.location.path, i.location.lines.begin, i.severity]), [['migrations/002_risky.sql', 1, 'major'], ['migrations/002_risky.sql', 5, 'major']]);
  assert.notEqual(index[0]!.fingerprint, index[1]!.fingerprint, 'two identical statements are two findings');
  // Absolute paths under the current directory are written relative to it too.
  const absolute = await runCli(['check', '--format', 'gitlab', path.join(dir, 'migrations')], { cwd: dir });
  assert.deepEqual(JSON.parse(absolute.stdout), issues);
});

test('check --format gitlab on a clean file is an empty array; the migration\'s clean file exits 0', async () => {
  const result = await runCli(['check', '--format', 'gitlab', 'migrations/001_users.sql'], { cwd: dir });
  assert.equal(result.code, 0, result.stderr);
  assertGitlabShape(JSON.parse(result.stdout));
  assert.ok((JSON.parse(result.stdout) as GitlabIssue[]).every((i) => i.severity !== 'major'));
});

interface JunitCase { $: { classname: string; name: string; file: string; line?: string }; failure?: { _: string; $: { message: string; type: string } }[]; 'system-out'?: string[] }
interface JunitSuite { $: { name: string; tests: string; failures: string }; testcase: JunitCase[] }
interface Junit { testsuites: { $: { tests: string; failures: string }; testsuite: JunitSuite[] } }

test('check --format junit: a testsuite per file, a testcase per rule that reported, failures for errors, read back by an XML parser', async () => {
  const result = await runCli(['check', '--format', 'junit', 'migrations'], { cwd: dir });
  assert.equal(result.code, 1, result.stderr);
  const xml = (await parseStringPromise(result.stdout, { strict: true })) as Junit;
  const suites = xml.testsuites.testsuite;
  assert.deepEqual(suites.map((s) => s.$.name), ['migrations/001_users.sql', 'migrations/002_risky.sql']);
  const [clean, risky] = suites;
  // A file with nothing to say is one passing testcase, so every file checked is listed.
  assert.equal(clean!.testcase.length, 1);
  assert.equal(clean!.testcase[0]!.failure, undefined);
  const index = risky!.testcase.find((c) => c.$.name === 'require-concurrent-index-creation')!;
  assert.equal(index.$.classname, 'migrations/002_risky.sql');
  assert.equal(index.$.line, '1');
  assert.match(index.failure![0]!.$.message, /^2 errors; first: Use CREATE INDEX CONCURRENTLY/);
  assert.match(index.failure![0]!._, /002_risky\.sql:5:1 error/);
  // A warning is not a failure: it is listed in the testcase's output.
  const warned = risky!.testcase.find((c) => c.$.name === 'prefer-bigint-over-int')!;
  assert.equal(warned.failure, undefined);
  assert.match(warned['system-out']![0]!, /002_risky\.sql:2:\d+ warning/);
  const failures = risky!.testcase.filter((c) => c.failure).length;
  assert.equal(Number(risky!.$.failures), failures);
  assert.equal(Number(xml.testsuites.$.failures), failures);
  assert.equal(Number(xml.testsuites.$.tests), clean!.testcase.length + risky!.testcase.length);
});

test('junit: markup in names is escaped and characters XML cannot hold are removed, so the document still parses', async () => {
  const nasty = path.join(dir, 'nasty');
  fs.mkdirSync(nasty, { recursive: true });
  fs.writeFileSync(path.join(nasty, '001_x.sql'), 'CREATE TABLE "a<b>&\'c""\u0001\u001b" (id int);\nCREATE INDEX ON "a<b>&\'c""\u0001\u001b" (id);\n');
  const result = await runCli(['check', '--format', 'junit', 'nasty'], { cwd: dir });
  assert.doesNotMatch(result.stdout, /[\u0001\u001b]/);
  const xml = (await parseStringPromise(result.stdout, { strict: true })) as Junit;
  const text = JSON.stringify(xml);
  assert.match(text, /a<b>&'c/, 'the name comes back as written, less the control characters');
});

test('check --format sarif: valid SARIF 2.1.0, an absolute helpUri on every rule (its docs page), a fingerprint on every result', async () => {
  const result = await runCli(['check', '--format', 'sarif', 'migrations'], { cwd: dir });
  const log = JSON.parse(result.stdout) as { runs: { tool: { driver: { rules: { id: string; helpUri?: string }[] } }; results: { ruleId: string; partialFingerprints?: Record<string, string> }[] }[] };
  assert.equal(validateSarif(log), true, JSON.stringify(validateSarif.errors));
  const run = log.runs[0]!;
  assert.equal(run.tool.driver.rules.length, RULES.length);
  for (const rule of run.tool.driver.rules) {
    const uri = new URL(rule.helpUri!);
    assert.equal(uri.protocol, 'https:');
    assert.ok(uri.pathname.endsWith(`/docs/rules/${rule.id}.md`), uri.href);
    assert.ok(fs.existsSync(path.join(repoRoot, 'docs', 'rules', `${rule.id}.md`)));
  }
  const fingerprints = run.results.map((r) => r.partialFingerprints?.['drydockFinding/v1']);
  assert.ok(fingerprints.every((f) => f !== undefined && /^[0-9a-f]{32}$/.test(f)));
  assert.equal(new Set(fingerprints).size, fingerprints.length);
  // The base is the repository named in package.json, unless DRYDOCK_DOCS_URL says otherwise.
  const packageJson = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { repository: { url: string } };
  assert.ok(run.tool.driver.rules[0]!.helpUri!.startsWith(packageJson.repository.url.replace(/\.git$/, '')));
  const mirrored = await runCli(['check', '--format', 'sarif', 'migrations'], { cwd: dir, env: { DRYDOCK_DOCS_URL: 'https://docs.example.test/drydock' } });
  assert.equal((JSON.parse(mirrored.stdout) as typeof log).runs[0]!.tool.driver.rules[0]!.helpUri, `https://docs.example.test/drydock/docs/rules/${RULES[0]!.id}.md`);
  const relative = await runCli(['check', '--format', 'sarif', 'migrations'], { cwd: dir, env: { DRYDOCK_DOCS_URL: 'docs/' } });
  assert.equal(relative.code, 2);
  assert.match(relative.stderr, /DRYDOCK_DOCS_URL must be an absolute URI/);
});

test('no CI format shows a password the environment holds, even when a migration quotes it', async () => {
  const secret = 'Quoted-Secret-7731';
  const leaky = path.join(dir, 'leaky');
  fs.mkdirSync(leaky, { recursive: true });
  fs.writeFileSync(path.join(leaky, '001_role.sql'), `CREATE INDEX ON "${secret}" (id);\n`);
  for (const format of ['gitlab', 'junit', 'sarif']) {
    const result = await runCli(['check', '--format', format, 'leaky'], { cwd: dir, env: { PGPASSWORD: secret } });
    assert.ok(result.stdout.length > 0, format);
    assert.ok(!result.stdout.includes(secret), `${format} shows the password`);
    assert.match(result.stdout, /\*\*\*\*/, `${format} masks it`);
  }
});

test('dry-run --shadow --format junit and gitlab carry a failed statement as a failure / major issue at its line', async () => {
  const run = path.join(dir, 'run');
  fs.mkdirSync(run, { recursive: true });
  fs.writeFileSync(path.join(run, '001_t.sql'), 'CREATE TABLE t (id bigint PRIMARY KEY);\n');
  fs.writeFileSync(path.join(run, '002_bad.sql'), 'INSERT INTO t (id) VALUES (1);\n\nINSERT INTO missing_table VALUES (1);\n');
  const junit = await runCli(['dry-run', '--shadow', '--format', 'junit', 'run/002_bad.sql'], { cwd: dir });
  assert.equal(junit.code, 1, junit.stderr);
  const xml = (await parseStringPromise(junit.stdout, { strict: true })) as Junit;
  const failed = xml.testsuites.testsuite.flatMap((s) => s.testcase).find((c) => c.$.name === 'run-failure')!;
  assert.equal(failed.$.classname, 'run/002_bad.sql');
  assert.equal(failed.$.line, '3');
  assert.match(failed.failure![0]!.$.message, /42P01/);
  const gitlab = await runCli(['dry-run', '--shadow', '--format', 'gitlab', 'run/002_bad.sql'], { cwd: dir });
  const issues = JSON.parse(gitlab.stdout) as unknown;
  assertGitlabShape(issues);
  const failure = issues.find((i) => i.check_name === 'run-failure')!;
  assert.deepEqual([failure.location.path, failure.location.lines.begin, failure.severity], ['run/002_bad.sql', 3, 'major']);
});

// Fingerprints, over the real rules' findings: what a file's risky statements are found to be.
function fingerprintsOf(text: string): { rule: string; line: number; fingerprint: string; gitlab: string }[] {
  const file = 'migrations/002_risky.sql';
  const context = [parseMigrationSync('migrations/001_users.sql', fs.readFileSync(path.join(dir, 'migrations', '001_users.sql'), 'utf8'))];
  const [checked] = checkFiles([parseMigrationSync(file, text)], { context });
  const findings = checked!.diagnostics;
  const fingerprints = findingFingerprints(findings, '/repo', (f) => (f === file ? text : undefined));
  const gitlab = findingsToGitlab(findings, { baseDir: '/repo', sourceOf: (f) => (f === file ? text : undefined) });
  return findings.map((f, i) => ({ rule: f.ruleId, line: f.range.start.line, fingerprint: fingerprints[i]!, gitlab: gitlab[i]!.fingerprint }));
}

const unrelated = fc.oneof(
  fc.constant(''),
  fc.constant('-- a comment about nothing'),
  fc.constant('SELECT 1;'),
  fc.integer({ min: 1, max: 999 }).map((n) => `CREATE TABLE unrelated_${n} (id bigint PRIMARY KEY);`),
  fc.integer({ min: 1, max: 999 }).map((n) => `COMMENT ON TABLE users IS 'note ${n}';`),
);

test('property: lines and statements inserted above the findings leave every fingerprint (SARIF and GitLab) unchanged', () => {
  const base = fingerprintsOf(RISKY);
  assert.ok(base.length >= 4);
  fc.assert(fc.property(fc.array(unrelated, { minLength: 1, maxLength: 6 }), (above) => {
    const moved = fingerprintsOf(`${above.join('\n')}\n${RISKY}`);
    const lines = above.length;
    for (const finding of base) {
      const same = moved.find((m) => m.rule === finding.rule && m.line === finding.line + lines);
      assert.ok(same, `${finding.rule} moved ${lines} lines down`);
      assert.equal(same.fingerprint, finding.fingerprint);
      assert.equal(same.gitlab, finding.fingerprint);
    }
  }), { numRuns: 40 });
});

test('property: n identical risky statements get n distinct fingerprints, and the first keeps its own when more follow', () => {
  fc.assert(fc.property(fc.integer({ min: 2, max: 6 }), (n) => {
    const statement = 'CREATE INDEX idx_users_email ON users (email);';
    const found = fingerprintsOf(Array.from({ length: n }, () => statement).join('\n')).filter((f) => f.rule === 'require-concurrent-index-creation');
    assert.equal(found.length, n);
    assert.equal(new Set(found.map((f) => f.fingerprint)).size, n);
    assert.equal(found[0]!.fingerprint, fingerprintsOf(statement).find((f) => f.rule === 'require-concurrent-index-creation')!.fingerprint);
  }), { numRuns: 10 });
});

test('a fingerprint changes with what the finding is about: another table, another rule', () => {
  const a = fingerprintsOf('CREATE INDEX idx_users_email ON users (email);').find((f) => f.rule === 'require-concurrent-index-creation')!;
  const b = fingerprintsOf('CREATE INDEX idx_users_id ON users (id);').find((f) => f.rule === 'require-concurrent-index-creation')!;
  assert.notEqual(a.fingerprint, b.fingerprint);
  // Whitespace and line breaks inside the statement do not count.
  const c = fingerprintsOf('CREATE INDEX   idx_users_email\n  ON users (email);').find((f) => f.rule === 'require-concurrent-index-creation')!;
  assert.equal(a.fingerprint, c.fingerprint);
});

test('audit --format gitlab and junit carry its measured findings (on a real PGlite shadow)', async () => {
  const history = path.join(dir, 'audited');
  fs.mkdirSync(history, { recursive: true });
  fs.writeFileSync(path.join(history, '001_users.sql'), 'CREATE TABLE users (id bigint PRIMARY KEY, email text);\n');
  fs.writeFileSync(path.join(history, '002_index.sql'), 'CREATE INDEX users_email ON users (email);\n');
  const gitlab = await runCli(['audit', '--format', 'gitlab', 'audited'], { cwd: dir });
  const issues = JSON.parse(gitlab.stdout) as unknown;
  assertGitlabShape(issues);
  const index = issues.find((i) => i.check_name === 'require-concurrent-index-creation')!;
  assert.deepEqual([index.location.path, index.location.lines.begin, index.severity], ['audited/002_index.sql', 1, 'major']);
  assert.match(index.description, /Confirmed by the run/);
  const junit = await runCli(['audit', '--format', 'junit', 'audited'], { cwd: dir });
  const xml = (await parseStringPromise(junit.stdout, { strict: true })) as Junit;
  const failed = xml.testsuites.testsuite.flatMap((s) => s.testcase).filter((c) => c.failure);
  assert.deepEqual(failed.map((c) => [c.$.classname, c.$.name]), [['audited/002_index.sql', 'require-concurrent-index-creation']]);
});
