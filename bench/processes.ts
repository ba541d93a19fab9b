// Shared by the check benchmarks: running a whole process (the way CI runs a linter) and reading
// its wall time and peak resident memory (GNU time's %M, when /usr/bin/time is installed).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

/** One process run. */
export interface ProcessRun {
  ms: number;
  /** Peak RSS in MiB, or null without /usr/bin/time. */
  peakMiB: number | null;
  /** User + system CPU seconds × 1000, or null without /usr/bin/time (steadier than wall time on a busy machine). */
  cpuMs: number | null;
  stdout: string;
  status: number | null;
}

const GNU_TIME = '/usr/bin/time';

/** Runs a command to completion, measuring wall time and (when possible) peak RSS. */
export function runProcess(command: string, args: readonly string[]): ProcessRun {
  const measured = fs.existsSync(GNU_TIME);
  const rssFile = path.join(os.tmpdir(), `drydock-bench-rss-${process.pid}`);
  const t0 = performance.now();
  const result = measured
    ? spawnSync(GNU_TIME, ['-f', '%M %U %S', '-o', rssFile, command, ...args], { encoding: 'utf8', maxBuffer: 1 << 30 })
    : spawnSync(command, args, { encoding: 'utf8', maxBuffer: 1 << 30 });
  const ms = performance.now() - t0;
  let peakMiB: number | null = null;
  let cpuMs: number | null = null;
  if (measured && fs.existsSync(rssFile)) {
    // The last line is ours (GNU time writes "Command exited with non-zero status" before it).
    const [kib, user, system] = (fs.readFileSync(rssFile, 'utf8').trim().split('\n').pop() ?? '').split(' ').map(Number);
    peakMiB = Number.isFinite(kib) ? kib! / 1024 : null;
    cpuMs = Number.isFinite(user) && Number.isFinite(system) ? (user! + system!) * 1000 : null;
    fs.rmSync(rssFile, { force: true });
  }
  return { ms, peakMiB, cpuMs, stdout: result.stdout ?? '', status: result.status };
}

/** Every .sql file under a folder, in name order; `only` keeps the files whose name matches. */
export function sqlFilesUnder(dir: string, only?: RegExp): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.sql') && (!only || only.test(entry.name))) out.push(full);
    }
  };
  walk(dir);
  return out;
}

/** Squawk's version the benchmarks compare with (its figures in the README were measured with it). */
const SQUAWK_VERSION = '2.66.0';

/**
 * The Squawk binary, installed on first use into .cache/squawk under the project. It is not a
 * dependency of the project: squawk-cli's optional per-platform packages are not all reachable from
 * every registry, and a lock file missing them makes `npm ci` refuse to install anything.
 */
export function squawkBinary(root: string): string {
  const platformPackage = `@squawk-cli/${process.platform}-${process.arch}`;
  const prefix = path.join(root, '.cache', 'squawk');
  const binary = path.join(prefix, 'node_modules', platformPackage, 'bin', 'squawk');
  if (fs.existsSync(binary)) return binary;
  fs.mkdirSync(prefix, { recursive: true });
  const install = spawnSync('npm', ['install', '--prefix', prefix, '--no-save', '--no-audit', '--no-fund', `${platformPackage}@${SQUAWK_VERSION}`], { encoding: 'utf8' });
  if (install.status !== 0 || !fs.existsSync(binary)) {
    throw new Error(`could not install ${platformPackage}@${SQUAWK_VERSION} for the Squawk comparison: ${install.stderr.trim().split('\n').slice(-3).join(' ')}`);
  }
  return binary;
}
