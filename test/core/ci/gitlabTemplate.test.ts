// The GitLab CI template (ci/gitlab/drydock.gitlab-ci.yml) as a runner runs its job: the YAML read,
// the job's variables and the merge request's CI variables set, its script lines run in order in
// one shell (a failing line ends the job), in a real git repository where a merge request's branch
// adds a migration. Then the artifacts it declares: a Code Quality report and a JUnit report.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import yaml from 'js-yaml';
import { parseStringPromise } from 'xml2js';
import { repoRoot } from '../../support/database';
import { gitRepo, GIT_ENV, type GitRepo } from '../../support/gitRepo';

interface Job { rules: { if: string }[]; variables: Record<string, string>; script: string[]; artifacts: { when: string; paths: string[]; reports: { codequality: string; junit: string } } }
const template = yaml.load(fs.readFileSync(path.join(repoRoot, 'ci', 'gitlab', 'drydock.gitlab-ci.yml'), 'utf8')) as { drydock: Job };
const job = template.drydock;

let repo: GitRepo;
let baseSha = '';
let bin = '';
beforeEach(() => {
  repo = gitRepo('drydock-gitlab-');
  repo.write({ 'db/migrations/001_users.sql': 'CREATE TABLE users (id bigint PRIMARY KEY, email varchar(50));\n', 'db/migrations/002_old.sql': 'CREATE INDEX users_e ON users (email);\n' });
  baseSha = repo.commit('base');
  repo.git('checkout', '-q', '-b', 'feature');
  bin = fs.mkdtempSync(path.join(os.tmpdir(), 'drydock-bin-'));
  fs.writeFileSync(path.join(bin, 'drydock'), `#!/bin/sh\nexec "${process.execPath}" "${path.join(repoRoot, 'dist', 'cli.js')}" "$@"\n`, { mode: 0o755 });
});
afterEach(() => {
  repo.remove();
  fs.rmSync(bin, { recursive: true, force: true });
});

/** The job's script as the runner runs it: one shell, every line in order, stopping at the first that fails. */
async function runJob(variables: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const script = ['set -e', ...job.script].join('\n');
  const child = spawn('bash', ['-c', script], {
    cwd: repo.dir,
    env: {
      PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}`, HOME: bin, ...GIT_ENV, CI: 'true', GITLAB_CI: 'true', CI_PROJECT_DIR: repo.dir,
      CI_PIPELINE_SOURCE: 'merge_request_event', CI_MERGE_REQUEST_DIFF_BASE_SHA: baseSha, CI_MERGE_REQUEST_TARGET_BRANCH_NAME: 'main',
      ...job.variables, ...variables,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => { output += d; });
  child.stderr.on('data', (d) => { output += d; });
  return { code: await new Promise<number | null>((resolve) => child.on('close', resolve)), output };
}

test('the template declares a merge-request job with the Code Quality and JUnit reports as artifacts, kept on failure', () => {
  assert.match(job.rules[0]!.if, /\$CI_PIPELINE_SOURCE == "merge_request_event"/);
  assert.equal(job.artifacts.when, 'always');
  assert.equal(job.artifacts.reports.codequality, 'gl-code-quality-report.json');
  assert.equal(job.artifacts.reports.junit, 'drydock-junit.xml');
  assert.equal(job.variables.GIT_DEPTH, '0');
  assert.ok(job.script.some((line) => line.includes('--changed-since "$CI_MERGE_REQUEST_DIFF_BASE_SHA" --format gitlab')));
});

test('a merge request adding a risky migration: the job fails, and both reports name only that migration, by its repository path', async () => {
  repo.write({ 'db/migrations/003_index.sql': 'CREATE INDEX users_email ON users (email);\n', 'app/other.sql': 'DROP TABLE users;\n' });
  repo.commit('risky');
  const result = await runJob({ DRYDOCK_MIGRATIONS: 'db/migrations' });
  assert.equal(result.code, 1, result.output);
  const issues = JSON.parse(fs.readFileSync(path.join(repo.dir, job.artifacts.reports.codequality), 'utf8')) as { check_name: string; severity: string; location: { path: string; lines: { begin: number } } }[];
  assert.ok(issues.length > 0);
  assert.deepEqual([...new Set(issues.map((i) => i.location.path))], ['db/migrations/003_index.sql']);
  assert.ok(issues.some((i) => i.check_name === 'require-concurrent-index-creation' && i.severity === 'major' && i.location.lines.begin === 1));
  const junit = (await parseStringPromise(fs.readFileSync(path.join(repo.dir, job.artifacts.reports.junit), 'utf8'), { strict: true })) as { testsuites: { $: { failures: string }; testsuite: { $: { name: string } }[] } };
  assert.deepEqual(junit.testsuites.testsuite.map((s) => s.$.name), ['db/migrations/003_index.sql']);
  assert.equal(junit.testsuites.$.failures, '1');
});

test('a merge request with a safe migration passes with empty reports; a base that is not in the clone fails the job (exit 2)', async () => {
  repo.write({ 'db/migrations/003_index.sql': 'CREATE INDEX CONCURRENTLY users_email ON users (email);\n' });
  repo.commit('safe');
  const safe = await runJob({ DRYDOCK_MIGRATIONS: 'db/migrations' });
  assert.equal(safe.code, 0, safe.output);
  const issues = JSON.parse(fs.readFileSync(path.join(repo.dir, 'gl-code-quality-report.json'), 'utf8')) as { severity: string }[];
  assert.ok(issues.every((i) => i.severity !== 'major'));
  const shallow = await runJob({ DRYDOCK_MIGRATIONS: 'db/migrations', CI_MERGE_REQUEST_DIFF_BASE_SHA: 'f'.repeat(40) });
  assert.equal(shallow.code, 2);
  assert.match(shallow.output, /no such commit in this repository/);
});
