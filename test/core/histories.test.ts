// Whole histories in the shapes real projects write them (test/fixtures/histories): psql applies
// each in one transaction; a Drydock dry-run of the same files must succeed with no failing
// verification, and `verify` of the psql-built database must report nothing false either. The
// larger public histories go through the same check in bench/history.bench.ts.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { pgBackend } from '../../src/core/db/pg/pgBackend';
import { runMigrations } from '../../src/core/run/runner';
import { describeEachServer, repoRoot, sql } from '../support/database';
import { failingChecks, historyBookkeeping, historyFiles, runsOutsideTransaction, type HistoryLayout } from '../support/histories';
import { psqlFiles } from '../support/psql';
import { scratchMigrations } from '../support/scratchMigrations';

/** `silent`: rules that must report nothing on the history (each was a false finding there). */
const HISTORIES: { layout: HistoryLayout; dir?: string; dropped: number; silent?: string[] }[] = [
  { layout: 'prisma', dropped: 5 },
  { layout: 'diesel', dropped: 4 },
  // Flyway: CREATE TABLE IF NOT EXISTS blocks repeated in one file.
  { layout: 'plain', dir: 'kestra', dropped: 0, silent: ['require-concurrent-index-creation', 'require-statement-timeout'] },
  // Atlas in golang-migrate's format: a pg_dump-printed CHECK, a pg_temp function, temporary work tables.
  { layout: 'golang-migrate', dir: 'openmeter', dropped: 0, silent: ['ban-drop-table', 'require-lock-timeout'] },
  // sql-migrate, Up sections only: an index replaced under its name, a USING INDEX constraint dropped with its column.
  { layout: 'sql-migrate', dir: 'convoy', dropped: 3 },
];

const writeFiles = scratchMigrations('histories');

describeEachServer('whole histories', (server) => {
  for (const { layout, dir, dropped, silent = [] } of HISTORIES) {
    test(`${dir ?? layout}: a dry-run succeeds with every verification true, and verify of the psql-built database agrees`, async () => {
      const read = historyFiles(path.join(repoRoot, 'test', 'fixtures', 'histories', dir ?? layout), layout);
      // What runs forward, on disk for psql (a sql-migrate file's Down section is left out).
      const files = layout === 'sql-migrate' ? writeFiles(Object.fromEntries(read.map((f) => [path.basename(f.path), f.text]))) : read;
      const database = async () => {
        const url = server().url(await server().createDatabase());
        const bookkeeping = historyBookkeeping(layout);
        if (bookkeeping) await sql(url, bookkeeping);
        return url;
      };
      const built = await database();
      // psql -1 cannot apply migrations the tool runs outside a transaction (CONCURRENTLY): then each by its own psql, as the tool does.
      const outside = files.filter((f) => runsOutsideTransaction(f, layout));
      const batches = outside.length === 0 ? [files] : files.map((f) => [f]);
      for (const batch of batches) {
        const reference = await psqlFiles(built, batch.map((f) => f.path), { singleTransaction: !outside.includes(batch[0]!) });
        assert.equal(reference.code, 0, reference.stderr);
      }

      const dry = await runMigrations(files, { mode: 'dry-run', backend: pgBackend({ connectionString: await database() }) });
      assert.equal(dry.outcome, 'succeeded', JSON.stringify(dry.error));
      assert.deepEqual(failingChecks(dry.verification), []);
      assert.deepEqual(dry.diagnostics.filter((f) => silent.includes(f.ruleId)).map((f) => `${f.ruleId}: ${f.message}`), []);
      assert.equal(dry.verification.filter((c) => c.status === 'dropped').length, dropped, JSON.stringify(dry.verification.map((c) => `${c.name} ${c.status}`)));

      const verify = await runMigrations(files, { mode: 'verify', backend: pgBackend({ connectionString: built }) });
      assert.equal(verify.outcome, 'succeeded', JSON.stringify(verify.error));
      assert.deepEqual(failingChecks(verify.verification), []);
      assert.deepEqual(verify.verification.map((c) => c.status), dry.verification.map((c) => c.status));
    });
  }
});
