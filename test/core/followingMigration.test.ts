// The name of a migration a fix writes to run after the fixed one: the folder's next free version
// in the fixed file's own scheme; and the span a moved statement leaves: no blank line behind.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { followingMigrationPath } from '../../src/core/rules/fixes/followingMigration';
import { statementSpan } from '../../src/core/rules/fixes/noTransactionFix';

const NOW = new Date(Date.UTC(2026, 11, 7, 23, 5, 9));
const next = (file: string, siblings: string[], suffix = 'concurrently') => followingMigrationPath({ file, suffix, siblings, now: NOW });

test('sequence numbers: the next after the folder\'s highest, zero-padded like the fixed file', () => {
  assert.equal(next('migrations/002_email.sql', ['001_a.sql', '002_email.sql']), 'migrations/003_email_concurrently.sql');
  assert.equal(next('migrations/002_email.sql', ['001_a.sql', '002_email.sql', '003_b.sql', '010_c.sql']), 'migrations/011_email_concurrently.sql');
  assert.equal(next('m/00002_x.sql', ['00001_a.sql', '00002_x.sql']), 'm/00003_x_concurrently.sql');
  assert.equal(next('m/9_x.sql', ['9_x.sql']), 'm/10_x_concurrently.sql');
});

test('timestamps: now when it is later than every migration, else one past the newest', () => {
  assert.equal(next('db/migrations/20240101120000_idx.sql', ['20240101120000_idx.sql']), 'db/migrations/20261207230509_idx_concurrently.sql');
  assert.equal(next('db/20300101000000_idx.sql', ['20300101000000_idx.sql', '20300101000007_b.sql']), 'db/20300101000008_idx_concurrently.sql');
});

test('Flyway: the next V number, its dotted part dropped', () => {
  assert.equal(next('db/migration/V3__check.sql', ['V1__a.sql', 'V3__check.sql', 'U3__check.sql'], 'validate'), 'db/migration/V4__check_validate.sql');
  assert.equal(next('db/migration/V3_1__check.sql', ['V3_1__check.sql'], 'validate'), 'db/migration/V4__check_validate.sql');
});

test('must not reuse a taken name, nor number a file whose name has no version', () => {
  // A stray file of the next number with the same name is stepped past.
  assert.equal(next('m/001_x.sql', ['001_x.sql', '002_x_concurrently.sql']), 'm/003_x_concurrently.sql');
  assert.equal(next('migrations/add_index.sql', ['add_index.sql', '001_a.sql']), 'migrations/add_index_concurrently.sql');
  assert.equal(next('deploy\\idx.sql', []), 'deploy\\idx_concurrently.sql');
});

test('a moved statement takes its line and one blank line with it, never the blank lines that separate others', () => {
  const cut = (text: string, statement: string) => {
    const start = text.indexOf(statement);
    const span = statementSpan(text, { start, end: start + statement.length });
    return text.slice(0, span.start) + text.slice(span.end);
  };
  assert.equal(cut('A;\n\nB;\n', 'B'), 'A;\n');
  assert.equal(cut('A;\n\nB;\n\nC;\n', 'B'), 'A;\n\nC;\n');
  assert.equal(cut('A;\nB;\n\nC;\n', 'B'), 'A;\n\nC;\n');
  assert.equal(cut('B;\n\nC;\n', 'B'), 'C;\n');
  assert.equal(cut('BEGIN;\n  X;\nCOMMIT;\n', 'X'), 'BEGIN;\nCOMMIT;\n');
  // Not at the start of its line: only the statement and what ends it.
  assert.equal(cut('A; B;\nC;\n', 'B'), 'A; C;\n');
});
