// Production-impact benchmark (not a test): how close the estimate made from a 10 k-row dev table
// comes to the time the same statement really takes on a 1 M-row reference, as the ratio
// estimate / actual per round. The test suite checks only what does not depend on the machine's
// speed (the estimate exists, reads statistics only, never locks); accuracy is measured here.
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { pgBackend } from '../src/core/db/pg/pgBackend';
import { runMigrations } from '../src/core/run/runner';
import { sql } from '../test/support/database';
import { startPostgres } from '../test/support/throwawayPostgres';
import { median } from './stats';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const TABLE = 'CREATE TABLE orders (id bigint PRIMARY KEY, amount int, note text);';
const fill = (rows: number) => `INSERT INTO orders SELECT g, g % 1000, 'order note ' || g FROM generate_series(1, ${rows}) g; ANALYZE orders;`;
const MIGRATION = 'ALTER TABLE orders ADD COLUMN token uuid DEFAULT gen_random_uuid();';

async function actualMs(url: string): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('BEGIN');
    const t0 = performance.now();
    await client.query(MIGRATION);
    const ms = performance.now() - t0;
    await client.query('ROLLBACK');
    return ms;
  } finally {
    await client.end();
  }
}

async function main(): Promise<void> {
  const server = await startPostgres();
  try {
    const dev = server.url(await server.createDatabase());
    await sql(dev, TABLE + fill(10_000));
    const ref = server.url(await server.createDatabase());
    await sql(ref, TABLE + fill(1_000_000));
    const ratios: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const report = await runMigrations([{ path: 'm.sql', text: MIGRATION }], {
        mode: 'dry-run', backend: pgBackend({ connectionString: dev }), reference: pgBackend({ connectionString: ref, readOnly: true }),
      });
      const impact = report.statements[0]?.impact?.[0];
      if (!impact) throw new Error(`no estimate: ${JSON.stringify(report.error ?? report.diagnostics)}`);
      const estimate = Math.sqrt(impact.estimateMs.low * impact.estimateMs.high);
      const actual = await actualMs(ref);
      ratios.push(estimate / actual);
      console.log(`  round ${i + 1}: estimated ${estimate.toFixed(0)} ms (${impact.estimateMs.low.toFixed(0)}–${impact.estimateMs.high.toFixed(0)}), took ${actual.toFixed(0)} ms`);
    }
    console.log(`impact: ${MIGRATION} from 10 k dev rows to a 1 M-row reference, PostgreSQL ${server.major}`);
    console.log(`  estimate / actual: median ${median(ratios).toFixed(2)}x over ${ROUNDS} rounds (min ${Math.min(...ratios).toFixed(2)}x, max ${Math.max(...ratios).toFixed(2)}x)`);
  } finally {
    await server.stop();
  }
}

void main();
