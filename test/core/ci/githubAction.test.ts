// The GitHub Action as the runner runs it: action.yml read, its check step's environment built
// from the step's `env:` with the inputs substituted, and dist/action.js started in a real git
// repository (a base commit on main, a pull request's head commit) with the event payload file and
// the variables Actions sets. GitHub's REST API is a local HTTP server that keeps the comments:
// the first run creates the summary comment, the next edits that same comment, a read-only token
// (403) leaves the job's outcome to the check and the report to the step summary.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, afterEach, before, beforeEach, test } from 'node:test';
import yaml from 'js-yaml';
import { repoRoot } from '../../support/database';
import { gitRepo, GIT_ENV, type GitRepo } from '../../support/gitRepo';

const TOKEN = 'ghs_FakeTokenForTheTest0123456789';

interface Action {
  inputs: Record<string, { default?: string }>;
  runs: { using: string; steps: { name: string; env?: Record<string, string>; run: string }[] };
}
const action = yaml.load(fs.readFileSync(path.join(repoRoot, 'action.yml'), 'utf8')) as Action;

/** The check step's environment as the runner builds it: each `${{ inputs.x }}` replaced by the input given, else its default. */
function stepEnv(given: Record<string, string>): Record<string, string> {
  const step = action.runs.steps.find((s) => s.run.trim() === 'node "$GITHUB_ACTION_PATH/dist/action.js"')!;
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(step.env ?? {})) {
    env[name] = value.replace(/\$\{\{\s*inputs\.([\w-]+)\s*\}\}/g, (_m, input: string) => {
      const declared = action.inputs[input];
      assert.ok(declared, `the step maps an input action.yml does not declare: ${input}`);
      const fallback = declared.default ?? '';
      return given[input] ?? (fallback.includes('${{') ? TOKEN : fallback);
    });
  }
  return env;
}

interface StoredComment { id: number; body: string; html_url: string }
interface Api { url: string; requests: { method: string; url: string; authorization?: string; body?: string }[]; comments: StoredComment[]; forbidden: boolean; close(): Promise<void> }

