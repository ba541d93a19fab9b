// Each tool's history: which tool the folder is, the order the tool applies its migrations in, and
// which of them run outside a transaction (read from the tool's own directive or configuration).
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { findHistory, migrationsIn } from '../../../src/core/shadow/history';
import { repoRoot } from '../../support/database';
import { writeFolder } from './folders';

function history(files: Record<string, string>, targetFile: string): { tool: string; order: string[]; noTransaction: string[] } {
  const root = writeFolder(files);
  const found = findHistory([path.join(root, ...targetFile.split('/'))]);
  const rel = (f: string) => path.relative(root, f).split(path.sep).join('/');
  return { tool: found.tool, order: found.migrations.map((m) => rel(m.file)), noTransaction: found.migrations.filter((m) => m.noTransaction).map((m) => rel(m.file)) };
}

test('sqitch: the plan\'s order, not the file names\', and only the changes before the target', () => {
  const h = history({
    'sqitch.plan': '%syntax-version=1.0.0\n%project=app\n\nusers 2024-01-01T00:00:00Z Me <me@x> # users\n@v1 2024-01-01T00:00:00Z Me <me@x>\naccounts 2024-01-02T00:00:00Z Me <me@x> # accounts\nzz_target 2024-01-03T00:00:00Z Me <me@x>\n',
    'deploy/users.sql': 'BEGIN;\nCREATE TABLE users (id int);\nCOMMIT;\n',
    'deploy/accounts.sql': 'BEGIN;\nCREATE TABLE accounts (id int);\nCOMMIT;\n',
    'deploy/zz_target.sql': 'SELECT 1;\n',
    'revert/users.sql': 'DROP TABLE users;\n',
  }, 'deploy/zz_target.sql');
  assert.deepEqual(h, { tool: 'sqitch', order: ['deploy/users.sql', 'deploy/accounts.sql'], noTransaction: [] });
});

test('Flyway: versions in numeric order (V10 after V2), and executeInTransaction=false from the .sql.conf', () => {
  const h = history({
    'db/migration/V1__init.sql': 'CREATE TABLE a (id int);\n',
    'db/migration/V10__later.sql': 'SELECT 1;\n',
    'db/migration/V2__index.sql': 'CREATE INDEX CONCURRENTLY a_id ON a (id);\n',
    'db/migration/V2__index.sql.conf': 'executeInTransaction=false\n',
    'db/migration/V11__target.sql': 'SELECT 2;\n',
  }, 'db/migration/V11__target.sql');
  assert.deepEqual(h, { tool: 'flyway', order: ['db/migration/V1__init.sql', 'db/migration/V2__index.sql', 'db/migration/V10__later.sql'], noTransaction: ['db/migration/V2__index.sql'] });
});

test('dbmate: timestamp order and transaction:false; graphile-migrate: committed/ before current.sql and --! no-transaction', () => {
  const dbmate = history({
    'db/migrations/20240101000000_a.sql': '-- migrate:up\nCREATE TABLE a (id int);\n-- migrate:down\nDROP TABLE a;\n',
    'db/migrations/20240102000000_b.sql': '-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY a_id ON a (id);\n-- migrate:down\n',
    'db/migrations/20240103000000_target.sql': '-- migrate:up\nSELECT 1;\n-- migrate:down\n',
  }, 'db/migrations/20240103000000_target.sql');
  assert.deepEqual(dbmate, { tool: 'dbmate', order: ['db/migrations/20240101000000_a.sql', 'db/migrations/20240102000000_b.sql'], noTransaction: ['db/migrations/20240102000000_b.sql'] });
  const graphile = history({
    '.gmrc': '{}\n',
    'migrations/committed/000001.sql': '--! Previous: -\n--! Hash: sha1:1\nCREATE TABLE a (id int);\n',
    'migrations/committed/000002.sql': '--! no-transaction\n--! Previous: sha1:1\nCREATE INDEX CONCURRENTLY a_id ON a (id);\n',
    'migrations/current.sql': 'SELECT 1;\n',
  }, 'migrations/current.sql');
  assert.deepEqual(graphile, { tool: 'graphile', order: ['migrations/committed/000001.sql', 'migrations/committed/000002.sql'], noTransaction: ['migrations/committed/000002.sql'] });
});

