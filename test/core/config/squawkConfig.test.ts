// .squawk.toml read when no drydock.json is above a file: Squawk's rule names mapped to Drydock's
// ids (renamed ones too; unknown ones said, not fatal), pg_version "16.0", assume_in_transaction,
// excluded_paths; what was read said on stderr and in the language server's log; bad TOML a located
// error, never a crash. A drydock.json anywhere above wins.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { ConfigResolver } from '../../../src/core/config/drydockConfig';
import { parseSquawkConfig } from '../../../src/core/config/squawkConfig';
import { RULES } from '../../../src/core/rules/registry';
import { runCli } from '../../support/cli';
import { LspTestClient } from '../../support/lspClient';
import { writeFolder } from '../shadow/folders';

const RULE_IDS = new Set(RULES.map((r) => r.id));

const SQUAWK_TOML = `# from a project that used Squawk
pg_version = "16.0"
assume_in_transaction = true
excluded_rules = ["require-concurrent-index-creation", "prefer-timestamptz", "require-timeout-settings", "ban-drop-not-null", "no-such-rule"]
excluded_paths = ["legacy/**"]
included_rules = ["require-table-schema"]

[upload_to_github]
fail_on_violations = true
`;

test('the mapping: same names, renamed ones, Squawk-only and unknown names said; versions and paths read', () => {
  const read = parseSquawkConfig('/p/.squawk.toml', SQUAWK_TOML, RULE_IDS);
  assert.ok('config' in read, JSON.stringify(read));
  assert.deepEqual(read.config.rules, {
    'require-concurrent-index-creation': 'off', 'prefer-timestamp-tz': 'off', 'require-lock-timeout': 'off', 'require-statement-timeout': 'off',
  });
  assert.equal(read.config.pgVersion, 16);
  assert.equal(read.config.assumeInTransaction, true);
  assert.deepEqual(read.config.exclude, ['legacy/**']);
  const notes = read.notes.join('\n');
  assert.match(notes, /prefer-timestamptz → prefer-timestamp-tz/);
  assert.match(notes, /require-timeout-settings → require-lock-timeout, require-statement-timeout/);
  assert.match(notes, /ban-drop-not-null has no Drydock rule \(ignored\)/);
  assert.match(notes, /no-such-rule is no rule Drydock or Squawk knows \(ignored\)/);
  assert.match(notes, /included_rules: not used by Drydock/);
  assert.match(notes, /upload_to_github: not used by Drydock/);
});

test('must not: bad TOML or wrong types crash or pass silently; each is a problem with its line and column', () => {
  const broken = parseSquawkConfig('/p/.squawk.toml', 'excluded_rules = ["a",\npg_version = 1', RULE_IDS);
  assert.ok(!('config' in broken) && /^not valid TOML: /.test(broken.detail), JSON.stringify(broken));
  assert.deepEqual([broken.line, broken.column], [2, 1]);
  assert.deepEqual(parseSquawkConfig('/p/.squawk.toml', '# x\n  pg_version = 16\n', RULE_IDS), { line: 2, column: 3, detail: 'pg_version must be a PostgreSQL version such as "16.0", got 16' });
  assert.deepEqual(parseSquawkConfig('/p/.squawk.toml', 'excluded_rules = "ban-drop-table"\n', RULE_IDS), { line: 1, column: 1, detail: 'excluded_rules must be an array of rule names' });
  assert.deepEqual(parseSquawkConfig('/p/.squawk.toml', 'assume_in_transaction = "yes"\n', RULE_IDS), { line: 1, column: 1, detail: 'assume_in_transaction must be true or false' });
});

