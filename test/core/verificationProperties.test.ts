// Names are not identities, as a property: on generated histories of tables, partitions, indexes,
// constraints, triggers and functions that are renamed, swapped and dropped, over several files and
// inside DO blocks, which psql -1 applies cleanly, every declared object is `ok` or `dropped` in the
// dry-run's measurement and in `verify`'s prediction alike, and the two agree on each one's status
// and on the name it ends with.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { VerificationCheck } from '../../src/core/model/report';
import { describeEachServer } from '../support/database';
import { historyArbitrary, historyFiles } from '../support/generatedHistory';
import { scratchMigrations } from '../support/scratchMigrations';
import { verifyBothWays } from '../support/verifyBothWays';

const writeFiles = scratchMigrations('verify-properties');

/** How many histories per server: DRYDOCK_PROPERTY_RUNS overrides. */
function runs(fallback: number): number {
  const wanted = Number(process.env.DRYDOCK_PROPERTY_RUNS);
  return Number.isInteger(wanted) && wanted > 0 ? wanted : fallback;
}

/** One line per check, in declaration order: what is compared between the two ways. */
function outcome(checks: VerificationCheck[]): string[] {
  return checks.map((c) => `${c.kind} ${c.name} (${c.file.split('/').pop()}#${c.statementIndex}): ${c.status}${c.currentName ? ` as ${c.currentName}` : ''}`);
}

describeEachServer('verification by identity on generated histories', (server) => {
  test('every declared object is ok or dropped, measured and predicted alike', async () => {
    await fc.assert(fc.asyncProperty(historyArbitrary, async (steps) => {
      const files = historyFiles(steps);
      const shown = Object.entries(files).map(([name, text]) => `-- ${name}\n${text}`).join('');
      const { dry, verify, psql } = await verifyBothWays(server(), writeFiles(files));
      assert.equal(psql.code, 0, `the generator wrote a history psql refuses:\n${shown}${psql.stderr}`);
      assert.equal(dry.outcome, 'succeeded', `${shown}→ ${dry.error?.sqlstate} ${dry.error?.message}`);
      const wrong = [...dry.verification, ...verify.verification].filter((c) => c.status !== 'ok' && c.status !== 'dropped');
      assert.deepEqual(wrong.map((c) => `${c.kind} ${c.name}: ${c.status}: ${c.detail}`), [], shown);
      assert.deepEqual(outcome(verify.verification), outcome(dry.verification), `dry-run and verify disagree on\n${shown}`);
    }), { numRuns: runs(30), verbose: 1, includeErrorInReport: true });
  });
});
