// The CONCURRENTLY fixes write the file's own tool's way of running it outside a transaction: the
// option on sql-migrate's up marker, tern's and Atlas's lines, Flyway's own detection (no line at
// all), and no fix where the tool's way is not a line in the file (diesel's metadata.toml).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyEdits } from '../../../src/core/rules/fixes/edits';
import { findingsOf } from './expect';

async function fixed(sql: string): Promise<string | null> {
  const finding = (await findingsOf(sql)).find((f) => f.ruleId === 'require-concurrent-index-creation');
  assert.ok(finding, sql);
  if (!finding.fix) return null;
  assert.equal(finding.fix.newFiles, undefined, sql);
  const text = sql.replace(/^-- file: \S+\n/, '');
  return applyEdits(text, finding.fix.edits.map((e) => ({ ...e })));
}

test('CONCURRENTLY fixes: in each tool\'s own spelling', async () => {
  assert.equal(await fixed('-- +migrate Up\nCREATE INDEX i ON t (x);\n\n-- +migrate Down\nDROP INDEX i;\n'),
    '-- +migrate Up notransaction\nCREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (x);\n\n-- +migrate Down\nDROP INDEX i;\n');
  assert.equal(await fixed('CREATE INDEX i ON t (x);\n\n---- create above / drop below ----\n\nDROP INDEX i;\n'),
    '---- tern: disable-tx ----\nCREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (x);\n\n---- create above / drop below ----\n\nDROP INDEX i;\n');
  assert.equal(await fixed('-- atlas:nolint\n\nCREATE INDEX i ON t (x);\n'),
    '-- atlas:txmode none\n\n-- atlas:nolint\n\nCREATE INDEX i ON t (x);\n'.replace('CREATE INDEX i', 'CREATE INDEX CONCURRENTLY IF NOT EXISTS i'));
  assert.equal(await fixed('-- file: db/V3__index.sql\nCREATE INDEX i ON t (x);\n'), 'CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (x);\n');
  assert.equal(await fixed('-- file: migrations/2024-01-01-000000_x/up.sql\nCREATE INDEX i ON t (x);\n'), null);
  // A file no tool's sign is on keeps Drydock's own directive.
  assert.equal(await fixed('CREATE INDEX i ON t (x);\n'), '-- drydock:no-transaction\nCREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (x);\n');
});
