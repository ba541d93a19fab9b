// Deep statements on the PGlite shadow. PGlite runs out of its WebAssembly stack long before
// PostgreSQL does (a few hundred to a few thousand terms of `1+1+…`, depending on the statement and
// on how V8 compiled PGlite, where PostgreSQL runs 5,000), and swallows that: the statement, and the
// rest of a file sent as one query, vanished without an error. Drydock reports it plainly, and
// never uses that instance again.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { PgliteShadow } from '../../../src/core/shadow/pgliteShadow';
import { runShadowDryRun } from '../../../src/core/shadow/shadowRun';
import { plus } from '../../support/deepSql';
import { relativeTo, target, writeFolder } from './folders';

const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'drydock-deep-shadow-'));
const shadow = new PgliteShadow({ cacheDir });
after(async () => {
  await shadow.close();
  fs.rmSync(cacheDir, { recursive: true, force: true });
});

describe('deep statements on the PGlite shadow', () => {
  test('what fits PGlite\'s stack runs; what does not fails there with a 58000 that says so (not a misleading 26000), and the next run starts afresh', async () => {
    const root = writeFolder({
      'migrations/001_t.sql': 'CREATE TABLE t (a int);\n',
      'migrations/002_fits.sql': `INSERT INTO t SELECT ${plus(100)};\n`,
      'migrations/003_too_deep.sql': `INSERT INTO t SELECT 1;\nSELECT ${plus(20000)};\n`,
    });
    const fits = await runShadowDryRun([target(root, 'migrations/002_fits.sql')], { host: shadow, displayPath: relativeTo(root) });
    assert.equal(fits.outcome, 'succeeded', JSON.stringify(fits.error));
    assert.equal(fits.statements[0]!.rows, 1);

    const tooDeep = await runShadowDryRun([target(root, 'migrations/003_too_deep.sql')], { host: shadow, displayPath: relativeTo(root) });
    assert.equal(tooDeep.outcome, 'failed');
    assert.equal(tooDeep.error?.sqlstate, '58000', JSON.stringify(tooDeep.error));
    assert.match(tooDeep.error?.message ?? '', /PGlite ran out of stack running this statement/);
    assert.match(tooDeep.error?.hint ?? '', /--shadow-db/);
    assert.deepEqual(tooDeep.error?.position, { line: 2, column: 1 });
    assert.deepEqual(tooDeep.statements.map((s) => s.status), ['ok', 'failed']);

    // The instance that overflowed is not reused: the same target on the same host starts from a fresh one.
    const again = await runShadowDryRun([target(root, 'migrations/002_fits.sql')], { host: shadow, displayPath: relativeTo(root) });
    assert.equal(again.outcome, 'succeeded', JSON.stringify(again.error));
    assert.ok((again.shadow?.bootMs ?? 0) > 0, 'booted afresh');
  });

  test('an earlier migration sent as one query with a statement too deep for PGlite fails at its line; the rest of it is not silently dropped', async () => {
    const root = writeFolder({
      'migrations/1_t.up.sql': 'CREATE TABLE t (a int);\n',
      'migrations/1_t.down.sql': 'DROP TABLE t;\n',
      'migrations/2_deep.up.sql': `INSERT INTO t VALUES (1);\nINSERT INTO t SELECT ${plus(20000)};\nCREATE TABLE after_deep (a int);\n`,
      'migrations/2_deep.down.sql': '',
      'migrations/3_target.up.sql': 'SELECT count(*) FROM after_deep;\n',
      'migrations/3_target.down.sql': '',
    });
    const report = await runShadowDryRun([target(root, 'migrations/3_target.up.sql')], { host: shadow, displayPath: relativeTo(root) });
    assert.equal(report.shadow?.tool, 'golang-migrate');
    assert.equal(report.historyFailure?.error.sqlstate, '58000', JSON.stringify(report.historyFailure));
    assert.match(report.historyFailure?.error.message ?? '', /^earlier migration migrations\/2_deep\.up\.sql(:\d+)? failed: PGlite ran out of stack/);
    // The target runs on the state before 2_deep (a fresh instance): nothing of 2_deep is there, after_deep neither.
    assert.equal(report.outcome, 'failed');
    assert.equal(report.error?.sqlstate, '42P01', JSON.stringify(report.error));
    assert.equal(report.error?.file, 'migrations/3_target.up.sql');
  });
});
