// The server's idle scavenge: it runs where V8 offers its collector, leaves the server's own globals
// as they were, and keeps what is alive alive. (What it is for — checks without a scavenge inside
// them — is a matter of speed, measured by bench/lspLatency.bench.ts, not asserted here.)
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { scavengeWhenIdle } from '../../../src/server/idleScavenge';

test('a scavenge when idle runs after the turn, without a global gc, and keeps live data', async () => {
  const kept = Array.from({ length: 10_000 }, (_, i) => ({ i, text: `statement ${i}` }));
  assert.equal(scavengeWhenIdle(), true, 'Node 20 offers V8\'s collector to a fresh context');
  assert.equal(scavengeWhenIdle(), true, 'a second ask in the same turn is folded into the first');
  await new Promise((resolve) => setImmediate(resolve));
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal((globalThis as { gc?: unknown }).gc, undefined, 'the server\'s own context has no gc');
  assert.equal(kept.length, 10_000);
  assert.equal(kept[9_999]!.text, 'statement 9999');
});