test('diesel: metadata.toml run_in_transaction = false marks a migration; Prisma folders are Prisma, not diesel', () => {
  const diesel = history({
    'diesel.toml': '',
    'migrations/2024-01-01-000000_a/up.sql': 'CREATE TABLE a (id int);\n',
    'migrations/2024-01-02-000000_b/up.sql': 'CREATE INDEX CONCURRENTLY a_id ON a (id);\n',
    'migrations/2024-01-02-000000_b/metadata.toml': 'run_in_transaction = false\n',
    'migrations/2024-01-03-000000_c/up.sql': 'SELECT 1;\n',
  }, 'migrations/2024-01-03-000000_c/up.sql');
  assert.deepEqual(diesel, { tool: 'diesel', order: ['migrations/2024-01-01-000000_a/up.sql', 'migrations/2024-01-02-000000_b/up.sql'], noTransaction: ['migrations/2024-01-02-000000_b/up.sql'] });
  const prisma = history({
    'migrations/20240101000000_init/migration.sql': 'CREATE TABLE a (id int);\n',
    'migrations/20240102000000_next/migration.sql': 'SELECT 1;\n',
  }, 'migrations/20240102000000_next/migration.sql');
  assert.deepEqual(prisma, { tool: 'prisma', order: ['migrations/20240101000000_init/migration.sql'], noTransaction: [] });
});

test('diesel: versions without their dashes, timestamps digit by digit (crates.io mixes 2017-09-23-182408_x, 20170820000000_y and 2026-07-30-140000-0000_z)', () => {
  const h = history({
    'diesel.toml': '',
    'migrations/00000000000000_diesel_initial_setup/up.sql': 'SELECT 0;\n',
    'migrations/20170820000000_create_emails/up.sql': 'CREATE TABLE emails (id int);\n',
    'migrations/2017-09-23-182408_alter_emails/up.sql': 'ALTER TABLE emails ADD COLUMN token text;\n',
    'migrations/20180101000000_more/up.sql': 'SELECT 1;\n',
    'migrations/2026-07-30-140000-0000_precise/up.sql': 'SELECT 2;\n',
    'migrations/20261201000000_target/up.sql': 'SELECT 3;\n',
  }, 'migrations/20261201000000_target/up.sql');
  assert.deepEqual(h.order, ['migrations/00000000000000_diesel_initial_setup/up.sql', 'migrations/20170820000000_create_emails/up.sql',
    'migrations/2017-09-23-182408_alter_emails/up.sql', 'migrations/20180101000000_more/up.sql', 'migrations/2026-07-30-140000-0000_precise/up.sql']);
});

test('golang-migrate\'s up/down pairs: detected by their names, only the up scripts replay', () => {
  const h = history({
    'migrations/000001_init.up.sql': 'CREATE TABLE a (id int);\n',
    'migrations/000001_init.down.sql': 'DROP TABLE a;\n',
    'migrations/000002_b.up.sql': 'ALTER TABLE a ADD COLUMN b int;\n',
    'migrations/000002_b.down.sql': 'ALTER TABLE a DROP COLUMN b;\n',
    'migrations/000003_idx.up.sql': 'CREATE INDEX a_b ON a (b);\n',
  }, 'migrations/000003_idx.up.sql');
  assert.deepEqual(h, { tool: 'golang-migrate', order: ['migrations/000001_init.up.sql', 'migrations/000002_b.up.sql'], noTransaction: [] });
  // Other .sql names in a plain folder: the down scripts are still left out.
  const plain = history({
    'sql/001_init.sql': 'CREATE TABLE a (id int);\n',
    'sql/001_init_down.sql': 'DROP TABLE a;\n',
    'sql/002_target.sql': 'SELECT 1;\n',
  }, 'sql/002_target.sql');
  assert.deepEqual(plain, { tool: 'plain', order: ['sql/001_init.sql'], noTransaction: [] });
});

test('plain files: a migration runs before the follow-ups a fix writes next to it (007_add.sql, then 007_add_concurrently.sql), numbers as numbers', () => {
  const h = history({
    'migrations/007_add_note.sql': 'ALTER TABLE a ADD COLUMN note text;\n',
    'migrations/007_add_note_concurrently.sql': '-- drydock:no-transaction\nCREATE INDEX CONCURRENTLY a_note ON a (note);\n',
    'migrations/007_0_add_note_index.sql': '-- drydock:no-transaction\nCREATE UNIQUE INDEX CONCURRENTLY a_id ON a (id);\n',
    'migrations/007_check.sql': 'ALTER TABLE a ADD CONSTRAINT c CHECK (id > 0) NOT VALID;\n',
    'migrations/007_check_validate.sql': 'ALTER TABLE a VALIDATE CONSTRAINT c;\n',
    'migrations/10_target.sql': 'SELECT 1;\n',
    'migrations/9_before.sql': 'SELECT 1;\n',
  }, 'migrations/10_target.sql');
  assert.deepEqual(h.order, ['migrations/007_0_add_note_index.sql', 'migrations/007_add_note.sql', 'migrations/007_add_note_concurrently.sql',
    'migrations/007_check.sql', 'migrations/007_check_validate.sql', 'migrations/9_before.sql']);
});