test('the resolver: .squawk.toml only when no drydock.json is above, wherever it is', () => {
  const files: Record<string, string> = { '/r/.squawk.toml': 'pg_version = "13"\n', '/r/db/x.sql': '' };
  const resolver = new ConfigResolver(RULE_IDS, (f) => files[f] ?? null);
  assert.equal(resolver.forFile('/r/db/x.sql')?.pgVersion, 13);
  assert.ok(resolver.forFile('/r/db/x.sql')?.squawkNotes);
  // Must not: a drydock.json further up than the .squawk.toml still wins.
  const withDrydock = new ConfigResolver(RULE_IDS, (f) => ({ ...files, '/drydock.json': '{ "pgVersion": 17 }' } as Record<string, string>)[f] ?? null);
  assert.equal(withDrydock.forFile('/r/db/x.sql')?.pgVersion, 17);
  assert.equal(withDrydock.forFile('/r/db/x.sql')?.squawkNotes, undefined);
});

test('drydock check reads .squawk.toml, says what it mapped on stderr, and follows it', async () => {
  const root = writeFolder({
    '.squawk.toml': SQUAWK_TOML,
    'migrations/001_users.sql': 'CREATE TABLE users (id bigint PRIMARY KEY, seen timestamp);\n',
    'migrations/002_index.sql': 'CREATE INDEX users_seen ON users (seen);\n',
    'legacy/000_old.sql': 'DROP TABLE whatever;\n',
  });
  try {
    const run = await runCli(['check', '--json', 'migrations', 'legacy'], { cwd: root });
    assert.equal(run.code, 0, run.stdout + run.stderr);
    const findings = (JSON.parse(run.stdout) as { diagnostics: { ruleId: string; file: string }[] }).diagnostics;
    assert.deepEqual(findings.filter((f) => ['require-concurrent-index-creation', 'prefer-timestamp-tz'].includes(f.ruleId)), []);
    assert.deepEqual(findings.filter((f) => f.file.includes('legacy')), [], 'excluded_paths leaves legacy/ out');
    assert.match(run.stderr, /drydock: no drydock\.json; read \.squawk\.toml/);
    assert.match(run.stderr, /no-such-rule is no rule Drydock or Squawk knows \(ignored\)/);
    // Must not: with the rules not excluded, the same files are reported (the mapping is what silenced them).
    fs.writeFileSync(path.join(root, '.squawk.toml'), 'pg_version = "16.0"\n');
    const plain = await runCli(['check', '--json', 'migrations'], { cwd: root });
    assert.ok((JSON.parse(plain.stdout) as { diagnostics: { ruleId: string }[] }).diagnostics.some((f) => f.ruleId === 'require-concurrent-index-creation'));
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('invalid TOML: drydock check exits 2 with the file, line and column', async () => {
  const root = writeFolder({ '.squawk.toml': 'excluded_rules = [\n', 'migrations/001.sql': 'SELECT 1;\n' });
  try {
    const run = await runCli(['check', 'migrations'], { cwd: root });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /invalid \.squawk\.toml: .*\.squawk\.toml:\d+:\d+: not valid TOML/);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('the language server says in its log that it read .squawk.toml, and judges by it', async () => {
  const root = writeFolder({ '.squawk.toml': SQUAWK_TOML, 'migrations/001_users.sql': 'CREATE TABLE users (id bigint PRIMARY KEY);\n' });
  const text = 'CREATE INDEX users_id ON users (id);\n';
  const client = LspTestClient.start();
  try {
    await client.initialize(root, { dryRunOnSave: false });
    const uri = client.open(path.join(root, 'migrations', '002_index.sql'), text);
    const shown = await client.diagnosticsOf(uri, () => true);
    assert.deepEqual(shown.filter((d) => d.code === 'require-concurrent-index-creation'), []);
    const logs = await client.until('the .squawk.toml log line', () => client.notifications.map((n) => (n.params as { message?: string }).message ?? '').find((m) => /read .*\.squawk\.toml: excluded_rules turned off/.test(m)));
    assert.match(logs, /prefer-timestamptz → prefer-timestamp-tz/);
  } finally {
    assert.equal(await client.stop(), 0);
    fs.rmSync(root, { recursive: true, force: true });
  }
});
