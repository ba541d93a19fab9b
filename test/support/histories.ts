// A migration history on disk as the tool that owns it runs it: the files in order (only what runs
// forward: diesel's up.sql, Prisma's migration.sql) and the bookkeeping the tool creates before its
// first migration (real migrations reference diesel's table). Shared by the history test and bench.
import fs from 'node:fs';
import path from 'node:path';
import type { MigrationFile } from '../../src/core/run/runner';

export type HistoryLayout = 'diesel' | 'prisma' | 'plain' | 'golang-migrate' | 'sql-migrate';

const LAYOUTS: Record<HistoryLayout, (dir: string) => string[]> = {
  // diesel's own order: by version, the name up to its first '_' without dashes, compared as strings.
  diesel: (dir) => fs.readdirSync(dir).map((d) => ({ d, version: d.split('_')[0]!.replace(/-/g, '') }))
    .sort((a, b) => (a.version < b.version ? -1 : a.version > b.version ? 1 : 0))
    .map(({ d }) => path.join(dir, d, 'up.sql')).filter((f) => fs.existsSync(f)),
  prisma: (dir) => fs.readdirSync(dir).sort().map((d) => path.join(dir, d, 'migration.sql')).filter((f) => fs.existsSync(f)),
  plain: (dir) => fs.readdirSync(dir).filter((f) => f.endsWith('.sql')).sort().map((f) => path.join(dir, f)),
  // golang-migrate's order: by the version, the number before the first '_'.
  'golang-migrate': (dir) => fs.readdirSync(dir).filter((f) => /^\d+_.*\.up\.sql$/.test(f))
    .sort((a, b) => Number(a.split('_')[0]) - Number(b.split('_')[0])).map((f) => path.join(dir, f)),
  // sql-migrate: the files by name; each holds its Up and Down sections (upSection keeps what runs forward).
  'sql-migrate': (dir) => fs.readdirSync(dir).filter((f) => f.endsWith('.sql')).sort().map((f) => path.join(dir, f)),
};

/** A sql-migrate file's Up section: what runs forward (its Down section only ever runs backward). */
function upSection(text: string): string {
  const down = /^-- \+migrate Down\b.*$/m.exec(text);
  return down ? text.slice(0, down.index) : text;
}

const BOOKKEEPING: Partial<Record<HistoryLayout, string>> = {
  diesel: 'CREATE TABLE __diesel_schema_migrations (version varchar(50) PRIMARY KEY NOT NULL, run_on timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP)',
  'golang-migrate': 'CREATE TABLE schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL)',
};

/** True for the layouts historyFiles knows. */
export function isHistoryLayout(value: string): value is HistoryLayout {
  return Object.hasOwn(LAYOUTS, value);
}

/** The history's files in the order its tool runs them. */
export function historyFiles(dir: string, layout: HistoryLayout): MigrationFile[] {
  return LAYOUTS[layout](dir).map((p) => {
    const text = fs.readFileSync(p, 'utf8');
    return { path: p, text: layout === 'sql-migrate' ? upSection(text) : text };
  });
}

/** True when the tool runs this migration outside a transaction (diesel: run_in_transaction = false in its metadata.toml; sql-migrate: `-- +migrate Up notransaction`). */
export function runsOutsideTransaction(file: MigrationFile, layout: HistoryLayout): boolean {
  if (layout === 'sql-migrate') return /^-- \+migrate Up\b.*\bnotransaction\b/m.test(file.text);
  if (layout !== 'diesel') return false;
  const metadata = path.join(path.dirname(file.path), 'metadata.toml');
  return fs.existsSync(metadata) && /^\s*run_in_transaction\s*=\s*false/m.test(fs.readFileSync(metadata, 'utf8'));
}

/** The SQL the tool runs before the first migration, if any. */
export function historyBookkeeping(layout: HistoryLayout): string | undefined {
  return BOOKKEEPING[layout];
}

// Statuses that say a migration did not do what it declares (dropped and skipped report what the files did).
const FAILING = new Set(['missing', 'invalid', 'mismatch', 'disabled']);

/** The checks of a report that claim a failure: for a history psql applied without error, each one is false. */
export function failingChecks(checks: readonly { status: string; detail: string }[]): { status: string; detail: string }[] {
  return checks.filter((c) => FAILING.has(c.status) || (c.status === 'not-validated' && /although the file validates it/.test(c.detail)));
}
