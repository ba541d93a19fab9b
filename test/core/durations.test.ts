import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDurationMs } from '../../src/core/model/durations';
import { DEFAULT_SETTINGS, withDefaults } from '../../src/core/model/settings';

test('durations: milliseconds as numbers or plain digits, or with PostgreSQL\'s units', () => {
  assert.deepEqual(['2s', '500ms', '1min', '1.5s', '2 h', '1d', '250', '750us'].map(parseDurationMs), [2_000, 500, 60_000, 1_500, 7_200_000, 86_400_000, 250, 0.75]);
  assert.equal(parseDurationMs(1200), 1200);
});

test('durations: anything else is refused (null), never guessed', () => {
  for (const bad of ['soon', '2 seconds', '-1s', '1m', '', 's', '1 2']) assert.equal(parseDurationMs(bad), null, bad);
  assert.equal(parseDurationMs(-5), null);
  assert.equal(parseDurationMs(Number.NaN), null);
});

test('settings take durations with units and fall back to the default for invalid ones', () => {
  assert.equal(withDefaults({ lockTimeoutMs: '2s', statementTimeoutMs: '1min' }).lockTimeoutMs, 2_000);
  assert.equal(withDefaults({ statementTimeoutMs: '1min' }).statementTimeoutMs, 60_000);
  assert.equal(withDefaults({ lockTimeoutMs: 'soon' }).lockTimeoutMs, DEFAULT_SETTINGS.lockTimeoutMs);
});
