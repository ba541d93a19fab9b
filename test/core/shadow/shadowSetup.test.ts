// The SQL a project's runner sends first (`--shadow-setup`: Supabase Storage's runner sets
// search_path = storage, public) starts every session the shadow runs migrations on: the replay's,
// and the targets' dry-run, which opens a session of its own — also when nothing is replayed (the
// whole folder dry-run) and when a snapshot or the warm instance holds the history already.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import type { ShadowHost } from '../../../src/core/shadow/shadowHost';
import { PgliteShadow } from '../../../src/core/shadow/pgliteShadow';
import { ScratchDatabaseShadow } from '../../../src/core/shadow/scratchDatabase';
import { runShadowDryRun } from '../../../src/core/shadow/shadowRun';
import { describeEachServer } from '../../support/database';
import { relativeTo, target, writeFolder } from './folders';

const SETUP = ['SET search_path = app, public'];
const FILES = {
  'migrations/001_app.sql': 'CREATE SCHEMA IF NOT EXISTS app;\nCREATE TABLE items (id int);\n',
  'migrations/002_column.sql': 'ALTER TABLE items ADD COLUMN note text;\nSELECT current_schema();\n',
};

async function setupReachesTargets(host: ShadowHost): Promise<void> {
  const root = writeFolder(FILES);
  const run = (targets: string[]) => runShadowDryRun(targets.map((t) => target(root, t)), { host, displayPath: relativeTo(root), setup: SETUP });
  // The whole folder: nothing replayed, the targets' session gets the setup all the same.
  const whole = await run(['migrations/001_app.sql', 'migrations/002_column.sql']);
  assert.equal(whole.outcome, 'succeeded', JSON.stringify(whole.error));
  // One target after its history, twice (the second from the warm instance or a snapshot).
  for (let round = 0; round < 2; round++) {
    const one = await run(['migrations/002_column.sql']);
    assert.equal(one.outcome, 'succeeded', JSON.stringify(one.error));
    assert.deepEqual(one.statements.map((s) => s.status), ['ok', 'ok']);
  }
}

describe('the runner\'s setup on PGlite', () => {
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'drydock-shadow-setup-'));
  const host = new PgliteShadow({ cacheDir });
  after(async () => {
    await host.close();
    fs.rmSync(cacheDir, { recursive: true, force: true });
  });
  test('starts the targets\' session too: the whole folder, a target after its history, and again from the kept state', () => setupReachesTargets(host));
});

describeEachServer('the runner\'s setup on a scratch database', (server) => {
  test('starts the targets\' session too: the whole folder, and a target after its history', async () => {
    await setupReachesTargets(new ScratchDatabaseShadow({ server: { connectionString: server().url('postgres') } }));
  });
});