/** GitHub's issue-comment routes, in memory. */
async function fakeGithub(): Promise<Api> {
  const api = { requests: [], comments: [], forbidden: false } as unknown as Api;
  let next = 100;
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      api.requests.push({ method: req.method!, url: req.url!, ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}), ...(body ? { body } : {}) });
      const send = (status: number, json: unknown) => { res.writeHead(status, { 'content-type': 'application/json' }); res.end(JSON.stringify(json)); };
      if (api.forbidden) return send(403, { message: 'Resource not accessible by integration' });
      const list = /^\/repos\/acme\/shop\/issues\/7\/comments\?per_page=100&page=(\d+)$/.exec(req.url!);
      if (req.method === 'GET' && list) return send(200, list[1] === '1' ? api.comments : []);
      if (req.method === 'POST' && req.url === '/repos/acme/shop/issues/7/comments') {
        const comment = { id: next++, body: (JSON.parse(body) as { body: string }).body, html_url: `https://github.test/acme/shop/pull/7#issuecomment-${next}` };
        api.comments.push(comment);
        return send(201, comment);
      }
      const edit = /^\/repos\/acme\/shop\/issues\/comments\/(\d+)$/.exec(req.url!);
      const existing = edit && api.comments.find((c) => c.id === Number(edit[1]));
      if (req.method === 'PATCH' && existing) {
        existing.body = (JSON.parse(body) as { body: string }).body;
        return send(200, existing);
      }
      return send(404, { message: 'Not Found' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  api.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  api.close = () => new Promise((resolve) => server.close(() => resolve()));
  return api;
}

let api: Api;
let repo: GitRepo;
let baseSha = '';
let runnerTemp = '';
before(async () => { api = await fakeGithub(); });
after(() => api.close());
beforeEach(() => {
  repo = gitRepo('drydock-action-');
  repo.write({
    'migrations/001_users.sql': 'CREATE TABLE users (id bigint PRIMARY KEY, email text);\n',
    'migrations/002_old.sql': 'CREATE INDEX users_email ON users (email);\n',
  });
  baseSha = repo.commit('base');
  repo.git('checkout', '-q', '-b', 'pr');
  runnerTemp = fs.mkdtempSync(path.join(os.tmpdir(), 'drydock-runner-'));
  api.requests.length = 0;
  api.comments.length = 0;
  api.forbidden = false;
});
afterEach(() => {
  repo.remove();
  fs.rmSync(runnerTemp, { recursive: true, force: true });
});

interface ActionRun { code: number | null; stdout: string; summary: string }

/** dist/action.js in the repository, with the variables Actions sets for a pull_request event. */
async function runAction(inputs: Record<string, string> = {}): Promise<ActionRun> {
  const eventPath = path.join(runnerTemp, 'event.json');
  fs.writeFileSync(eventPath, JSON.stringify({ action: 'synchronize', number: 7, pull_request: { number: 7, base: { ref: 'main', sha: baseSha }, head: { sha: repo.git('rev-parse', 'HEAD').trim() } } }));
  const summaryPath = path.join(runnerTemp, 'step_summary.md');
  fs.writeFileSync(summaryPath, '');
  const env = {
    PATH: process.env.PATH ?? '', HOME: runnerTemp, ...GIT_ENV, CI: 'true', GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: eventPath, GITHUB_STEP_SUMMARY: summaryPath, GITHUB_REPOSITORY: 'acme/shop',
    GITHUB_API_URL: api.url, GITHUB_BASE_REF: 'main', GITHUB_HEAD_REF: 'pr', GITHUB_WORKSPACE: repo.dir, GITHUB_ACTION_PATH: repoRoot,
    GITHUB_TOKEN: TOKEN, ...stepEnv(inputs),
  };
  const child = spawn(process.execPath, [path.join(repoRoot, 'dist', 'action.js')], { cwd: repo.dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout.on('data', (d) => { stdout += d; });
  child.stderr.on('data', (d) => { stdout += d; });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, stdout, summary: fs.readFileSync(summaryPath, 'utf8') };
}

test('action.yml is a composite action whose check step runs dist/action.js with every input mapped', () => {
  assert.equal(action.runs.using, 'composite');
  const mapped = Object.values(stepEnv({})).length;
  assert.equal(mapped, Object.keys(action.inputs).length);
});

test('a pull request adding a risky migration: annotations on it only, SARIF written, step summary, one comment created then edited in place', async () => {
  repo.write({ 'migrations/003_index.sql': 'CREATE INDEX users_email2 ON users (email);\n' });
  repo.commit('risky index');
  const first = await runAction({ path: 'migrations', 'sarif-file': 'drydock.sarif' });
  assert.equal(first.code, 1, first.stdout);
  assert.match(first.stdout, /^::error file=migrations\/003_index\.sql,line=1,.*title=drydock require-concurrent-index-creation::/m);
  assert.doesNotMatch(first.stdout, /002_old\.sql/, 'the unchanged migration is not judged');
  const sarif = JSON.parse(fs.readFileSync(path.join(repo.dir, 'drydock.sarif'), 'utf8')) as { version: string; runs: { results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
  assert.equal(sarif.version, '2.1.0');
  assert.deepEqual([...new Set(sarif.runs[0]!.results.map((r) => r.locations[0]!.physicalLocation.artifactLocation.uri))], ['migrations/003_index.sql']);
  assert.match(first.summary, /Drydock: 1 error\(s\)/);
  assert.match(first.summary, /`migrations\/003_index\.sql:1` \| \[require-concurrent-index-creation\]\(https:\/\/[^)]+\/docs\/rules\/require-concurrent-index-creation\.md\)/);
  assert.equal(api.comments.length, 1);
  assert.match(api.comments[0]!.body, /<!-- drydock-check-summary -->/);
  assert.ok(api.requests.every((r) => r.authorization === `Bearer ${TOKEN}`));
  const id = api.comments[0]!.id;

  // The author makes it CONCURRENTLY: the next run edits the same comment.
  repo.write({ 'migrations/003_index.sql': 'CREATE INDEX CONCURRENTLY users_email2 ON users (email);\n' });
  repo.commit('concurrently');
  api.requests.length = 0;
  const second = await runAction({ path: 'migrations' });
  assert.equal(second.code, 0, second.stdout);
  assert.deepEqual(api.requests.map((r) => r.method), ['GET', 'PATCH']);
  assert.equal(api.comments.length, 1);
  assert.equal(api.comments[0]!.id, id);
  assert.match(api.comments[0]!.body, /Drydock: 0 error\(s\)/);
  for (const run of [first, second]) {
    assert.ok(!run.stdout.includes(TOKEN) && !run.summary.includes(TOKEN), 'the token is never shown');
  }
});

test('a read-only token (403, as on a fork\'s pull request): no comment, a warning, the summary says why, the job\'s outcome is the check\'s', async () => {
  api.forbidden = true;
  repo.write({ 'migrations/003_table.sql': 'CREATE TABLE orders (id bigint PRIMARY KEY);\n' });
  repo.commit('safe table');
  const result = await runAction({ path: 'migrations' });
  assert.equal(result.code, 0, result.stdout);
  assert.match(result.stdout, /^::warning::drydock: the pull request comment was not written \(GitHub answered 403/m);
  assert.match(result.summary, /Drydock: 0 error\(s\)/);
  assert.match(result.summary, /the token may not write here \(GitHub answered 403: Resource not accessible by integration\)/);
  assert.equal(api.comments.length, 0);
  // With an error finding it still fails for the finding, not for the comment.
  repo.write({ 'migrations/004_index.sql': 'CREATE INDEX orders_id2 ON users (email);\n' });
  repo.commit('risky');
  assert.equal((await runAction({ path: 'migrations' })).code, 1);
});

test('fail-on-error false passes the job with findings; comment false writes no comment; a base that is no commit exits 2 with the reason', async () => {
  repo.write({ 'migrations/003_index.sql': 'CREATE INDEX users_email2 ON users (email);\n' });
  repo.commit('risky index');
  const lenient = await runAction({ path: 'migrations', 'fail-on-error': 'false', comment: 'false' });
  assert.equal(lenient.code, 0, lenient.stdout);
  assert.match(lenient.stdout, /^::error file=migrations\/003_index\.sql/m);
  assert.equal(api.requests.length, 0);
  const missing = await runAction({ path: 'migrations', base: 'no-such-ref', comment: 'false' });
  assert.equal(missing.code, 2);
  assert.match(missing.stdout, /no such commit in this repository/);
  assert.match(missing.summary, /Drydock could not check the migrations/);
});
