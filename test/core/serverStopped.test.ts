import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runMigrations } from '../../src/core/run/runner';
import { fixture } from '../support/database';
import { defaultServer, startPostgres } from '../support/throwawayPostgres';
import { pgBackend } from '../../src/core/db/pg/pgBackend';

// This test kills its server, so it has a cluster of its own.
test('a server stopped mid-run is an operational failure, reported without crashing', async () => {
  const server = await startPostgres(defaultServer());
  try {
    const database = await server.createDatabase();
    const pending = runMigrations([fixture('slow.sql')], {
      mode: 'apply',
      backend: pgBackend({ connectionString: server.url(database) }),
      onProgress: (p) => { if (p.statementIndex === 1) setTimeout(() => void server.kill(), 300); },
    });
    const report = await pending;
    assert.equal(report.outcome, 'failed');
    assert.equal(report.committed, false);
    const failed = report.statements[1]!;
    assert.equal(failed.status, 'failed');
    assert.equal(failed.error!.category, 'operational');
    assert.equal(failed.error!.label, 'Service temporarily unavailable');
    assert.match(failed.error!.sqlstate, /^(08|57)/);
    assert.doesNotMatch(JSON.stringify(report), new RegExp(server.password));
  } finally {
    await server.stop();
  }
});
