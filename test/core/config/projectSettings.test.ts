// drydock.json's runner settings (shadowSetup, shadowConnection, tool, migrations, startAfter): read
// with located errors, refused where they must be (a literal password), and agreed on by the JSON
// schema the editor validates with.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import Ajv from 'ajv';
import { CONFIG_KEYS, ConfigError, ConfigResolver, parseConfig } from '../../../src/core/config/drydockConfig';
import { expandShadowConnection } from '../../../src/core/config/projectSettings';
import { RULES } from '../../../src/core/rules/registry';
import { repoRoot } from '../../support/database';

const RULE_IDS = new Set(RULES.map((r) => r.id));
const schema = JSON.parse(fs.readFileSync(path.join(repoRoot, 'schemas', 'drydock.schema.json'), 'utf8')) as { properties: Record<string, unknown> };
const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);

function project(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'drydock-project-settings-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    fs.writeFileSync(path.join(root, name), text);
  }
  return root;
}

test('the schema and the reader know the same keys', () => {
  assert.deepEqual(Object.keys(schema.properties).sort(), [...CONFIG_KEYS].sort());
});

test('good runner settings: the schema and the reader accept them; paths resolve against drydock.json\'s folder', () => {
  const root = project({ 'setup/roles.sql': 'CREATE ROLE app;\n', 'db/migrations/001_x.sql': 'SELECT 1;\n' });
  try {
    const config = {
      shadowSetup: ['SET search_path = app, public', 'setup/roles.sql'], shadowConnection: '${env:DRYDOCK_SHADOW_URL}',
      tool: 'goose', migrations: 'db/migrations', startAfter: '20240101120000', noTransactionDirective: '-- runner:no-transaction',
    };
    assert.equal(validate(config), true, JSON.stringify(validate.errors));
    const file = path.join(root, 'drydock.json');
    const parsed = parseConfig(file, JSON.stringify(config), RULE_IDS);
    assert.deepEqual(parsed.shadowSetup, [{ sql: 'SET search_path = app, public', file: null }, { sql: 'CREATE ROLE app;\n', file: path.join(root, 'setup', 'roles.sql') }]);
    assert.equal(parsed.tool, 'goose');
    assert.equal(parsed.migrations, path.join(root, 'db', 'migrations'));
    assert.equal(parsed.startAfter, '20240101120000');
    assert.equal(parsed.noTransactionDirective, '-- runner:no-transaction');
    for (const [written, read] of [[42, '42'], ['V1_2', '1.2'], ['2017-09-23-182408', '20170923182408'], ['007', '007']] as const) {
      assert.equal(validate({ startAfter: written }), true, String(written));
      assert.equal(parseConfig(file, JSON.stringify({ startAfter: written }), RULE_IDS).startAfter, read);
    }
    assert.equal(parseConfig(file, '{ "tool": "auto" }', RULE_IDS).tool, null);
    assert.equal(parseConfig(file, '{ "shadowConnection": "postgres://me@localhost:5433/postgres" }', RULE_IDS).shadowConnection, 'postgres://me@localhost:5433/postgres');
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

const BAD: [unknown, RegExp][] = [
  [{ shadowConnection: 'postgres://me:hunter2@db.example/postgres' }, /"shadowConnection" holds a password, and drydock\.json is shared: write "\$\{env:DRYDOCK_SHADOW_URL\}"/],
  [{ shadowConnection: 'host=db user=me password=hunter2' }, /"shadowConnection" holds a password/],
  [{ shadowConnection: '' }, /"shadowConnection" must be a connection URL without a password/],
  [{ shadowSetup: [] }, /"shadowSetup" must be SQL, or a path to a \.sql file/],
  [{ shadowSetup: 7 }, /"shadowSetup" must be SQL/],
  [{ tool: 'liquibase' }, /"tool" must be "auto" or one of plain, dbmate, goose/],
  [{ migrations: '' }, /"migrations" must be the migrations folder/],
  [{ startAfter: 'latest' }, /"startAfter" must be a migration version as the tool numbers it/],
  [{ startAfter: -3 }, /"startAfter" must be a migration version/],
  [{ startAfter: '1..2' }, /"startAfter" must be a migration version/],
  [{ noTransactionDirective: 'runner:no-transaction' }, /"noTransactionDirective" must be a SQL comment line such as "-- runner:no-transaction"/],
  [{ noTransactionDirective: '--' }, /"noTransactionDirective" must be a SQL comment line/],
];

test('bad runner settings: the schema and the reader refuse them; the reader says file:line:column', () => {
  for (const [config, message] of BAD) {
    assert.equal(validate(config), false, JSON.stringify(config));
    const text = JSON.stringify(config, null, 2);
    assert.throws(() => parseConfig('/p/drydock.json', text, RULE_IDS), (err: unknown) => err instanceof ConfigError && message.test(err.message) && /^\/p\/drydock\.json:2:3: /.test(err.message), JSON.stringify(config));
  }
});

test('a shadowSetup file or migrations folder that is not there is a located error, not an empty setup', () => {
  const root = project({});
  try {
    const file = path.join(root, 'drydock.json');
    assert.throws(() => parseConfig(file, '{\n  "shadowSetup": "setup.sql"\n}', RULE_IDS), /drydock\.json:2:3: "shadowSetup": setup\.sql not found/);
    assert.throws(() => parseConfig(file, '{\n  "migrations": "db/migrations"\n}', RULE_IDS), /drydock\.json:2:3: "migrations": db\/migrations is not a folder/);
    // Must not: SQL that happens to end in .sql inside a statement is SQL, not a path.
    assert.deepEqual(parseConfig(file, '{ "shadowSetup": "SELECT \'x.sql\'" }', RULE_IDS).shadowSetup, [{ sql: 'SELECT \'x.sql\'', file: null }]);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('shadowConnection: ${env:NAME} expands from the environment the shell passes; an unset variable is said', () => {
  assert.equal(expandShadowConnection('${env:DRYDOCK_SHADOW_URL}', { DRYDOCK_SHADOW_URL: 'postgres://u:pw@h/db' }, 'drydock.json'), 'postgres://u:pw@h/db');
  assert.equal(expandShadowConnection('postgres://u@h/${env:DB}', { DB: 'shadow' }, 'drydock.json'), 'postgres://u@h/shadow');
  assert.throws(() => expandShadowConnection('${env:DRYDOCK_SHADOW_URL}', {}, 'drydock.json'), /drydock\.json: "shadowConnection" names \$\{env:DRYDOCK_SHADOW_URL\}, and that environment variable is not set/);
  // Must not: a password held by the variable is the user's environment, not the file's, so it is accepted.
  assert.doesNotThrow(() => parseConfig('/p/drydock.json', '{ "shadowConnection": "postgres://me:${env:PGPW}@h/db" }', RULE_IDS));
});

test('ConfigResolver reads the shadowSetup file through its own reader', () => {
  const resolver = new ConfigResolver(RULE_IDS, (file) => ({ '/p/drydock.json': '{ "shadowSetup": "runner/setup.sql" }', '/p/runner/setup.sql': 'SET role app;' } as Record<string, string>)[file] ?? null);
  assert.deepEqual(resolver.forFile('/p/db/001.sql')?.shadowSetup, [{ sql: 'SET role app;', file: '/p/runner/setup.sql' }]);
});
