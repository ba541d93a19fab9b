// `drydock check --changed-since` on a pull request that touches one migration of a long real
// history, against `drydock check` of that one file alone (benchmark, not a test). The history is
// copied into a temporary git repository (the corpus as the base commit on main, the change on a
// branch). Budget: the changed-only check at most 1.2x the single file's time, the whole folder's
// schema learned (parsed, not judged) on top. Corpus: the argument or DRYDOCK_BENCH_CORPUS, a
// migrations folder (e.g. a diesel history: one folder per migration with up.sql and down.sql).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { median } from './stats';
import { runProcess, type ProcessRun } from './processes';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const BUDGET = 1.2;
const cli = path.join(__dirname, '..', '..', 'dist', 'cli.js');
const GIT_ENV = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: os.devNull, GIT_AUTHOR_NAME: 'bench', GIT_AUTHOR_EMAIL: 'bench@example.test', GIT_COMMITTER_NAME: 'bench', GIT_COMMITTER_EMAIL: 'bench@example.test' };

function git(dir: string, ...args: string[]): void {
  execFileSync('git', args, { cwd: dir, env: GIT_ENV, stdio: 'ignore' });
}

function forwardScripts(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...forwardScripts(full));
    else if (entry.name.endsWith('.sql') && !/(^|[._-])down\.sql$/.test(entry.name)) out.push(full);
  }
  return out;
}

function measure(label: string, migrations: string, touched: string): void {
  const changed = () => runProcess(process.execPath, [cli, 'check', '--no-color', '--changed-since', 'main', migrations]);
  const alone = () => runProcess(process.execPath, [cli, 'check', '--no-color', touched]);
  changed();
  alone(); // warm the file cache and the compile cache
  const runs: { changed: ProcessRun[]; alone: ProcessRun[] } = { changed: [], alone: [] };
  // Interleaved, so a busy moment of the machine falls on both alike.
  for (let round = 0; round < ROUNDS; round++) {
    runs.changed.push(changed());
    runs.alone.push(alone());
  }
  const summary = (r: ProcessRun[]) => r[0]!.stdout.trim().split('\n').pop();
  const ratio = median(runs.changed.map((r, i) => r.ms / runs.alone[i]!.ms));
  console.log(`${label}:`);
  console.log(`  check --changed-since main <folder>: wall ${median(runs.changed.map((r) => r.ms)).toFixed(0)} ms (${summary(runs.changed)})`);
  console.log(`  check <the one file>:                wall ${median(runs.alone.map((r) => r.ms)).toFixed(0)} ms (${summary(runs.alone)})`);
  console.log(`  ratio changed-since/one file: ${ratio.toFixed(2)}x per round, median of ${ROUNDS} (budget <= ${BUDGET}x)${ratio > BUDGET ? '  OVER BUDGET' : ''}`);
}

function main(): void {
  const corpus = process.argv[2] ?? process.env.DRYDOCK_BENCH_CORPUS;
  if (!corpus) {
    console.log('changed-since: skipped (pass a migrations folder as the argument or DRYDOCK_BENCH_CORPUS)');
    return;
  }
  const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'drydock-changed-since-bench-'));
  try {
    const migrations = path.join(repo, 'migrations');
    fs.cpSync(path.resolve(corpus), migrations, { recursive: true });
    git(repo, 'init', '-q', '-b', 'main');
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'history');
    const scripts = forwardScripts(migrations);
    console.log(`corpus ${path.basename(path.resolve(corpus))}: ${scripts.length} forward migration scripts`);
    // (a) The usual pull request: a new migration at the end of the history.
    git(repo, 'checkout', '-q', '-b', 'new-migration');
    const added = path.join(migrations, '9999-12-31-000000_bench_added', 'up.sql');
    fs.mkdirSync(path.dirname(added), { recursive: true });
    fs.writeFileSync(added, `${fs.readFileSync(scripts[scripts.length - 1]!, 'utf8')}\n-- touched by the bench\n`);
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'added');
    measure('(a) a pull request adding a migration at the end', migrations, added);
    // (b) A pull request editing a migration in the middle: the later ones are parsed too (what holds at any point).
    git(repo, 'checkout', '-q', 'main');
    git(repo, 'checkout', '-q', '-b', 'middle');
    const middle = scripts[Math.floor(scripts.length / 2)]!;
    fs.appendFileSync(middle, '\n-- touched by the bench\n');
    git(repo, 'commit', '-q', '-am', 'middle');
    measure(`(b) a pull request editing the middle migration (${path.relative(migrations, middle)})`, migrations, middle);
  } finally {
    fs.rmSync(repo, { recursive: true, force: true });
  }
}

main();
