// Fix all on files, round after round (core's fixUntilStable, which `drydock check --fix` and
// --diff run): what it fixes, where the migrations it writes go, and what it must never do — touch
// a file the parser refuses, change a file whose findings are all ignored, apply a fix of a rule
// that is off or one marked to be reviewed first, or change anything on a second run.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { DEFAULT_LINT_SETTINGS, type LintSettings } from '../../src/core/model/lintSettings';
import { loadParser, parseMigrationSync } from '../../src/core/parse/parseMigration';
import { checkFiles } from '../../src/core/rules/checkMigration';
import { fixUntilStable, type FixUntilStableOptions, type SourceText } from '../../src/core/rules/fixes/fixUntilStable';

before(loadParser);

const NOW = new Date('2026-01-02T03:04:05Z');

function options(rules: LintSettings['rules'] = {}, more: Partial<FixUntilStableOptions> = {}): FixUntilStableOptions {
  return {
    check: (files) => checkFiles(files.map((f) => parseMigrationSync(f.path, f.text)), { settings: { ...DEFAULT_LINT_SETTINGS, rules } }),
    namesIn: () => [],
    now: NOW,
    newFiles: true,
    ...more,
  };
}

const TABLES: SourceText = { path: 'db/001_tables.sql', text: 'CREATE TABLE accounts (id bigint PRIMARY KEY, email text, n bigint);\n' };

test('fixes every file until nothing changes; a statement moved to a migration of its own is written after the folder\'s last file, in the tool\'s numbering', () => {
  const files: SourceText[] = [
    TABLES,
    { path: 'db/002_index.sql', text: 'CREATE INDEX accounts_email ON accounts (email);\nALTER TABLE accounts ADD COLUMN c int;\n' },
    { path: 'db/003_later.sql', text: 'SELECT 1;\n' },
  ];
  const outcome = fixUntilStable(files, options());
  assert.equal(outcome.stable, true);
  assert.deepEqual(outcome.files.map((f) => f.path), ['db/001_tables.sql', 'db/002_index.sql', 'db/003_later.sql', 'db/004_index_concurrently.sql']);
  assert.equal(outcome.files[1]!.text, "SET lock_timeout = '5s';\nALTER TABLE accounts ADD COLUMN c bigint;\n");
  assert.equal(outcome.files[3]!.text, '-- drydock:no-transaction\nCREATE INDEX CONCURRENTLY IF NOT EXISTS accounts_email ON accounts (email);\n');
  const written = outcome.changed.find((c) => c.path === 'db/004_index_concurrently.sql')!;
  assert.equal(written.before, null);
  assert.match(written.fixes[0]!, /004_index_concurrently\.sql/);
  assert.deepEqual(outcome.changed.map((c) => c.path), ['db/002_index.sql', 'db/004_index_concurrently.sql']);
  // Idempotent: the fixed files fixed again change nothing.
  const again = fixUntilStable(outcome.files, options());
  assert.deepEqual(again.changed, []);
  assert.equal(again.rounds, 0);
});

test('a following migration takes the next free number of the folder on disk too (names the caller reads)', () => {
  const outcome = fixUntilStable([TABLES, { path: 'db/002_index.sql', text: 'CREATE INDEX accounts_email ON accounts (email);\nSELECT 1;\n' }],
    options({}, { namesIn: (dir) => (dir === 'db/' ? ['001_tables.sql', '002_index.sql', '007_elsewhere.sql'] : []) }));
  assert.ok(outcome.files.some((f) => f.path === 'db/008_index_concurrently.sql'), outcome.files.map((f) => f.path).join());
});

test('without new files (standard input) a fix that writes one is left out, and the others are made', () => {
  const outcome = fixUntilStable([TABLES, { path: 'db/002_index.sql', text: 'CREATE INDEX accounts_email ON accounts (email);\nALTER TABLE accounts ADD COLUMN c int;\n' }], options({}, { newFiles: false }));
  assert.equal(outcome.files.length, 2);
  // Both timeouts go at the start: one per round, as their insertions at one offset would be ordered by a guess.
  assert.equal(outcome.files[1]!.text, "SET statement_timeout = '60s';\nSET lock_timeout = '5s';\nCREATE INDEX accounts_email ON accounts (email);\nALTER TABLE accounts ADD COLUMN c bigint;\n");
  assert.equal(outcome.rounds, 2);
});

test('must not: a file the parser refuses is never touched, while the others are fixed', () => {
  const broken = { path: 'db/002_broken.sql', text: 'CREATE TABLE t (id int;\nCREATE INDEX x ON accounts (email);\n' };
  const outcome = fixUntilStable([TABLES, broken, { path: 'db/003_t.sql', text: 'CREATE TABLE u (id int);\n' }], options());
  assert.equal(outcome.files[1]!.text, broken.text);
  assert.deepEqual(outcome.untouched, [{ path: 'db/002_broken.sql', reason: 'the parser cannot read it' }]);
  assert.equal(outcome.files[2]!.text, 'CREATE TABLE u (id bigint);\n');
});

