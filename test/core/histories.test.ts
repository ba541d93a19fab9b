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
import { failingChecks, historyBookkeeping, historyFiles, type HistoryLayout } from '../support/histories';
import { psqlFiles } from '../support/psql';

const HISTORIES: { layout: HistoryLayout; dropped: number }[] = [
  { layout: 'prisma', dropped: 5 },
  { layout: 'diesel', dropped: 4 },
];

describeEachServer('whole histories', (server) => {
  for (const { layout, dropped } of HISTORIES) {
    test(`${layout}: a dry-run succeeds with every verification true, and verify of the psql-built database agrees`, async () => {
      const files = historyFiles(path.join(repoRoot, 'test', 'fixtures', 'histories', layout), layout);
      const database = async () => {
        const url = server().url(await server().createDatabase());
        const bookkeeping = historyBookkeeping(layout);
        if (bookkeeping) await sql(url, bookkeeping);
        return url;
      };
      const built = await database();
      const reference = await psqlFiles(built, files.map((f) => f.path), { singleTransaction: true });
      assert.equal(reference.code, 0, reference.stderr);

      const dry = await runMigrations(files, { mode: 'dry-run', backend: pgBackend({ connectionString: await database() }) });
      assert.equal(dry.outcome, 'succeeded', JSON.stringify(dry.error));
      assert.deepEqual(failingChecks(dry.verification), []);
      assert.equal(dry.verification.filter((c) => c.status === 'dropped').length, dropped, JSON.stringify(dry.verification.map((c) => `${c.name} ${c.status}`)));

      const verify = await runMigrations(files, { mode: 'verify', backend: pgBackend({ connectionString: built }) });
      assert.equal(verify.outcome, 'succeeded', JSON.stringify(verify.error));
      assert.deepEqual(failingChecks(verify.verification), []);
      assert.deepEqual(verify.verification.map((c) => c.status), dry.verification.map((c) => c.status));
    });
  }
});
