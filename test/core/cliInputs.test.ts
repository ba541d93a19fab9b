// Inputs the CLI must read as the user meant them or refuse plainly: timeouts PostgreSQL would
// turn off or refuse mid-run are usage errors before anything connects; a drydock.json with a
// UTF-8 byte order mark is read.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { MAX_TIMEOUT_MS, timeoutMs } from '../../src/core/model/durations';
import { DEFAULT_SETTINGS, withDefaults } from '../../src/core/model/settings';
import { describeEachServer } from '../support/database';
import { runCli } from '../support/cli';
import { defaultServer } from '../support/throwawayPostgres';

test('timeouts: whole milliseconds from 0 (off) to INT_MAX; under 1 ms, fractions and beyond INT_MAX say why not', () => {
  assert.deepEqual(['0', '1', '1.1s', '0.5s', '2147483647', '1000us', '24d'].map(timeoutMs), [
    { ms: 0 }, { ms: 1 }, { ms: 1_100 }, { ms: 500 }, { ms: MAX_TIMEOUT_MS }, { ms: 1 }, { ms: 2_073_600_000 },
  ]);
  for (const [value, mustBe] of [['400us', /at least 1 ms, or 0/], ['1.5ms', /a whole number/], ['2147483648', /at most 2147483647 ms/], ['25d', /at most/], ['soon', /a number of milliseconds/]] as const) {
    const parsed = timeoutMs(value);
    assert.ok('mustBe' in parsed && mustBe.test(parsed.mustBe), `${value}: ${JSON.stringify(parsed)}`);
  }
  assert.equal(withDefaults({ lockTimeoutMs: '400us' }).lockTimeoutMs, DEFAULT_SETTINGS.lockTimeoutMs, 'the editor setting reads as its default, never as off');
  assert.equal(withDefaults({ statementTimeoutMs: 2 ** 31 }).statementTimeoutMs, DEFAULT_SETTINGS.statementTimeoutMs);
  assert.equal(withDefaults({ lockTimeoutMs: 0 }).lockTimeoutMs, 0, '0 is PostgreSQL\'s own "off", asked for in so many words');
});

describeEachServer('CLI inputs', (server) => {
  let dir = '';
  let url = '';
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drydock-inputs-'));
    url = server().url(await server().createDatabase());
    fs.writeFileSync(path.join(dir, '001_show.sql'),
      "DO $$ BEGIN RAISE NOTICE 'lock_timeout=% statement_timeout=%', current_setting('lock_timeout'), current_setting('statement_timeout'); END $$;\n");
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('--lock-timeout 400us and --lock-timeout 2147483648 are usage errors (exit 2) before connecting; so is --statement-timeout 0.5ms', async () => {
    for (const [option, value, why] of [
      ['--lock-timeout', '400us', /--lock-timeout must be at least 1 ms, or 0 to turn it off, got 400us: .*would read this as 0, which turns it off/],
      ['--lock-timeout', '2147483648', /--lock-timeout must be at most 2147483647 ms \(about 24\.8 days\), got 2147483648/],
      ['--statement-timeout', '0.5ms', /--statement-timeout must be at least 1 ms, or 0 to turn it off, got 0\.5ms/],
      ['--statement-timeout', '1.5ms', /--statement-timeout must be a whole number of milliseconds, got 1\.5ms/],
    ] as const) {
      const result = await runCli(['dry-run', option, value, '--db', url, path.join(dir, '001_show.sql')]);
      assert.equal(result.code, 2, `${option} ${value}: ${result.stdout}${result.stderr}`);
      assert.match(result.stderr, why);
      assert.equal(result.stdout, '', 'nothing ran');
    }
  });

  test('no false alarm: 0, whole milliseconds, units and INT_MAX reach the server as given', async () => {
    for (const [lock, statement, shown] of [
      ['0', '1.5s', 'lock_timeout=0 statement_timeout=1500ms'],
      ['2147483647', '1min', 'lock_timeout=2147483647ms statement_timeout=1min'],
      ['250', '5000000us', 'lock_timeout=250ms statement_timeout=5s'],
    ] as const) {
      const result = await runCli(['dry-run', '--lock-timeout', lock, '--statement-timeout', statement, '--db', url, path.join(dir, '001_show.sql')]);
      assert.equal(result.code, 0, result.stdout + result.stderr);
      assert.match(result.stdout, new RegExp(`NOTICE: ${shown}$`, 'm'));
    }
  });

  test('a drydock.json with a UTF-8 byte order mark is read (check and dry-run honour it)', async () => {
    const project = fs.mkdtempSync(path.join(os.tmpdir(), 'drydock-bom-'));
    try {
      fs.writeFileSync(path.join(project, '001_drop.sql'), 'CREATE TABLE gone (id bigint);\nDROP TABLE gone;\n');
      fs.writeFileSync(path.join(project, 'drydock.json'), '\uFEFF{ "rules": { "ban-drop-table": "off" } }\n');
      const check = await runCli(['check', path.join(project, '001_drop.sql')]);
      assert.equal(check.code, 0, check.stdout + check.stderr);
      assert.doesNotMatch(check.stdout, /ban-drop-table/);
      const run = await runCli(['dry-run', '--db', url, path.join(project, '001_drop.sql')]);
      assert.equal(run.code, 0, run.stdout + run.stderr);
      assert.doesNotMatch(run.stdout, /ban-drop-table/);
    } finally {
      fs.rmSync(project, { recursive: true, force: true });
    }
  });
}, [defaultServer()]);
