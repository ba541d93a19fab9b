// The migration folder the editor benchmarks share (bench/editorCheck.bench.ts in process,
// bench/lspLatency.bench.ts through the language server): a drydock.json, EARLIER_FILES earlier
// migrations of tables with indexes (what context teaches), and a 1,000-line target migration of
// everyday statements on those tables, with findings on most.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const EARLIER_FILES = Number(process.env.BENCH_EARLIER_FILES ?? 40);
export const TABLES_PER_FILE = 10;

/** The p-th percentile (nearest rank). */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** An earlier migration: tables with typed columns, indexes and a foreign key (what context teaches). */
function earlierMigration(n: number): string {
  const lines: string[] = [`-- migration ${n}`];
  for (let t = 0; t < TABLES_PER_FILE; t++) {
    const id = n * TABLES_PER_FILE + t;
    lines.push(`CREATE TABLE t${id} (id bigint PRIMARY KEY, a int, b text, body jsonb, status text, owner_id bigint, created_at timestamptz);`);
    lines.push(`CREATE INDEX idx_t${id}_owner ON t${id} (owner_id);`);
  }
  return `${lines.join('\n')}\n`;
}

/** The edited file: 1,000 lines of everyday statements on the earlier tables (findings on most). */
function targetMigration(tables: number): string {
  const kinds = [
    (i: number) => `CREATE INDEX idx_t${i}_a ON t${i} (a, b) WHERE status = 'x';`,
    (i: number) => `ALTER TABLE t${i} ADD CONSTRAINT chk_t${i}_s CHECK (status IN ('a', 'b', 'c'));`,
    (i: number) => `ALTER TABLE t${i} ADD COLUMN note_${i} varchar(40);`,
    (i: number) => `CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_t${i}_body ON t${i} USING gin (body);`,
    (i: number) => `UPDATE t${i} SET a = a + 1 WHERE id = ${i};`,
  ];
  const lines: string[] = [];
  for (let i = 0; lines.length < 1000; i++) lines.push(`-- step ${i}`, kinds[i % kinds.length]!(i % tables));
  return `${lines.join('\n')}\n`;
}

/** Writes the folder under a new temp directory: its root, the target's path and text. Remove `dir` when done. */
export function writeEditorFolder(): { dir: string; folder: string; target: string; text: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drydock-editor-bench-'));
  const folder = path.join(dir, 'migrations');
  fs.mkdirSync(folder);
  fs.writeFileSync(path.join(dir, 'drydock.json'), JSON.stringify({ pgVersion: 16, rules: { 'prefer-identity': 'off' }, exclude: ['**/*_down.sql'] }));
  for (let n = 0; n < EARLIER_FILES; n++) fs.writeFileSync(path.join(folder, `${String(n + 1).padStart(4, '0')}_earlier.sql`), earlierMigration(n));
  const target = path.join(folder, `${String(EARLIER_FILES + 1).padStart(4, '0')}_target.sql`);
  const text = targetMigration(EARLIER_FILES * TABLES_PER_FILE);
  fs.writeFileSync(target, text);
  return { dir, folder, target, text };
}