test('must not: a file whose findings are all ignored is not changed', () => {
  const text = '-- drydock-ignore-file prefer-bigint-over-int, require-concurrent-index-creation, require-lock-timeout, require-statement-timeout\nCREATE TABLE u (id int);\nCREATE INDEX x ON accounts (email);\nSELECT 1;\n';
  const outcome = fixUntilStable([TABLES, { path: 'db/002_ignored.sql', text }], options());
  assert.deepEqual(outcome.changed, []);
  const statement = '-- drydock-ignore prefer-bigint-over-int: ids stay small\nCREATE TABLE u (id int);\n';
  assert.deepEqual(fixUntilStable([{ path: 'db/001_u.sql', text: statement }], options()).changed, []);
});

test('must not: a rule set "off" has no fix applied; the same rule at "info" does', () => {
  const text = 'CREATE TABLE u (id int, at timestamp);\n';
  const off = fixUntilStable([{ path: 'db/001_u.sql', text }], options({ 'prefer-bigint-over-int': 'off' }));
  assert.equal(off.files[0]!.text, 'CREATE TABLE u (id int, at timestamptz);\n');
  const info = fixUntilStable([{ path: 'db/001_u.sql', text }], options({ 'prefer-bigint-over-int': 'info' }));
  assert.equal(info.files[0]!.text, 'CREATE TABLE u (id bigint, at timestamptz);\n');
});

test('must not: the DEFAULT fix (it chooses the value of the existing rows) is never applied wholesale', () => {
  const text = 'ALTER TABLE accounts ADD COLUMN flag boolean NOT NULL;\n';
  const outcome = fixUntilStable([TABLES, { path: 'db/002_flag.sql', text }], options({ 'require-lock-timeout': 'off' }));
  assert.deepEqual(outcome.changed, []);
  const checked = options().check([TABLES, { path: 'db/002_flag.sql', text }]);
  assert.ok(checked[1]!.diagnostics.some((d) => d.ruleId === 'adding-required-field' && d.fix?.reviewFirst !== undefined), 'the quick fix is still offered');
});

test('the bound: a fix that needs two rounds stops after one with maxRounds 1, says it is not stable, and lists only what it applied', () => {
  // lock_timeout and statement_timeout both insert at the start: one round each.
  const text = 'CREATE INDEX accounts_email ON accounts (email);\nSELECT 1;\n';
  const one = fixUntilStable([TABLES, { path: 'db/002_i.sql', text }], options({}, { maxRounds: 1, newFiles: false }));
  const full = fixUntilStable([TABLES, { path: 'db/002_i.sql', text }], options({}, { newFiles: false }));
  assert.ok(full.rounds >= 2, `rounds ${full.rounds}`);
  assert.equal(one.stable, false);
  assert.equal(one.rounds, 1);
  assert.ok(one.changed.flatMap((c) => c.fixes).length < full.changed.flatMap((c) => c.fixes).length);
});

test('must not: a fix that writes a migration the tool would not run (next to diesel\'s up.sql, or one that must run before the fixed file) is left out and listed, while the file\'s other fixes are made', () => {
  const diesel = fixUntilStable([
    { path: 'migrations/2020-01-01-000000_accounts/up.sql', text: TABLES.text },
    { path: 'migrations/2020-02-01-000000_check/up.sql', text: 'ALTER TABLE accounts ADD CONSTRAINT id_positive CHECK (id > 0);\nALTER TABLE accounts ADD COLUMN c int;\n' },
  ], options({ 'require-lock-timeout': 'off', 'require-statement-timeout': 'off' }));
  assert.equal(diesel.files.length, 2, 'no up_validate.sql that diesel never runs');
  assert.equal(diesel.files[1]!.text, 'ALTER TABLE accounts ADD CONSTRAINT id_positive CHECK (id > 0);\nALTER TABLE accounts ADD COLUMN c bigint;\n');
  assert.deepEqual(diesel.leftOut.map((l) => [l.path, l.line]), [['migrations/2020-02-01-000000_check/up.sql', 1]]);
  const unique = fixUntilStable([TABLES, { path: 'db/002_unique.sql', text: 'ALTER TABLE accounts ADD CONSTRAINT email_unique UNIQUE (email);\nSELECT 1;\n' }], options({ 'require-lock-timeout': 'off' }));
  assert.equal(unique.files.length, 2, 'no migration written for the unique constraint');
  // Before other statements of its file the unique-via-index fix is not offered at all (they could depend on the constraint).
  assert.deepEqual(unique.leftOut.filter((l) => /unique index/i.test(l.title)), []);
  assert.equal(unique.files[1]!.text.includes('ADD CONSTRAINT email_unique UNIQUE (email)'), true);
});

test('golang-migrate and sqlx pairs: the moved statement\'s migration keeps ".up.sql" (name_concurrently.up.sql), and a down script never gets a following migration', () => {
  const outcome = fixUntilStable([
    { path: 'm/001_accounts.up.sql', text: TABLES.text },
    { path: 'm/002_index.up.sql', text: 'CREATE INDEX accounts_email ON accounts (email);\nSELECT 1;\n' },
    { path: 'm/002_index.down.sql', text: 'DROP INDEX accounts_email;\nSELECT 1;\n' },
  ], options({ 'require-lock-timeout': 'off', 'require-statement-timeout': 'off' }));
  assert.ok(outcome.files.some((f) => f.path === 'm/003_index_concurrently.up.sql'), outcome.files.map((f) => f.path).join());
  assert.ok(!outcome.files.some((f) => /down_concurrently|concurrently\.down/.test(f.path)), outcome.files.map((f) => f.path).join());
  assert.deepEqual(outcome.leftOut.map((l) => l.path), ['m/002_index.down.sql']);
});
