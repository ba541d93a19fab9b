// A migration its tool runs outside a transaction by configuration, not by a directive in the file:
// diesel's metadata.toml (run_in_transaction = false), Flyway's <migration>.sql.conf
// (executeInTransaction=false). crates.io marks 7 of its 285 migrations so, each with
// CREATE INDEX CONCURRENTLY: they are judged as no-transaction files (no needs-no-transaction) and
// applied outside a transaction; without that configuration nothing changes.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { readToolNoTransaction } from '../../src/core/config/toolNoTransaction';
import { loadParser, parseMigrationSync } from '../../src/core/parse/parseMigration';
import { checkFiles } from '../../src/core/rules/checkMigration';
import { describeEachServer, sql } from '../support/database';
import { runCli, type CliResult } from '../support/cli';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'drydock-tool-config-'));
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

function folder(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(scratch, 'case-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    fs.writeFileSync(path.join(root, name), text);
  }
  return root;
}

async function ruleIds(file: string): Promise<string[]> {
  await loadParser();
  const [checked] = checkFiles([parseMigrationSync(file, fs.readFileSync(file, 'utf8'), readToolNoTransaction(file))]);
  return checked!.diagnostics.map((d) => d.ruleId);
}

const CONCURRENT = 'CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_users_name ON users (name);\n';

test('diesel metadata.toml and Flyway .sql.conf run a migration outside a transaction; other values and other files do not', async () => {
  const root = folder({
    'diesel/2024-01-01-000000_index/up.sql': CONCURRENT,
    'diesel/2024-01-01-000000_index/metadata.toml': '# built concurrently\nrun_in_transaction = false\n',
    'diesel/2024-01-01-000000_index/down.sql': 'DROP INDEX CONCURRENTLY IF EXISTS idx_users_name;\n',
    'diesel/2024-01-02-000000_plain/up.sql': CONCURRENT,
    'diesel/2024-01-03-000000_true/up.sql': CONCURRENT,
    'diesel/2024-01-03-000000_true/metadata.toml': 'run_in_transaction = true\n',
    'flyway/V2__index.sql': CONCURRENT,
    'flyway/V2__index.sql.conf': 'executeInTransaction=false\n',
    'flyway/V3__plain.sql': CONCURRENT,
    'flyway/V4__reindex.sql': 'REINDEX INDEX CONCURRENTLY idx_users_name;\n',
    // Only up.sql is diesel's migration: a metadata.toml next to another file says nothing about it.
    'other/001_index.sql': CONCURRENT,
    'other/metadata.toml': 'run_in_transaction = false\n',
  });
  const at = (name: string) => path.join(root, ...name.split('/'));
  assert.deepEqual(readToolNoTransaction(at('diesel/2024-01-01-000000_index/up.sql')), { tool: 'diesel', configFile: at('diesel/2024-01-01-000000_index/metadata.toml') });
  assert.deepEqual(readToolNoTransaction(at('flyway/V2__index.sql')), { tool: 'flyway', configFile: at('flyway/V2__index.sql.conf') });
  for (const none of ['diesel/2024-01-02-000000_plain/up.sql', 'diesel/2024-01-03-000000_true/up.sql', 'flyway/V4__reindex.sql', 'other/001_index.sql']) {
    assert.equal(readToolNoTransaction(at(none)), null, none);
    assert.ok((await ruleIds(at(none))).includes('needs-no-transaction'), none);
  }
  // Flyway needs no configuration for CREATE INDEX CONCURRENTLY: it detects the statement and runs the migration
  // outside a transaction itself (not for REINDEX … CONCURRENTLY, above).
  assert.equal(readToolNoTransaction(at('flyway/V3__plain.sql')), null);
  for (const configured of ['diesel/2024-01-01-000000_index/up.sql', 'diesel/2024-01-01-000000_index/down.sql', 'flyway/V2__index.sql', 'flyway/V3__plain.sql']) {
    assert.deepEqual((await ruleIds(at(configured))).filter((id) => id === 'needs-no-transaction'), [], configured);
  }
});

test('a configured no-transaction migration that wraps itself in BEGIN … COMMIT is told so, naming the configuration', async () => {
  const root = folder({ '2024-01-01-000000_x/up.sql': `BEGIN;\n${CONCURRENT}COMMIT;\n`, '2024-01-01-000000_x/metadata.toml': 'run_in_transaction = false\n' });
  const file = path.join(root, '2024-01-01-000000_x', 'up.sql');
  await loadParser();
  const [checked] = checkFiles([parseMigrationSync(file, fs.readFileSync(file, 'utf8'), readToolNoTransaction(file))]);
  const finding = checked!.diagnostics.find((d) => d.ruleId === 'transaction-control');
  assert.match(finding?.message ?? '', /outside a transaction \(diesel configuration .*metadata\.toml\) but wraps itself in BEGIN … COMMIT/);
});

const drydock = (args: string[], env: Record<string, string> = {}): Promise<CliResult> => runCli(args, { env });

describeEachServer('a diesel migration configured outside a transaction, through the CLI', (server) => {
  test('check reports no needs-no-transaction; apply builds the index CONCURRENTLY for real, outside a transaction', async () => {
    const root = folder({ 'migrations/2024-01-01-000000_index/up.sql': CONCURRENT, 'migrations/2024-01-01-000000_index/metadata.toml': 'run_in_transaction = false\n' });
    const file = path.join(root, 'migrations', '2024-01-01-000000_index', 'up.sql');
    const checked = await drydock(['check', '--no-color', path.join(root, 'migrations')]);
    assert.doesNotMatch(checked.stdout, /needs-no-transaction/);
    assert.match(checked.stdout, /1 statements in 1 file\(s\)/);
    const url = server().url(await server().createDatabase());
    await sql(url, 'CREATE TABLE users (id int, name text)');
    const applied = await drydock(['apply', '--yes', '--json', file], { DATABASE_URL: url });
    assert.equal(applied.code, 0, applied.stdout + applied.stderr);
    const report = JSON.parse(applied.stdout) as { transactional: boolean; committed: boolean; statements: { status: string }[] };
    assert.equal(report.transactional, false);
    assert.equal(report.committed, true);
    assert.deepEqual(report.statements.map((s) => s.status), ['ok']);
    assert.deepEqual(await sql(url, "SELECT i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname = 'idx_users_name'"), [{ indisvalid: true }]);
  });
});
