import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expectFindings, expectNoFindings, findingsOf } from './expect';

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

test('needs-no-transaction: not with the directives of postgres-migrations, sqlx, Atlas, tern and sql-migrate, nor in a Flyway migration Flyway runs outside a transaction itself', async () => {
  for (const text of [
    '-- postgres-migrations disable-transaction\nCREATE INDEX CONCURRENTLY i ON t (x);',
    '-- no-transaction\nCREATE INDEX CONCURRENTLY i ON t (x);',
    '-- atlas:txmode none\n\nCREATE INDEX CONCURRENTLY i ON t (x);',
    '---- tern: disable-tx ----\nCREATE INDEX CONCURRENTLY i ON t (x);\n---- create above / drop below ----\nDROP INDEX i;',
    '-- +migrate Up notransaction\nCREATE INDEX CONCURRENTLY i ON t (x);\n-- +migrate Down\nDROP INDEX CONCURRENTLY i;',
    '-- file: db/V3__index.sql\nCREATE UNIQUE INDEX CONCURRENTLY i ON t (x);',
  ]) await expectNoFindings('needs-no-transaction', text, { mode: 'apply' });
});

test('needs-no-transaction: a variant its tool does not read is no directive (the tool runs the file in a transaction)', async () => {
  for (const text of [
    // goose compares its annotations in any case (3.19 on), but with one space inside.
    '-- +goose NO  TRANSACTION\n-- +goose Up\nCREATE INDEX CONCURRENTLY i ON t (x);',
    '--  postgres-migrations  disable-transaction\nCREATE INDEX CONCURRENTLY i ON t (x);',
    '-- a comment first\n-- no-transaction\nCREATE INDEX CONCURRENTLY i ON t (x);',
    '-- atlas:txmode none\nCREATE INDEX CONCURRENTLY i ON t (x);',
    '-- file: db/V3__index.sql\nREINDEX INDEX CONCURRENTLY i;',
  ]) await expectFindings('needs-no-transaction', text, [text.split('\n').findIndex((l) => /CONCURRENTLY/.test(l)) + 1 - (text.startsWith('-- file:') ? 1 : 0)], { mode: 'apply' });
});

test('needs-no-transaction: the message names the file\'s own tool\'s directive, from its markers, its name or the files beside it', async () => {
  const cases: [string, RegExp][] = [
    ['-- +goose Up\nCREATE INDEX CONCURRENTLY i ON t (x);\n-- +goose Down\nDROP INDEX i;', /goose's `-- \+goose NO TRANSACTION`/],
    ['-- +migrate Up\nCREATE INDEX CONCURRENTLY i ON t (x);', /`-- \+migrate Up notransaction`/],
    ['-- migrate:up\nCREATE INDEX CONCURRENTLY i ON t (x);\n-- migrate:down\n', /dbmate's `transaction:false`/],
    ['-- file: 1_table.sql\nCREATE TABLE t (x int);\n-- file: 2_index.sql\n-- postgres-migrations disable-transaction\nCREATE INDEX CONCURRENTLY i0 ON t (x);\n-- file: 3_index.sql\nCREATE INDEX CONCURRENTLY i ON t (x);', /postgres-migrations' `-- postgres-migrations disable-transaction`/],
    ['-- file: 20240101000000_a.up.sql\n-- no-transaction\nCREATE INDEX CONCURRENTLY i0 ON t (x);\n-- file: 20240102000000_b.up.sql\nCREATE INDEX CONCURRENTLY i ON t (x);', /sqlx's `-- no-transaction` as the very first bytes/],
    ['-- file: migrations/2024-01-01-000000_x/up.sql\nCREATE INDEX CONCURRENTLY i ON t (x);', /diesel's `run_in_transaction = false`/],
    ['-- Up Migration\nCREATE INDEX CONCURRENTLY i ON t (x);\n-- Down Migration\nDROP INDEX i;', /pgm\.noTransaction\(\)/],
  ];
  for (const [text, expected] of cases) {
    const found = await findingsOf(text, { mode: 'apply' });
    const finding = found.find((f) => f.ruleId === 'needs-no-transaction');
    assert.ok(finding, text);
    assert.match(finding.message, expected, text);
    assert.doesNotMatch(finding.message, /drydock:no-transaction/, text);
  }
  // Nothing names a tool: every tool's directive is listed.
  const [plain] = (await findingsOf('CREATE INDEX CONCURRENTLY i ON t (x);', { mode: 'apply' })).filter((f) => f.ruleId === 'needs-no-transaction');
  assert.match(plain!.message, /`-- drydock:no-transaction`, dbmate .*Atlas `-- atlas:txmode none`/);
});
