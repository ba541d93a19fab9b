// drydock.json: found upwards from each file, validated with located errors, and its JSON schema
// (the one the extension contributes through jsonValidation) accepts and refuses the same configs.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import Ajv from 'ajv';
import { ConfigError, ConfigResolver, isExcluded, lintSettingsOf, parseConfig } from '../../../src/core/config/drydockConfig';
import { RULES } from '../../../src/core/rules/registry';
import { repoRoot } from '../../support/database';

const RULE_IDS = new Set(RULES.map((r) => r.id));
const schema = JSON.parse(fs.readFileSync(path.join(repoRoot, 'schemas', 'drydock.schema.json'), 'utf8')) as object;
const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);

const GOOD = [
  {},
  { $schema: './schemas/drydock.schema.json', rules: { 'require-lock-timeout': 'off', 'prefer-bigint-over-int': 'error' }, pgVersion: 16 },
  { assumeInTransaction: false, exclude: ['**/down.sql', 'legacy/*.sql'] },
];
const BAD: [unknown, RegExp][] = [
  [{ rules: { 'require-lock-timeout': 'warn' } }, /"rules\.require-lock-timeout" must be one of off, info, warning, error, got "warn"/],
  [{ rules: { 'no-such-rule': 'off' } }, /unknown rule "no-such-rule"/],
  [{ pgVersion: '16' }, /"pgVersion" must be a PostgreSQL major version/],
  [{ pgVersion: 16.2 }, /"pgVersion" must be a PostgreSQL major version/],
  [{ assumeInTransaction: 'yes' }, /"assumeInTransaction" must be true or false/],
  [{ exclude: 'down.sql' }, /"exclude" must be an array of glob strings/],
  [{ severity: {} }, /unknown setting "severity"/],
  [[], /must be a JSON object/],
];

test('the schema and the reader accept the same good configs', () => {
  for (const config of GOOD) {
    assert.equal(validate(config), true, JSON.stringify(validate.errors));
    assert.doesNotThrow(() => parseConfig('/p/drydock.json', JSON.stringify(config), RULE_IDS));
  }
});

test('the schema and the reader refuse the same bad configs; the reader says where', () => {
  for (const [config, message] of BAD) {
    assert.equal(validate(config), false, JSON.stringify(config));
    const text = JSON.stringify(config, null, 2);
    assert.throws(() => parseConfig('/p/drydock.json', text, RULE_IDS), (err: unknown) => err instanceof ConfigError && message.test(err.message) && /^\/p\/drydock\.json:\d+:\d+: /.test(err.message));
  }
  const located = '{\n  "rules": {\n    "ban-drop-table": "loud"\n  }\n}\n';
  assert.throws(() => parseConfig('/p/drydock.json', located, RULE_IDS), /^Error: \/p\/drydock\.json:3:5: "rules\.ban-drop-table"/);
  assert.throws(() => parseConfig('/p/drydock.json', '{ "rules": ', RULE_IDS), /\/p\/drydock\.json:1:\d+: not valid JSON/);
});

test('the schema lists every rule of the registry, with its summary', () => {
  const properties = (schema as { properties: { rules: { properties: Record<string, { description: string }> } } }).properties.rules.properties;
  assert.deepEqual(Object.keys(properties), RULES.map((r) => r.id));
  for (const rule of RULES) assert.ok(properties[rule.id]!.description.startsWith(rule.summary));
});

test('every drydock.json among the fixtures (the editor tests\' too) is valid for the schema and for the reader', () => {
  const found = fs.readdirSync(path.join(repoRoot, 'test', 'fixtures'), { recursive: true, encoding: 'utf8' }).filter((f) => path.basename(f) === 'drydock.json');
  assert.ok(found.length > 0, 'no drydock.json fixture');
  for (const relative of found) {
    const file = path.join(repoRoot, 'test', 'fixtures', relative);
    const text = fs.readFileSync(file, 'utf8');
    assert.equal(validate(JSON.parse(text)), true, `${relative}: ${JSON.stringify(validate.errors)}`);
    assert.doesNotThrow(() => parseConfig(file, text, RULE_IDS), relative);
  }
});

test('package.json contributes the schema for drydock.json files', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { contributes: { jsonValidation: { fileMatch: string; url: string }[] } };
  assert.deepEqual(manifest.contributes.jsonValidation, [{ fileMatch: 'drydock.json', url: './schemas/drydock.schema.json' }]);
});

test('ConfigResolver finds the nearest drydock.json upwards, once per folder; settings and excludes follow it', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'drydock-config-'));
  try {
    fs.mkdirSync(path.join(root, 'db', 'migrations', 'legacy'), { recursive: true });
    fs.writeFileSync(path.join(root, 'drydock.json'), JSON.stringify({ pgVersion: 12 }));
    fs.writeFileSync(path.join(root, 'db', 'drydock.json'), JSON.stringify({ pgVersion: 16, rules: { 'ban-drop-table': 'off' }, exclude: ['legacy/**', '*.down.sql'] }));
    let reads = 0;
    const resolver = new ConfigResolver(RULE_IDS, (file) => {
      reads += 1;
      return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null;
    });
    const inner = resolver.forFile(path.join(root, 'db', 'migrations', '001.sql'));
    assert.equal(inner?.path, path.join(root, 'db', 'drydock.json'));
    assert.deepEqual(lintSettingsOf(inner), { pgVersion: 16, assumeInTransaction: null, rules: { 'ban-drop-table': 'off' } });
    assert.equal(lintSettingsOf(inner, { pgVersion: 13 }).pgVersion, 13, 'the shell overrides the file');
    const before = reads;
    resolver.forFile(path.join(root, 'db', 'migrations', '002.sql'));
    assert.equal(reads, before, 'a folder is read once');
    assert.equal(resolver.forFile(path.join(root, 'other.sql'))?.path, path.join(root, 'drydock.json'));
    assert.equal(isExcluded(inner, path.join(root, 'db', 'legacy', 'x.sql')), true);
    assert.equal(isExcluded(inner, path.join(root, 'db', 'migrations', '003.down.sql')), true);
    assert.equal(isExcluded(inner, path.join(root, 'db', 'migrations', '003.sql')), false);
    assert.throws(() => resolver.forFile('relative.sql'), /absolute path/);
    assert.equal(lintSettingsOf(null).pgVersion, 14);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('a drydock.json saved with a UTF-8 byte order mark is read like one without; positions ignore the mark', () => {
  const config = parseConfig('/p/drydock.json', '\uFEFF{ "rules": { "ban-drop-table": "off" }, "pgVersion": 16 }', RULE_IDS);
  assert.equal(config.rules['ban-drop-table'], 'off');
  assert.equal(config.pgVersion, 16);
  assert.throws(() => parseConfig('/p/drydock.json', '\uFEFF{ "rules": { "ban-drop-table": "loud" } }', RULE_IDS),
    (err: unknown) => err instanceof ConfigError && err.line === 1 && err.column === 14);
  assert.throws(() => parseConfig('/p/drydock.json', 'x\uFEFF{}', RULE_IDS), ConfigError, 'a mark anywhere but first is not JSON');
});
