// Dry-run benchmark (not a test): the five example migrations through Drydock's dry-run, against
// the same statements sent through one plain `pg` transaction (the baseline) on the same server.
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { loadParser, parseMigrationSync } from '../src/core/parse/parseMigration';
import { runMigrations } from '../src/core/run/runner';
import { exampleMigrations, seededDatabase } from '../test/support/database';
import { startPostgres } from '../test/support/throwawayPostgres';
import { median } from './stats';
import { pgBackend } from '../src/core/db/pg/pgBackend';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 30);

async function main(): Promise<void> {
  const server = await startPostgres();
  try {
    const url = server.url(await seededDatabase(server));
    await loadParser();
    const files = exampleMigrations();
    const statements = files.flatMap((f) => parseMigrationSync(f.path, f.text).statements.filter((s) => s.role === 'statement').map((s) => s.sql));
    const baseline: number[] = [];
    const drydock: number[] = [];
    const plain = async () => {
      const client = new Client({ connectionString: url });
      const t0 = performance.now();
      await client.connect();
      await client.query('BEGIN');
      for (const sql of statements) await client.query(sql);
      await client.query('ROLLBACK');
      await client.end();
      return performance.now() - t0;
    };
    const dry = async () => {
      const t0 = performance.now();
      const report = await runMigrations(files, { mode: 'dry-run', backend: pgBackend({ connectionString: url }) });
      if (report.outcome !== 'succeeded') throw new Error(`dry-run failed: ${JSON.stringify(report.error)}`);
      return performance.now() - t0;
    };
    await plain();
    await dry();
    for (let i = 0; i < ROUNDS; i++) {
      baseline.push(await plain());
      drydock.push(await dry());
    }
    console.log(`dry-run: 5 example migrations (${statements.length} statements), PostgreSQL ${server.major}, median of ${ROUNDS}`);
    console.log(`  baseline plain pg transaction: ${median(baseline).toFixed(1)} ms`);
    console.log(`  drydock dry-run (parse, savepoints, verification): ${median(drydock).toFixed(1)} ms`);
    console.log(`  ratio drydock/baseline: ${(median(drydock) / median(baseline)).toFixed(2)}x`);
  } finally {
    await server.stop();
  }
}

void main();
