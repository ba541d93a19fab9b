// The language server's latency (benchmark, not a test), driven over stdio as an editor drives it
// (`node dist/server.js --stdio`; run `npm run build` first): server start to ready (spawn →
// initialize answered), first diagnostics of a newly opened 1,000-line migration with the server
// already running (its engine warmed on another file), and diagnostics after each of ROUNDS edits
// after WARMUP: p50/p95 from didChange to the publish, and the same less the settle delay the
// server waits for typing to pause (the server's own work). Budgets (issue 20): ready ≤ 300 ms,
// first diagnostics ≤ 400 ms, after a change p95 ≤ 50 ms; the ratio to the in-process check
// (bench/editorCheck.bench.ts) is what moving the check out of the editor's process costs.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { EDIT_SETTLE_MS } from '../src/server/diagnostics';
import { LspTestClient, uriOf } from '../test/support/lspClient';
import { percentile, writeEditorFolder } from './editorFolder';
import { median } from './stats';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 50);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 10);
const STARTS = Number(process.env.BENCH_STARTS ?? 5);
/** Node options for the measured server, space-separated (e.g. `--cpu-prof --cpu-prof-dir=prof`). */
const SERVER_NODE_ARGS = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);

/** Time from spawning the server to its answer to initialize, over STARTS fresh servers. */
async function startTimes(root: string): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < STARTS; i++) {
    const t0 = performance.now();
    const client = LspTestClient.start();
    await client.initialize(root);
    times.push(performance.now() - t0);
    await client.stop();
  }
  return times;
}

/** Resolves with the time until the document's next publish after `act`. */
async function untilPublished(client: LspTestClient, uri: string, act: () => void): Promise<number> {
  const before = client.diagnostics.get(uri);
  const t0 = performance.now();
  act();
  await client.until(`diagnostics of ${uri}`, () => client.diagnostics.get(uri) !== before);
  return performance.now() - t0;
}

async function main(): Promise<void> {
  const { dir, folder, target, text } = writeEditorFolder();
  try {
    const starts = await startTimes(dir);
    const client = LspTestClient.start({ nodeArgs: SERVER_NODE_ARGS });
    await client.initialize(dir);
    try {
      // Warm the engine (parser, rules) on another file, as a server running for a while has.
      const warm = path.join(folder, '9999_warm.sql');
      fs.writeFileSync(warm, 'CREATE INDEX idx_warm ON t1 (a);\n');
      const warmUri = client.open(warm, fs.readFileSync(warm, 'utf8'));
      await client.until('warm-up diagnostics', () => client.diagnostics.has(warmUri));
      const uri = uriOf(target);
      const firstMs = await untilPublished(client, uri, () => client.open(target, text));
      const findings = client.diagnostics.get(uri)?.length ?? 0;
      // Each edit changes one statement, so each publish differs from the last.
      const edited = (i: number) => `${text}CREATE INDEX idx_edit_${i} ON t${i % 400} (a);\n`;
      const warmup: number[] = [];
      const changes: number[] = [];
      for (let i = 0; i < WARMUP + ROUNDS; i++) {
        const ms = await untilPublished(client, uri, () => client.change(uri, edited(i)));
        (i < WARMUP ? warmup : changes).push(ms);
      }
      const own = changes.map((ms) => ms - EDIT_SETTLE_MS);
      const budget = (value: number, limit: number) => `${value.toFixed(1)} ms (budget ≤ ${limit} ms: ${value <= limit ? 'met' : 'missed'})`;
      console.log(`language server over stdio: ${text.split('\n').length - 1}-line migration, ${findings} diagnostics, context of the folder's earlier migrations; ${ROUNDS} edits after ${WARMUP}`);
      console.log(`  start to ready (initialize answered), median of ${STARTS}: ${budget(median(starts), 300)}; max ${Math.max(...starts).toFixed(1)} ms`);
      console.log(`  first diagnostics of the newly opened file:            ${budget(firstMs, 400)}`);
      console.log(`  after a change, didChange → publish p50 / p95:          ${median(changes).toFixed(1)} ms / ${percentile(changes, 95).toFixed(1)} ms (includes the ${EDIT_SETTLE_MS} ms settle delay)`);
      console.log(`  after a change, the server's own work p50 / p95:        ${median(own).toFixed(1)} ms / ${budget(percentile(own, 95), 50)}`);
      if (WARMUP > 0) console.log(`  the first ${WARMUP} edits (JIT warm-up), p50:                ${median(warmup).toFixed(1)} ms`);
      console.log(`  load average: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    } finally {
      await client.stop();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

void main();
