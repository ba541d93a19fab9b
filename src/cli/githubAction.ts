// The GitHub Action's entry (action.yml runs it as dist/action.js): checks the migrations the pull
// request changes with the built CLI next to it (`check --changed-since <base> --json`), then
// - prints the findings as workflow annotations (input `annotations`),
// - writes a SARIF log for github/codeql-action/upload-sarif (input `sarif-file`),
// - appends a Markdown summary to $GITHUB_STEP_SUMMARY,
// - keeps one summary comment on the pull request up to date (input `comment`); with a token that
//   may not write (fork pull requests), the step summary says so and the job does not fail for it.
// Exit code: the check's (1 on an error finding unless `fail-on-error` is false; 2 on a usage,
// config or parse error).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { CheckReport } from '../core/model/checkReport';
import { renderCheckReport } from '../core/output/formats';
import { checkSummaryMarkdown } from './checkSummaryMarkdown';
import { docsBaseUri } from './docsBase';
import { upsertComment, type CommentOutcome } from './githubComment';
import { readSource } from './readSource';
import { TOOL_VERSION } from './toolVersion';

/** What the action reads from its environment (Actions' variables and the inputs action.yml maps). */
export interface ActionEnv {
  env: NodeJS.ProcessEnv;
  cwd: string;
  out: (text: string) => void;
}

interface PullRequestEvent { pull_request?: { number: number; base?: { sha?: string } }; before?: string }

const NO_COMMIT = /^0+$/;

function input(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  // action.yml maps each input to INPUT_<NAME>, dashes as underscores (a shell can read those too).
  const value = env[`INPUT_${name.toUpperCase().replace(/-/g, '_')}`];
  return value === undefined || value.trim() === '' ? fallback : value.trim();
}

function readEvent(env: NodeJS.ProcessEnv): PullRequestEvent {
  try {
    return env.GITHUB_EVENT_PATH ? (JSON.parse(fs.readFileSync(env.GITHUB_EVENT_PATH, 'utf8')) as PullRequestEvent) : {};
  } catch {
    return {};
  }
}

/** The commit the changes are counted from: the input, the pull request's base, a push's previous head, else none (all judged). */
export function baseOf(env: NodeJS.ProcessEnv, event: PullRequestEvent): string | null {
  const given = input(env, 'base', '');
  if (given) return given;
  if (event.pull_request?.base?.sha) return event.pull_request.base.sha;
  if (env.GITHUB_BASE_REF) return `origin/${env.GITHUB_BASE_REF}`;
  if (event.before && !NO_COMMIT.test(event.before)) return event.before;
  return null;
}

function git(cwd: string, env: NodeJS.ProcessEnv, args: string[]): boolean {
  return spawnSync('git', args, { cwd, env, stdio: 'ignore' }).status === 0;
}

/** A shallow checkout may lack the base commit: fetch it (one commit and what the merge base needs). */
function ensureBase(base: string, cwd: string, env: NodeJS.ProcessEnv, out: (t: string) => void): void {
  if (git(cwd, env, ['cat-file', '-e', `${base}^{commit}`])) return;
  out(`::notice::drydock: fetching the base ${base} (check out with fetch-depth: 0 to skip this)\n`);
  git(cwd, env, ['fetch', '--no-tags', '--quiet', 'origin', base.replace(/^origin\//, '')]);
}

/** The environment the CLI runs in: the job's, without the token (the CLI needs none). */
function cliEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const copy = { ...env };
  delete copy.GITHUB_TOKEN;
  delete copy.INPUT_GITHUB_TOKEN;
  return copy;
}

function commentLine(outcome: CommentOutcome): string {
  switch (outcome.kind) {
    case 'created': case 'updated': return '';
    case 'forbidden': return `\n> The pull request comment was not written: the token may not write here (GitHub answered ${outcome.status}: ${outcome.message}), as on pull requests from forks. This summary is the report.\n`;
    case 'failed': return `\n> The pull request comment was not written (${outcome.message}). This summary is the report.\n`;
  }
}

/** Runs the action; resolves to the process's exit code. */
export async function runAction({ env, cwd, out }: ActionEnv): Promise<number> {
  const event = readEvent(env);
  const paths = input(env, 'path', 'migrations').split(/[\s,]+/).filter(Boolean);
  const base = baseOf(env, event);
  const runEnv = cliEnv(env);
  if (base) ensureBase(base, cwd, runEnv, out);
  const cli = path.join(__dirname, 'cli.js');
  const args = ['check', '--json', ...(base ? ['--changed-since', base] : []), ...(input(env, 'pg-version', '') ? ['--pg-version', input(env, 'pg-version', '')] : []), ...paths];
  const run = spawnSync(process.execPath, [cli, ...args], { cwd, env: runEnv, encoding: 'utf8', maxBuffer: 1 << 30 });
  if (run.stderr) out(run.stderr.split('\n').filter(Boolean).map((l) => `${l}\n`).join(''));
  if (run.status === 2 || run.status === null) {
    out(`::error::drydock check could not run (exit ${run.status ?? run.signal}): see the lines above\n`);
    if (env.GITHUB_STEP_SUMMARY) fs.appendFileSync(env.GITHUB_STEP_SUMMARY, '### 🛑 Drydock could not check the migrations\n\nSee the job\'s log.\n');
    return 2;
  }
  const report = JSON.parse(run.stdout) as CheckReport;
  const docs = docsBaseUri({ env: runEnv });
  const options = { color: false, baseDir: cwd, toolVersion: TOOL_VERSION, secrets: [], docsBaseUri: docs, sourceOf: readSource };
  if (input(env, 'annotations', 'true') === 'true') out(`${renderCheckReport(report, 'github', options)}\n`);
  const sarifFile = input(env, 'sarif-file', '');
  if (sarifFile) fs.writeFileSync(path.resolve(cwd, sarifFile), renderCheckReport(report, 'sarif', options));
  let summary = checkSummaryMarkdown(report, { baseDir: cwd, base, docsBaseUri: docs });
  const number = event.pull_request?.number;
  const token = input(env, 'github-token', env.GITHUB_TOKEN ?? '');
  if (input(env, 'comment', 'true') === 'true' && number !== undefined && token && env.GITHUB_REPOSITORY) {
    const outcome = await upsertComment({ apiUrl: env.GITHUB_API_URL ?? 'https://api.github.com', repository: env.GITHUB_REPOSITORY, issueNumber: number, token }, summary);
    if ('url' in outcome) out(`drydock: pull request comment ${outcome.kind}: ${outcome.url}\n`);
    else if (outcome.kind === 'forbidden') out(`::warning::drydock: the pull request comment was not written (GitHub answered ${outcome.status}: the token may not write, as on a fork's pull request); the step summary has the report\n`);
    else out(`::warning::drydock: the pull request comment was not written (${outcome.message}); the step summary has the report\n`);
    summary += commentLine(outcome);
  }
  if (env.GITHUB_STEP_SUMMARY) fs.appendFileSync(env.GITHUB_STEP_SUMMARY, summary);
  const failed = run.status === 1;
  return failed && input(env, 'fail-on-error', 'true') === 'true' ? 1 : 0;
}

if (require.main === module) {
  runAction({ env: process.env, cwd: process.cwd(), out: (text) => process.stdout.write(text) }).then(
    (code) => { process.exitCode = code; },
    (err: unknown) => { process.stdout.write(`::error::drydock action failed: ${(err as Error).message}\n`); process.exitCode = 2; },
  );
}
