// Shadow dry-runs on real PGlite: the history before the target applied as its tool applies it
// (each migration committed, bookkeeping first), the target dry-run with the full report, earlier
// failures reported as such, and the snapshot cache restoring the longest prefix.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { runMigrations } from '../../../src/core/run/runner';
import { PgliteShadow } from '../../../src/core/shadow/pgliteShadow';
import { pgliteBackend } from '../../../src/core/db/pglite/pgliteBackend';
import { PgliteInstance } from '../../../src/core/db/pglite/pgliteInstance';
import { runShadowDryRun } from '../../../src/core/shadow/shadowRun';
import { listing, relativeTo, target, writeFolder } from './folders';

const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'drydock-shadow-cache-'));
const shadow = new PgliteShadow({ cacheDir });
after(async () => {
  await shadow.close();
  fs.rmSync(cacheDir, { recursive: true, force: true });
});

const DIESEL = {
  'diesel.toml': '[print_schema]\nfile = "src/schema.rs"\n',
  'migrations/00000000000000_diesel_initial_setup/up.sql': 'CREATE OR REPLACE FUNCTION diesel_manage_updated_at(_tbl regclass) RETURNS VOID AS $$ BEGIN END; $$ LANGUAGE plpgsql;\n',
  'migrations/00000000000000_diesel_initial_setup/down.sql': 'DROP FUNCTION diesel_manage_updated_at(regclass);\n',
  'migrations/2020-01-01-000000_mood/up.sql': "CREATE TYPE mood AS ENUM ('ok');\nCREATE TABLE people (id serial PRIMARY KEY, mood mood NOT NULL);\n",
  'migrations/2020-01-01-000000_mood/down.sql': 'DROP TABLE people; DROP TYPE mood;\n',
  'migrations/2020-01-02-000000_add_value/up.sql': "ALTER TYPE mood ADD VALUE 'happy';\n",
  'migrations/2020-01-02-000000_add_value/down.sql': '',
  'migrations/2020-01-03-000000_use_value/up.sql': "INSERT INTO people (mood) VALUES ('happy');\nSELECT count(*) FROM __diesel_schema_migrations;\n",
  'migrations/2020-01-03-000000_use_value/down.sql': '',
};

