// Property-based: generated migration folders mixing transaction control, COMMIT inside DO blocks
// and procedures, CONCURRENTLY, enum ADD VALUE, no-transaction directives, COPY and psql
// meta-commands. Whatever the folder, a shadow run ends with a classified outcome (no crash, no
// hang); on a scratch database the development database is unchanged and no scratch database
// remains; on PGlite nothing is written outside the cache dir.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import type { RunReport } from '../../../src/core/model/report';
import { PgliteShadow } from '../../../src/core/shadow/pgliteShadow';
import { ScratchDatabaseShadow, SCRATCH_PREFIX } from '../../../src/core/shadow/scratchDatabase';
import type { ShadowHost } from '../../../src/core/shadow/shadowHost';
import { runShadowDryRun } from '../../../src/core/shadow/shadowRun';
import { catalogSnapshot, sql } from '../../support/database';
import { startPostgres, type ThrowawayPostgres } from '../../support/throwawayPostgres';
import { listing, relativeTo, target, writeFolder } from './folders';

/** Pieces a migration is made of; `n` keeps names unique within a folder. */
const PIECES: readonly ((n: number) => string)[] = [
  (n) => `CREATE TABLE t${n} (id int PRIMARY KEY, v text);`,
  (n) => `BEGIN;\nCREATE TABLE w${n} (id int);\nCOMMIT;`,
  () => 'COMMIT;',
  () => 'DO $$ BEGIN COMMIT; END $$;',
  (n) => `CREATE PROCEDURE p${n}() LANGUAGE plpgsql AS $$ BEGIN COMMIT; END $$;\nCALL p${n}();`,
  (n) => `CREATE TABLE c${n} (id int);\nCREATE INDEX CONCURRENTLY c${n}_id ON c${n} (id);`,
  (n) => `CREATE TYPE e${n} AS ENUM ('a');\nALTER TYPE e${n} ADD VALUE 'b';\nSELECT 'b'::e${n};`,
  (n) => `-- drydock:no-transaction\nCREATE TABLE n${n} (id int);\nCREATE INDEX CONCURRENTLY n${n}_id ON n${n} (id);`,
  (n) => `CREATE TABLE k${n} (id int);\nCOPY k${n} FROM STDIN;`,
  () => '\\set ON_ERROR_STOP on\nSELECT 1;',
  () => 'SELECT * FROM no_such_table;',
];

const folderArbitrary = fc.array(fc.array(fc.integer({ min: 0, max: PIECES.length - 1 }), { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 4 });

function writeGenerated(migrations: number[][]): { root: string; last: string } {
  const files: Record<string, string> = {};
  let n = 0;
  migrations.forEach((pieces, i) => {
    const text = pieces.map((p) => PIECES[p]!(n++)).join('\n');
    // A directive must be the first line to count, as the tools read it.
    files[`migrations/${String(i + 1).padStart(3, '0')}_m.sql`] = text.includes('drydock:no-transaction') ? `-- drydock:no-transaction\n${text}` : text;
  });
  const last = `migrations/${String(migrations.length).padStart(3, '0')}_m.sql`;
  return { root: writeFolder(files), last };
}

const OUTCOMES = new Set(['succeeded', 'failed', 'refused', 'cancelled']);

function assertClassified(report: RunReport): void {
  assert.ok(OUTCOMES.has(report.outcome), `outcome ${report.outcome}`);
  assert.equal(report.committed, false, 'a dry-run committed');
  if (report.outcome === 'failed') {
    assert.ok(report.error, 'a failed run without an error');
    assert.match(report.error.sqlstate, /^[0-9A-Z]{5}$/);
    assert.ok(['integrity', 'operational', 'database'].includes(report.error.category));
  }
  if (report.outcome === 'refused') assert.ok(report.diagnostics.some((d) => d.severity === 'error'));
}

async function withinSeconds<T>(seconds: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`no result within ${seconds} s (a hang)`)), seconds * 1000); });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function runGenerated(host: ShadowHost, migrations: number[][]): Promise<{ report: RunReport; root: string }> {
  const { root, last } = writeGenerated(migrations);
  const report = await withinSeconds(60, runShadowDryRun([target(root, last)], { host, displayPath: relativeTo(root) }));
  return { report, root };
}

describe('shadow properties', () => {
  let server: ThrowawayPostgres;
  before(async () => { server = await startPostgres(); });
  after(async () => { await server.stop(); });

  test('scratch database: every generated folder ends classified, the dev database is unchanged and no drydock_shadow_* remains', async () => {
    const dev = await server.createDatabase();
    await sql(server.url(dev), 'CREATE TABLE keep (id int PRIMARY KEY); CREATE INDEX keep_id ON keep (id);');
    const fingerprint = await catalogSnapshot(server.url(dev));
    const host = new ScratchDatabaseShadow({ server: { connectionString: server.url('postgres') } });
    await fc.assert(fc.asyncProperty(folderArbitrary, async (migrations) => {
      const { report, root } = await runGenerated(host, migrations);
      fs.rmSync(root, { recursive: true, force: true });
      assertClassified(report);
      assert.equal(await catalogSnapshot(server.url(dev)), fingerprint);
      const left = await sql(server.url(), 'SELECT datname FROM pg_database WHERE starts_with(datname, $1)', [SCRATCH_PREFIX]);
      assert.deepEqual(left, []);
    }), { numRuns: 8, seed: 12 });
  });

  test('PGlite: every generated folder ends classified and nothing is written outside the cache dir', async () => {
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'drydock-prop-cache-'));
    const host = new PgliteShadow({ cacheDir });
    try {
      await fc.assert(fc.asyncProperty(folderArbitrary, async (migrations) => {
        const { root, last } = writeGenerated(migrations);
        const before = listing(root);
        const report = await withinSeconds(60, runShadowDryRun([target(root, last)], { host, displayPath: relativeTo(root) }));
        assertClassified(report);
        assert.deepEqual(listing(root), before, 'the shadow wrote into the migrations folder');
        assert.ok(listing(cacheDir).every((f) => /\.tar(\.\d+-\d+-[0-9a-f]+\.partial)? /.test(f)), 'the cache dir holds something other than snapshots (or one being written)');
        fs.rmSync(root, { recursive: true, force: true });
      }), { numRuns: 8, seed: 12 });
    } finally {
      await host.close();
      fs.rmSync(cacheDir, { recursive: true, force: true });
    }
  });
});
