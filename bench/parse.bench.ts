// Parse benchmark (not a test): a generated 10,000-statement migration, parsed by Drydock's
// parseMigrationSync and, as the baseline in the same process, by the bare libpg-query parse.
import { performance } from 'node:perf_hooks';
import { loadParser, parseMigrationSync } from '../src/core/parse/parseMigration';
import { parseSql } from '../src/core/parse/pgParser';
import { median } from './stats';

const STATEMENTS = 10_000;
const ROUNDS = 5;

function generate(count: number): string {
  const kinds = [
    (i: number) => `CREATE INDEX IF NOT EXISTS idx_t${i}_a ON t${i} (a, b) WHERE c > ${i};`,
    (i: number) => `ALTER TABLE t${i} ADD CONSTRAINT chk_t${i}_s CHECK (status IN ('a', 'b', 'c'));`,
    (i: number) => `INSERT INTO t${i} (a, note) VALUES (${i}, 'ünïcødé ${i}');`,
    (i: number) => `CREATE OR REPLACE TRIGGER update_t${i}_updated_at BEFORE UPDATE ON t${i} FOR EACH ROW EXECUTE FUNCTION touch();`,
  ];
  return Array.from({ length: count }, (_, i) => `-- statement ${i}\n${kinds[i % kinds.length]!(i)}`).join('\n');
}

async function main(): Promise<void> {
  await loadParser();
  const text = generate(STATEMENTS);
  let peakRss = process.memoryUsage().rss;
  const time = (fn: () => void) => {
    const t0 = performance.now();
    fn();
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    return performance.now() - t0;
  };
  parseMigrationSync('warmup.sql', text);
  const baseline: number[] = [];
  const drydock: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    baseline.push(time(() => parseSql(text)));
    drydock.push(time(() => {
      const parsed = parseMigrationSync('bench.sql', text);
      if (parsed.statements.length !== STATEMENTS) throw new Error(`expected ${STATEMENTS} statements, got ${parsed.statements.length}`);
    }));
  }
  const perThousand = (ms: number) => (ms / STATEMENTS) * 1000;
  console.log(`parse: ${STATEMENTS} statements, ${(Buffer.byteLength(text) / 1024 / 1024).toFixed(1)} MB, median of ${ROUNDS}`);
  console.log(`  baseline libpg-query parse: ${perThousand(median(baseline)).toFixed(2)} ms per 1,000 statements`);
  console.log(`  drydock parseMigration:     ${perThousand(median(drydock)).toFixed(2)} ms per 1,000 statements`);
  console.log(`  ratio drydock/baseline:     ${(median(drydock) / median(baseline)).toFixed(2)}x`);
  console.log(`  peak RSS: ${(peakRss / 1024 / 1024).toFixed(0)} MB`);
  // The editor re-parses a file on save; its budget is 150 ms for a 1,000-line file.
  const thousandLines = text.split('\n').slice(0, 1000).join('\n');
  const onSave: number[] = [];
  for (let i = 0; i < ROUNDS; i++) onSave.push(time(() => parseMigrationSync('save.sql', thousandLines)));
  console.log(`  1,000-line file (diagnostics on save): ${median(onSave).toFixed(1)} ms (budget 150 ms)`);
}

void main();