describe('PGlite shadow', () => {
  test('diesel: earlier migrations are committed one by one (an enum value added earlier is usable: no 55P04), and the bookkeeping table exists', async () => {
    const root = writeFolder(DIESEL);
    const files = ['2020-01-02-000000_add_value', '2020-01-03-000000_use_value'].map((d) => target(root, `migrations/${d}/up.sql`));
    // The same two files in one rolled-back transaction cannot use the value the first one adds.
    const instance = await PgliteInstance.boot({ dataDir: null, extensions: [] });
    try {
      const backend = pgliteBackend(instance);
      const session = await backend.openSession();
      await session.execScript("CREATE TYPE mood AS ENUM ('ok'); CREATE TABLE people (id serial PRIMARY KEY, mood mood NOT NULL); CREATE TABLE __diesel_schema_migrations (version text)");
      await session.close();
      const together = await runMigrations(files, { mode: 'dry-run', backend });
      assert.equal(together.error?.sqlstate, '55P04');
    } finally {
      await instance.close();
    }
    const report = await runShadowDryRun([files[1]!], { host: shadow, displayPath: relativeTo(root) });
    assert.equal(report.outcome, 'succeeded', JSON.stringify(report.error));
    assert.equal(report.committed, false);
    assert.equal(report.shadow?.tool, 'diesel');
    assert.equal(report.shadow?.history, 3);
    assert.match(report.shadow?.label ?? '', /^PGlite 18\.\d+$/);
    assert.deepEqual(report.statements.map((s) => s.status), ['ok', 'ok']);
    assert.equal(report.statements[1]?.rows, 1, 'the target can select from the bookkeeping table diesel creates');
  });

  test('an error in an earlier migration is reported as the history\'s, at its line, and the target still runs on the state before it', async () => {
    const root = writeFolder({
      'migrations/001_accounts.sql': 'CREATE TABLE accounts (id int PRIMARY KEY);\n',
      'migrations/002_broken.sql': '-- a comment\n\nALTER TABLE acounts ADD COLUMN email text;\n',
      'migrations/003_target.sql': 'ALTER TABLE accounts ADD COLUMN name text;\n',
    });
    const report = await runShadowDryRun([target(root, 'migrations/003_target.sql')], { host: shadow, displayPath: relativeTo(root) });
    assert.equal(report.outcome, 'succeeded', JSON.stringify(report.error));
    assert.equal(report.error, undefined);
    assert.equal(report.historyFailure?.error.sqlstate, '42P01');
    assert.match(report.historyFailure?.error.message ?? '', /^earlier migration migrations\/002_broken\.sql:3 failed: relation "acounts" does not exist/);
    assert.equal(report.historyFailure?.error.file, 'migrations/002_broken.sql');
    assert.deepEqual(report.statements.map((s) => s.status), ['ok']);
    assert.match(report.server?.version ?? '', /^18\./);
  });

  test('an earlier migration that is not UTF-8 text (invalid bytes, a NUL) fails at that line as the shadow\'s error, and is not counted as applied', async () => {
    const cases = [
      { tool: 'plain', dir: 'migrations', bad: Buffer.from([0xc3, 0x28]), first: '001_accounts.sql', broken: '002_binary.sql', next: '003_target.sql' },
      { tool: 'dbmate', dir: 'db/migrations', bad: Buffer.from([0x00]), first: '20240101000000_accounts.sql', broken: '20240102000000_binary.sql', next: '20240103000000_target.sql' },
    ];
    for (const c of cases) {
      const up = c.tool === 'dbmate' ? '-- migrate:up\n' : '';
      const root = writeFolder({
        [`${c.dir}/${c.first}`]: `${up}CREATE TABLE accounts (id int);\n`,
        [`${c.dir}/${c.next}`]: `${up}ALTER TABLE accounts ADD COLUMN name text;\n`,
      });
      fs.writeFileSync(path.join(root, c.dir, c.broken), Buffer.concat([Buffer.from(`${up}CREATE TABLE b (id int);\n-- `), c.bad, Buffer.from('\n')]));
      const report = await runShadowDryRun([target(root, `${c.dir}/${c.next}`)], { host: shadow, displayPath: relativeTo(root) });
      const line = c.tool === 'dbmate' ? 3 : 2;
      assert.equal(report.outcome, 'succeeded', `${c.tool}: ${JSON.stringify(report)}`);
      assert.equal(report.shadow?.tool, c.tool);
      assert.equal(report.historyFailure?.error.sqlstate, '22021', c.tool);
      assert.equal(report.historyFailure?.file, `${c.dir}/${c.broken}`, c.tool);
      assert.match(report.historyFailure?.error.message ?? '', new RegExp(`^earlier migration ${c.dir}/${c.broken}:${line} failed: the file is not UTF-8 text`), c.tool);
      assert.equal(report.shadow?.replayed, 1, `${c.tool}: the binary migration is not counted as applied`);
      assert.deepEqual(report.statements.map((s) => s.status), ['ok'], c.tool);
    }
  });

  test('the snapshot cache: a new host restores the longest cached prefix and replays only what changed', async () => {
    const root = writeFolder({
      'migrations/001_a.sql': 'CREATE TABLE a (id int);\n',
      'migrations/002_b.sql': 'CREATE TABLE b (id int);\n',
      'migrations/003_c.sql': 'CREATE TABLE c (id int);\n',
      'migrations/004_target.sql': 'ALTER TABLE c ADD COLUMN x int;\n',
    });
    // A compressed snapshot an earlier Drydock wrote is never read, and goes when the cache is pruned.
    fs.mkdirSync(cacheDir, { recursive: true });
    fs.writeFileSync(path.join(cacheDir, `${'0'.repeat(64)}.tar.gz`), 'from an earlier version');
    const first = await runShadowDryRun([target(root, 'migrations/004_target.sql')], { host: shadow, displayPath: relativeTo(root) });
    assert.equal(first.outcome, 'succeeded', JSON.stringify(first.error));
    assert.equal(first.shadow?.replayed, 3);
    await shadow.close(); // the snapshot is written in the background until then
    const fresh = new PgliteShadow({ cacheDir });
    try {
      const warm = await runShadowDryRun([target(root, 'migrations/004_target.sql')], { host: fresh, displayPath: relativeTo(root) });
      assert.equal(warm.outcome, 'succeeded');
      assert.deepEqual([warm.shadow?.restored, warm.shadow?.replayed], [3, 0]);
      // A new migration after the cached ones: the cached prefix is restored, one migration replayed.
      fs.writeFileSync(path.join(root, 'migrations', '004_target.sql'), 'CREATE TABLE d (id int);\n');
      fs.writeFileSync(path.join(root, 'migrations', '005_next.sql'), 'ALTER TABLE d ADD COLUMN y int;\n');
      const fresh2 = new PgliteShadow({ cacheDir });
      try {
        await fresh.close();
        const next = await runShadowDryRun([target(root, 'migrations/005_next.sql')], { host: fresh2, displayPath: relativeTo(root) });
        assert.equal(next.outcome, 'succeeded', JSON.stringify(next.error));
        assert.deepEqual([next.shadow?.restored, next.shadow?.replayed], [3, 1]);
      } finally {
        await fresh2.close();
      }
    } finally {
      await fresh.close();
    }
    assert.ok(listing(cacheDir).every((f) => /\.tar /.test(f)), 'only snapshots are written to the cache dir');
  });

  test('sqitch scripts run with their own BEGIN/COMMIT, Flyway and graphile-migrate write their bookkeeping, dbmate runs only up sections', async () => {
    // Each target selects from what the replay must have made (the bookkeeping, or the earlier table).
    const cases: { files: Record<string, string>; target: string; tool: string }[] = [
      {
        files: {
          'sqitch.plan': '%syntax-version=1.0.0\n%project=app\n\nusers 2024-01-01T00:00:00Z Me <me@x> # users\ntarget 2024-01-02T00:00:00Z Me <me@x>\n',
          'deploy/users.sql': '-- Deploy users to pg\n\nBEGIN;\n\nCREATE TABLE users (id int);\n\nCOMMIT;\n',
          'deploy/target.sql': 'SELECT count(*) FROM users;\n',
        },
        target: 'deploy/target.sql', tool: 'sqitch',
      },
      {
        files: { 'sql/V1__users.sql': 'CREATE TABLE users (id int);\n', 'sql/V2__target.sql': 'SELECT count(*) FROM flyway_schema_history;\n' },
        target: 'sql/V2__target.sql', tool: 'flyway',
      },
      {
        files: {
          '.gmrc': '{}\n',
          'migrations/committed/000001.sql': '--! Previous: -\n--! Hash: sha1:1\nCREATE TABLE users (id int);\nCREATE INDEX users_id ON users (id);\n',
          'migrations/current.sql': 'SELECT count(*) FROM graphile_migrate.migrations;\n',
        },
        target: 'migrations/current.sql', tool: 'graphile',
      },
      {
        files: {
          'db/migrations/20240101000000_users.sql': '-- migrate:up\nCREATE TABLE users (id int);\n-- migrate:down\nDROP TABLE users;\n',
          'db/migrations/20240102000000_target.sql': '-- migrate:up\nSELECT count(*) FROM schema_migrations JOIN users ON true;\n-- migrate:down\n',
        },
        target: 'db/migrations/20240102000000_target.sql', tool: 'dbmate',
      },
    ];
    for (const c of cases) {
      const root = writeFolder(c.files);
      const report = await runShadowDryRun([target(root, c.target)], { host: shadow, displayPath: relativeTo(root) });
      assert.equal(report.outcome, 'succeeded', `${c.tool}: ${JSON.stringify(report.error)}`);
      assert.deepEqual([report.shadow?.tool, report.shadow?.history, report.statements[0]?.status], [c.tool, 1, 'ok'], c.tool);
    }
  });

  test('golang-migrate: the up scripts in order, schema_migrations holding the version applied last, a lone CONCURRENTLY statement replayed', async () => {
    const root = writeFolder({
      'db/migrations/0001_users.up.sql': 'CREATE TABLE users (id int, email text);\n',
      'db/migrations/0001_users.down.sql': 'DROP TABLE users;\n',
      'db/migrations/0002_index.up.sql': 'CREATE INDEX CONCURRENTLY users_email ON users (email);\n',
      'db/migrations/0002_index.down.sql': 'DROP INDEX users_email;\n',
      'db/migrations/0003_target.up.sql': 'SELECT version FROM schema_migrations WHERE NOT dirty AND version = 2;\nDROP INDEX users_email;\n',
    });
    const report = await runShadowDryRun([target(root, 'db/migrations/0003_target.up.sql')], { host: shadow, displayPath: relativeTo(root) });
    assert.equal(report.outcome, 'succeeded', JSON.stringify(report.error));
    assert.deepEqual([report.shadow?.tool, report.shadow?.history, report.statements[0]?.rows, report.statements[1]?.status], ['golang-migrate', 2, 1, 'ok']);
  });

  test('Prisma: migrations/<timestamp>_name/migration.sql in order, with _prisma_migrations; goose: a NO TRANSACTION migration replays outside a transaction', async () => {
    const prisma = writeFolder({
      'prisma/migrations/migration_lock.toml': 'provider = "postgresql"\n',
      'prisma/migrations/20240101000000_init/migration.sql': 'CREATE TABLE "User" (id serial PRIMARY KEY, email text);\n',
      'prisma/migrations/20240102000000_email/migration.sql': 'CREATE UNIQUE INDEX "User_email_key" ON "User"(email);\n',
      'prisma/migrations/20240103000000_target/migration.sql': 'SELECT count(*) FROM "_prisma_migrations";\nALTER TABLE "User" ADD COLUMN name text;\n',
    });
    const p = await runShadowDryRun([target(prisma, 'prisma/migrations/20240103000000_target/migration.sql')], { host: shadow, displayPath: relativeTo(prisma) });
    assert.equal(p.outcome, 'succeeded', JSON.stringify(p.error));
    assert.deepEqual([p.shadow?.tool, p.shadow?.history, p.statements[0]?.rows], ['prisma', 2, 1]);
    const goose = writeFolder({
      'db/00001_users.sql': '-- +goose Up\nCREATE TABLE users (id int, email text);\n-- +goose Down\nDROP TABLE users;\n',
      'db/00002_index.sql': '-- +goose NO TRANSACTION\n-- +goose Up\nCREATE INDEX CONCURRENTLY users_email ON users (email);\n-- +goose Down\nDROP INDEX users_email;\n',
      'db/00003_target.sql': '-- +goose Up\nSELECT count(*) FROM goose_db_version;\nDROP INDEX users_email;\n-- +goose Down\n',
    });
    const g = await runShadowDryRun([target(goose, 'db/00003_target.sql')], { host: shadow, displayPath: relativeTo(goose) });
    assert.equal(g.outcome, 'succeeded', JSON.stringify(g.error));
    assert.deepEqual([g.shadow?.tool, g.shadow?.history, g.statements[0]?.rows], ['goose', 2, 1]);
  });
});
