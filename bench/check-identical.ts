// Proves that a change to how `drydock check` runs did not change what it says: the current
// dist/cli.js and the CLI bundled from another revision (default main) check the same targets —
// the generated 10,000-statement migration and every folder or file given — in every output format,
// and their stdout, stderr and exit codes must be byte-identical. BENCH_ONLY=up.sql gives a
// folder's files of that name (as a file list) instead of the folder. Exits 1 on any difference.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildSync } from 'esbuild';
import { generatedMigration } from './generated';
import { sqlFilesUnder } from './processes';

const root = path.resolve(__dirname, '..', '..');
const FORMATS = ['json', 'text', 'sarif', 'github'];

/** Bundles the CLI as it was at `revision` (with this checkout's node_modules) and returns its path. */
function bundleRevision(revision: string, dir: string): string {
  const tar = path.join(dir, 'source.tar');
  const git = spawnSync('git', ['-C', root, 'archive', '--format=tar', '-o', tar, revision, 'src', 'package.json', 'tsconfig.json'], { encoding: 'utf8' });
  if (git.status !== 0) throw new Error(`git archive ${revision}: ${git.stderr}`);
  const source = path.join(dir, 'source');
  fs.mkdirSync(source);
  spawnSync('tar', ['-xf', tar, '-C', source]);
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(source, 'node_modules'));
  const out = path.join(source, 'dist', 'cli.js');
  // The same options as scripts/bundle.mjs gives the CLI.
  buildSync({
    absWorkingDir: source, entryPoints: ['src/cli/main.ts'], outfile: out, bundle: true, platform: 'node', target: 'node20', format: 'cjs',
    external: ['vscode', 'pg-native'], minify: true, logLevel: 'warning',
    alias: { '@electric-sql/pglite': './node_modules/@electric-sql/pglite/dist/index.cjs' },
  });
  fs.copyFileSync(path.join(root, 'node_modules', 'libpg-query', 'wasm', 'libpg-query.wasm'), path.join(source, 'dist', 'libpg-query.wasm'));
  return out;
}

interface Output {
  stdout: string;
  stderr: string;
  status: number | null;
}

function check(cli: string, format: string, targets: readonly string[]): Output {
  const run = spawnSync(process.execPath, [cli, 'check', '--no-color', '--format', format, ...targets], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 30 });
  return { stdout: run.stdout, stderr: run.stderr, status: run.status };
}

/** The first line where two texts differ, for the report. */
function firstDifference(a: string, b: string): string {
  const left = a.split('\n');
  const right = b.split('\n');
  const at = left.findIndex((line, i) => line !== right[i]);
  const line = at < 0 ? Math.min(left.length, right.length) : at;
  return `line ${line + 1}:\n    reference: ${left[line]?.slice(0, 200) ?? '(end)'}\n    current:   ${right[line]?.slice(0, 200) ?? '(end)'}`;
}

function main(): void {
  const args = process.argv.slice(2);
  const against = args[0] === '--against' ? args[1]! : 'main';
  const given = args[0] === '--against' ? args.slice(2) : args;
  const current = path.join(root, 'dist', 'cli.js');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drydock-check-identical-'));
  let differences = 0;
  try {
    const reference = bundleRevision(against, dir);
    const generated = path.join(dir, 'generated.sql');
    fs.writeFileSync(generated, generatedMigration(10_000));
    const only = process.env.BENCH_ONLY ? new RegExp(`^${process.env.BENCH_ONLY.replace(/[.]/g, '\\.')}$`) : undefined;
    const targets: { label: string; paths: string[] }[] = [
      { label: 'generated 10,000-statement migration', paths: [generated] },
      ...given.map((g) => ({ label: g, paths: only && fs.statSync(g).isDirectory() ? sqlFilesUnder(g, only) : [g] })),
    ];
    for (const target of targets) {
      for (const format of FORMATS) {
        const before = check(reference, format, target.paths);
        const after = check(current, format, target.paths);
        const same = before.stdout === after.stdout && before.stderr === after.stderr && before.status === after.status;
        console.log(`${same ? 'identical' : 'DIFFERENT'}  ${format.padEnd(6)} ${target.label} (${before.stdout.length} bytes, exit ${before.status})`);
        if (same) continue;
        differences += 1;
        if (before.status !== after.status) console.log(`  exit code: reference ${before.status}, current ${after.status}`);
        if (before.stdout !== after.stdout) console.log(`  stdout ${firstDifference(before.stdout, after.stdout)}`);
        if (before.stderr !== after.stderr) console.log(`  stderr ${firstDifference(before.stderr, after.stderr)}`);
      }
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  console.log(differences === 0 ? `every output identical to ${against}'s` : `${differences} output(s) differ from ${against}'s`);
  process.exitCode = differences === 0 ? 0 : 1;
}

main();
