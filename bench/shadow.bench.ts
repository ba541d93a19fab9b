// The shadow's speed and memory on a real migration history (the 342-migration Lemmy history in
// the issue; any folder works): cold and warm CLI as whole processes, warm in-process (the
// extension keeps the PGlite instance alive) and the memory the shadow adds; then PostgreSQL
// replaying the same files in a scratch database, for the ratio. Figures are printed, not asserted.
//   node out/bench/shadow.bench.js <target migration file> [--setup SQL]   (or DRYDOCK_BENCH_TARGET)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PgliteShadow } from '../src/core/shadow/pgliteShadow';
import { ScratchDatabaseShadow } from '../src/core/shadow/scratchDatabase';
import { runShadowDryRun, type ShadowTarget } from '../src/core/shadow/shadowRun';
import { startPostgres } from '../test/support/throwawayPostgres';
import { median } from './stats';

const args = process.argv.slice(2);
const file = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--setup') ?? process.env.DRYDOCK_BENCH_TARGET;
const setupAt = args.indexOf('--setup');
const setup = setupAt >= 0 ? [args[setupAt + 1]!] : [];
const cli = path.join(__dirname, '..', '..', 'dist', 'cli.js');

function cliRun(cacheHome: string): { ms: number; maxRssMiB: number | null; summary: string } {
  const timeBin = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
  const command = [process.execPath, cli, 'dry-run', '--shadow', '--json', ...setup.flatMap((s) => ['--shadow-setup', s]), file!];
  const t0 = performance.now();
  const result = timeBin
    ? spawnSync(timeBin, ['-f', 'maxrss=%M', ...command], { env: { ...process.env, DRYDOCK_CACHE_DIR: cacheHome }, encoding: 'utf8', maxBuffer: 1 << 28 })
    : spawnSync(command[0]!, command.slice(1), { env: { ...process.env, DRYDOCK_CACHE_DIR: cacheHome }, encoding: 'utf8', maxBuffer: 1 << 28 });
  const ms = performance.now() - t0;
  const rss = /maxrss=(\d+)/.exec(result.stderr ?? '')?.[1];
  const report = JSON.parse(result.stdout) as { outcome: string; shadow: { history: number; restored: number; replayed: number } };
  return { ms, maxRssMiB: rss ? Number(rss) / 1024 : null, summary: `${report.outcome}, ${report.shadow.history} earlier, ${report.shadow.restored} restored, ${report.shadow.replayed} replayed` };
}

const figure = (label: string, ms: number, target: number) => console.log(`${label.padEnd(44)} ${(ms / 1000).toFixed(2).padStart(6)} s   target ≤ ${(target / 1000).toFixed(2)} s   ${ms <= target ? 'met' : 'MISSED'}`);

async function main(): Promise<void> {
  if (!file || !fs.existsSync(file)) throw new Error('usage: shadow.bench.js <target migration file> [--setup SQL] (or DRYDOCK_BENCH_TARGET)');
  const absolutePath = path.resolve(file);
  const targets: ShadowTarget[] = [{ path: file, absolutePath, text: fs.readFileSync(absolutePath, 'utf8') }];
  const cacheHome = fs.mkdtempSync(path.join(os.tmpdir(), 'drydock-bench-cache-'));
  try {
    // This machine may be shared: the load says how far the figures are from a quiet one.
    console.log(`shadow bench: ${file} (5-minute load average ${os.loadavg()[1]!.toFixed(1)} on ${os.cpus().length} cores)`);
    const cold = cliRun(cacheHome);
    console.log(`  cold CLI: ${cold.summary}`);
    const warmRuns = [1, 2, 3].map(() => cliRun(cacheHome));
    console.log(`  warm CLI: ${warmRuns[0]!.summary}`);
    figure('cold CLI (empty cache, whole process)', cold.ms, 4000);
    figure('warm CLI (cached snapshot, whole process)', median(warmRuns.map((r) => r.ms)), 1500);

    const global = globalThis as { gc?: () => void };
    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    const host = new PgliteShadow({ cacheDir: path.join(cacheHome, 'shadow') });
    try {
      await runShadowDryRun(targets, { host, setup });
      const kept = [];
      for (let i = 0; i < 5; i++) {
        const t0 = performance.now();
        await runShadowDryRun(targets, { host, setup });
        kept.push(performance.now() - t0);
      }
      global.gc?.();
      const added = (process.memoryUsage().rss - rssBefore) / (1 << 20);
      figure('warm in-process (instance kept alive)', median(kept), 300);
      console.log(`${'memory the shadow adds (RSS, in-process)'.padEnd(44)} ${added.toFixed(0).padStart(6)} MiB target ≤ 300 MiB ${added <= 300 ? 'met' : 'MISSED'}`);
      console.log(`${'peak RSS of the cold CLI process'.padEnd(44)} ${cold.maxRssMiB?.toFixed(0).padStart(6) ?? '     ?'} MiB`);
    } finally {
      await host.close();
    }

    const server = await startPostgres();
    try {
      const t0 = performance.now();
      const scratch = await runShadowDryRun(targets, { host: new ScratchDatabaseShadow({ server: { connectionString: server.url() } }), setup });
      const pgMs = performance.now() - t0;
      console.log(`PostgreSQL ${server.major} (scratch database) replaying the same history: ${scratch.outcome}, ${(pgMs / 1000).toFixed(2)} s, replay ${(scratch.shadow!.replayMs / 1000).toFixed(2)} s`);
      console.log(`ratio cold PGlite CLI / PostgreSQL scratch run: ${(cold.ms / pgMs).toFixed(2)}`);
      console.log(`load average at the end: ${os.loadavg()[0]!.toFixed(1)}`);
    } finally {
      await server.stop();
    }
  } finally {
    fs.rmSync(cacheHome, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