// The runner fixtures (test/fixtures/runners): each folder's tool, its migrations in the tool's
// order (down scripts left out), and the ones the tool runs outside a transaction.
const RUNNERS: { folder: string; tool: string; order: string[]; noTransaction: string[] }[] = [
  { folder: 'postgres-migrations/migrations/tenant', tool: 'postgres-migrations', order: ['0001-initialmigration.sql', '0002-object-bucket-name-sorting.sql', '00010-objects-owner.sql'], noTransaction: ['0002-object-bucket-name-sorting.sql'] },
  { folder: 'sqlx/migrations', tool: 'sqlx', order: ['20231021111635_initial.up.sql', '20240624085737_build-status-idx.up.sql', '20241018031600_documentation_size.up.sql'], noTransaction: ['20240624085737_build-status-idx.up.sql'] },
  { folder: 'atlas/migrations', tool: 'atlas', order: ['20240115180414_init.sql', '20240228050417_v0_13_2.sql', '20240229232811_v0_14_0.sql'], noTransaction: ['20240228050417_v0_13_2.sql'] },
  { folder: 'goose/migrations', tool: 'goose', order: ['20240115180414_init.sql', '20240122014727_v0_6_0.sql', '20240126235456_v0_7_0.sql'], noTransaction: ['20240122014727_v0_6_0.sql'] },
  { folder: 'flyway/migrations/postgres', tool: 'flyway', order: ['V1_1__initial.sql', 'V1_2__queues_index.sql', 'V1_10__queues_updated.sql'], noTransaction: ['V1_2__queues_index.sql'] },
  { folder: 'sql-migrate/migrations', tool: 'sql-migrate', order: ['1_initial_schema.sql', '2_trades_index.sql', '10_to_millis.sql'], noTransaction: ['2_trades_index.sql'] },
  { folder: 'tern/migrations', tool: 'tern', order: ['001_create_chatthreads.sql', '002_recent_idx.sql'], noTransaction: ['002_recent_idx.sql'] },
  { folder: 'node-pg-migrate/migrations', tool: 'node-pg-migrate', order: ['1700000000000_init.sql', '1700000000001_email_index.sql'], noTransaction: [] },
];

test('runners Drydock learned: each fixture folder\'s tool, its order, and the migrations its tool runs outside a transaction', () => {
  for (const expected of RUNNERS) {
    const root = path.join(repoRoot, 'test', 'fixtures', 'runners', ...expected.folder.split('/'));
    const found = migrationsIn(root);
    const name = (m: { file: string }) => path.basename(m.file);
    assert.deepEqual({ folder: expected.folder, tool: found.tool, order: found.migrations.map(name), noTransaction: found.migrations.filter((m) => m.noTransaction).map(name) }, expected);
  }
});

test('a tool\'s own evidence outweighs the names another tool shares: sqlx\'s NNN_x.up.sql is not golang-migrate, a package.json naming no tool changes nothing', () => {
  const sqlx = history({ 'migrations/1_a.up.sql': '-- Add up migration script here\nCREATE TABLE a (id int);\n', 'migrations/1_a.down.sql': 'DROP TABLE a;\n', 'migrations/2_b.up.sql': 'SELECT 1;\n' }, 'migrations/2_b.up.sql');
  assert.equal(sqlx.tool, 'sqlx');
  const golang = history({ 'package.json': '{"dependencies":{"pg":"^8"}}', 'migrations/1_a.up.sql': 'CREATE TABLE a (id int);\n', 'migrations/1_a.down.sql': 'DROP TABLE a;\n', 'migrations/2_b.up.sql': 'SELECT 1;\n' }, 'migrations/2_b.up.sql');
  assert.equal(golang.tool, 'golang-migrate');
  // A goose folder whose project also depends on node-pg-migrate is goose's: its migrations say so.
  const goose = history({ 'package.json': '{"devDependencies":{"node-pg-migrate":"^7"}}', 'db/1_a.sql': '-- +goose Up\nCREATE TABLE a (id int);\n', 'db/2_b.sql': '-- +goose Up\nSELECT 1;\n' }, 'db/2_b.sql');
  assert.equal(goose.tool, 'goose');
  // atlas.sum beside up/down pairs: Atlas wrote the folder in golang-migrate's format, for golang-migrate (openmeter); the down files never run.
  const atlasWritten = history({ 'migrations/atlas.sum': 'h1:x=\n', 'migrations/20240101000000_a.up.sql': 'CREATE TABLE a (id int);\n', 'migrations/20240101000000_a.down.sql': 'DROP TABLE a;\n', 'migrations/20240102000000_b.up.sql': 'SELECT 1;\n' }, 'migrations/20240102000000_b.up.sql');
  assert.equal(atlasWritten.tool, 'golang-migrate');
  assert.deepEqual(atlasWritten.order, ['migrations/20240101000000_a.up.sql']);
});
