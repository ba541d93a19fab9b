import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expectFindings, expectNoFindings } from './expect';

const STATEMENTS = 'CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_t_x ON t (x);\nDROP INDEX CONCURRENTLY idx_old;\nREINDEX (CONCURRENTLY) INDEX idx_t_x;\nVACUUM t;\nALTER TABLE p DETACH PARTITION p1 CONCURRENTLY;';

test('needs-no-transaction: each statement PostgreSQL refuses in a transaction, a warning when checking or dry-running', async () => {
  for (const mode of [undefined, 'dry-run'] as const) {
    const found = await expectFindings('needs-no-transaction', STATEMENTS, [1, 2, 3, 4, 5], mode ? { mode } : {});
    assert.ok(found.every((f) => f.severity === 'warning'));
  }
});

test('needs-no-transaction: an error that refuses the file when applying', async () => {
  const found = await expectFindings('needs-no-transaction', STATEMENTS, [1, 2, 3, 4, 5], { mode: 'apply' });
  assert.ok(found.every((f) => f.severity === 'error' && /25001/.test(f.message)));
});

test('needs-no-transaction: not with any tool\'s no-transaction directive, nor for plain statements', async () => {
  for (const directive of ['-- drydock:no-transaction', '-- migrate:up transaction:false', '-- +goose NO TRANSACTION', '--! no-transaction']) {
    await expectNoFindings('needs-no-transaction', `${directive}\nCREATE INDEX CONCURRENTLY i ON t (x);`, { mode: 'apply' });
  }
  await expectNoFindings('needs-no-transaction', 'CREATE INDEX i ON t (x);\nANALYZE t;');
});
