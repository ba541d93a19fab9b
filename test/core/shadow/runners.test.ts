// The runners Drydock learned, replayed for real: each fixture folder (test/fixtures/runners)
// audited on PGlite and on a scratch database of a real PostgreSQL. Each tool's migrations apply as
// the tool applies them (its order, its up sections only, its bookkeeping table, outside a
// transaction where its directive says so: the CONCURRENTLY builds really run and verify), and no
// rule asks for a directive the file already has in its tool's spelling.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import type { AuditReport } from '../../../src/core/model/auditReport';
import { auditHistory } from '../../../src/core/shadow/historyAudit';
import { PgliteShadow } from '../../../src/core/shadow/pgliteShadow';
import { ScratchDatabaseShadow } from '../../../src/core/shadow/scratchDatabase';
import type { ShadowHost } from '../../../src/core/shadow/shadowHost';
import { describeEachServer, repoRoot } from '../../support/database';

/** A check the tool's bookkeeping holds what it records after the migrations before it (a last migration, in the tool's form). */
const RUNNERS: { folder: string; last: string; check: string; indexes: string[] }[] = [
  { folder: 'postgres-migrations/migrations/tenant', last: '00011-check.sql', check: 'SELECT count(*) = 3 FROM migrations', indexes: ['idx_name_bucket_level_unique'] },
  { folder: 'sqlx/migrations', last: '20250101000000_check.up.sql', check: 'SELECT count(*) = 3 FROM _sqlx_migrations', indexes: ['builds_build_status_idx'] },
  { folder: 'atlas/migrations', last: '20250101000000_check.sql', check: 'SELECT count(*) = 3 FROM atlas_schema_revisions.atlas_schema_revisions', indexes: ['StepRun_status_idx'] },
  { folder: 'goose/migrations', last: '20250101000000_check.sql', check: 'SELECT count(*) = 4 FROM goose_db_version', indexes: ['Tenant_slug_idx'] },
  { folder: 'flyway/migrations/postgres', last: 'V1_11__check.sql', check: 'SELECT count(*) = 3 FROM flyway_schema_history', indexes: ['queues_type__offset'] },
  { folder: 'sql-migrate/migrations', last: '11_check.sql', check: 'SELECT count(*) = 3 FROM gorp_migrations', indexes: ['htrd_by_base_asset'] },
  { folder: 'tern/migrations', last: '003_check.sql', check: 'SELECT version = 2 FROM schema_version', indexes: ['chatthreads_most_recent_message_at_idx'] },
  { folder: 'node-pg-migrate/migrations', last: '1700000000002_check.sql', check: 'SELECT count(*) = 2 FROM pgmigrations', indexes: ['accounts_email'] },
];

/** The fixture copied to a temp folder with the check as its last migration (in the tool's own form where it has markers). */
function withCheck(runner: (typeof RUNNERS)[number]): string {
  const source = path.join(repoRoot, 'test', 'fixtures', 'runners', runner.folder.split('/')[0]!);
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'drydock-runner-'));
  fs.cpSync(source, copy, { recursive: true });
  const body = `DO $$ BEGIN IF NOT (${runner.check}) THEN RAISE EXCEPTION 'the bookkeeping does not hold the earlier migrations'; END IF; END $$;\n`;
  const marked = runner.folder.startsWith('goose') ? `-- +goose Up\n-- +goose StatementBegin\n${body}-- +goose StatementEnd\n`
    : runner.folder.startsWith('sql-migrate') ? `-- +migrate Up\n-- +migrate StatementBegin\n${body}-- +migrate StatementEnd\n`
      : runner.folder.startsWith('node-pg-migrate') ? `-- Up Migration\n${body}` : body;
  fs.writeFileSync(path.join(copy, ...runner.folder.split('/').slice(1), runner.last), marked);
  return path.join(copy, ...runner.folder.split('/').slice(1));
}

async function auditEach(host: ShadowHost): Promise<void> {
  for (const runner of RUNNERS) {
    const folder = withCheck(runner);
    const report: AuditReport = await auditHistory({ host, folder, displayPath: (p) => path.relative(folder, p) });
    const where = `${runner.folder}: ${JSON.stringify(report.error ?? report.migrations.filter((m) => m.dryRun !== 'succeeded'))}`;
    assert.equal(report.outcome, 'succeeded', where);
    assert.ok(report.migrations.every((m) => m.applied && m.dryRun === 'succeeded'), where);
    for (const index of runner.indexes) assert.equal(report.verification.find((c) => c.name === index)?.status, 'ok', `${runner.folder}: ${index}`);
    // Its own directive is read: nothing asks for one, and no CONCURRENTLY build is called a transaction's.
    const asked = report.diagnostics.filter((d) => d.ruleId === 'needs-no-transaction' || d.ruleId === 'ban-concurrent-index-creation-in-transaction');
    assert.deepEqual(asked.map((d) => `${d.file}:${d.range.start.line} ${d.ruleId}`), [], runner.folder);
  }
}

const pglite = new PgliteShadow({ cacheDir: null });
after(async () => { await pglite.close(); });

test('PGlite: every runner\'s fixture history applies as its tool applies it, and its no-transaction builds verify', async () => {
  await auditEach(pglite);
});

describeEachServer('runners on a scratch database', (server) => {
  test('every runner\'s fixture history applies as its tool applies it, and its no-transaction builds verify', async () => {
    await auditEach(new ScratchDatabaseShadow({ server: { connectionString: server().url('postgres') } }));
  });
});
