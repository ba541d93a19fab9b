import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import * as vscode from 'vscode';
import type { RunReport } from '../../../src/core/model/report';
import { addConnection, fixture, query, tableExists, useRunFixture, waitFor } from '../support';

describe('cancel', () => {
  const f = useRunFixture();

  it('cancel stops a long apply and rolls it back: the table its first statement created is not committed', async () => {
    // An apply commits when it finishes, so only a working cancel keeps slow_marker out of the database.
    await addConnection('dev-cancel', f.database, true);
    const running = vscode.commands.executeCommand<RunReport>('drydock.applyMigration', fixture('slow/slow.sql'));
    await waitFor('the sleep to start', async () => {
      const rows = await query('postgres', "SELECT 1 FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(30)%' AND state = 'active'");
      return rows.length > 0;
    });
    await vscode.commands.executeCommand('drydock.cancelRun');
    const report = await running;
    assert.equal(report?.mode, 'apply');
    assert.equal(report.outcome, 'cancelled');
    assert.equal(report.committed, false);
    assert.equal(f.prompts.length, 1, 'the apply was not confirmed through the dialog');
    assert.equal(await tableExists(f.database, 'slow_marker'), false, 'the cancelled apply committed its first statement');
  });
});
