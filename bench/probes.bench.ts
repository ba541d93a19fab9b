// Probe overhead (not a test): a whole public history dry-run with every probe (notices, catalog
// changes, locks/rewrites/scans, explanations) against the same dry-run with no probes, on the same
// server, rounds interleaved. Prints the median of each and their ratio.
//
//   node out/bench/probes.bench.js --layout diesel|prisma|plain DIR [--rounds N]
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { pgBackend } from '../src/core/db/pg/pgBackend';
import { loadParser } from '../src/core/parse/parseMigration';
import { runMigrations } from '../src/core/run/runner';
import { sql } from '../test/support/database';
import { historyBookkeeping, historyFiles, isHistoryLayout } from '../test/support/histories';
import { startPostgres } from '../test/support/throwawayPostgres';
import { median } from './stats';

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { layout: { type: 'string', default: 'plain' }, rounds: { type: 'string', default: '5' } } });
  const dir = positionals[0];
  const layout = values.layout;
  if (!dir || !isHistoryLayout(layout)) throw new Error('usage: probes.bench --layout diesel|prisma|plain DIR');
  const files = historyFiles(dir, layout);
  await loadParser();
  const server = await startPostgres();
  try {
    const times: Record<'probes' | 'bare', number[]> = { probes: [], bare: [] };
    let statements = 0;
    for (let round = 0; round < Number(values.rounds); round++) {
      for (const kind of ['bare', 'probes'] as const) {
        const url = server.url(await server.createDatabase());
        const bookkeeping = historyBookkeeping(layout);
        if (bookkeeping) await sql(url, bookkeeping);
        const t0 = performance.now();
        const report = await runMigrations(files, { mode: 'dry-run', backend: pgBackend({ connectionString: url }), ...(kind === 'bare' ? { probes: [] } : {}) });
        times[kind].push(performance.now() - t0);
        if (report.outcome !== 'succeeded') throw new Error(`dry-run ${report.outcome}: ${JSON.stringify(report.error)}`);
        statements = report.statements.length;
      }
    }
    console.log(`probes: ${files.length} migrations (${layout}), ${statements} statements, PostgreSQL ${server.major}, median of ${values.rounds}`);
    console.log(`  dry-run without probes: ${median(times.bare).toFixed(0)} ms`);
    console.log(`  dry-run with every probe: ${median(times.probes).toFixed(0)} ms`);
    console.log(`  ratio with/without: ${(median(times.probes) / median(times.bare)).toFixed(2)}x`);
  } finally {
    await server.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
