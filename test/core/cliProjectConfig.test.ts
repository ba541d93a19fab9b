// drydock.json's runner settings through the CLI, as users run it: the shadow sends shadowSetup
// first (a --shadow-setup flag replaces it, said on stderr), replays the history as `tool` and from
// the `migrations` folder, and goes to shadowConnection's server (the password from the environment,
// never written, never printed). Real PGlite and a real PostgreSQL.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runCli } from '../support/cli';
import { startPostgres, type ThrowawayPostgres } from '../support/throwawayPostgres';
import { writeFolder } from './shadow/folders';

// The runner puts the tables in schema app: without its setup, 001 creates public.items and 002 fails.
const FILES = {
  'runner/setup.sql': 'CREATE SCHEMA IF NOT EXISTS app;\nSET search_path = app, public;\n',
  'db/migrations/001_items.sql': 'CREATE TABLE items (id bigint PRIMARY KEY);\n',
  'db/migrations/002_note.sql': 'ALTER TABLE app.items ADD COLUMN note text;\n',
};

function folder(config: object | null): string {
  const root = writeFolder(FILES);
  if (config) fs.writeFileSync(path.join(root, 'drydock.json'), JSON.stringify(config, null, 2));
  return root;
}

test('dry-run --shadow sends drydock.json\'s shadowSetup (a .sql file) first, and says so', async () => {
  const root = folder({ shadowSetup: 'runner/setup.sql' });
  try {
    const run = await runCli(['dry-run', '--shadow', 'db/migrations/002_note.sql'], { cwd: root, env: { HOME: root } });
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stderr, /drydock: shadow setup from drydock\.json's shadowSetup \(runner\/setup\.sql\)/);
    // Must not: without the setting, the same history fails (the setup is what made it pass).
    fs.rmSync(path.join(root, 'drydock.json'));
    const bare = await runCli(['dry-run', '--shadow', 'db/migrations/002_note.sql'], { cwd: root, env: { HOME: root } });
    assert.equal(bare.code, 1, bare.stdout);
    assert.match(bare.stdout, /schema "app" does not exist|relation "app\.items" does not exist/);
    assert.doesNotMatch(bare.stderr, /shadowSetup/);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('--shadow-setup replaces drydock.json\'s shadowSetup, and stderr says the flag won', async () => {
  const root = folder({ shadowSetup: 'runner/setup.sql' });
  try {
    const run = await runCli(['dry-run', '--shadow', '--shadow-setup', 'SET search_path = public', 'db/migrations/002_note.sql'], { cwd: root, env: { HOME: root } });
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.match(run.stderr, /--shadow-setup replaces drydock\.json's shadowSetup/);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('tool and migrations: the history is replayed as that tool, from that folder, for a file kept elsewhere', async () => {
  const root = folder({ shadowSetup: ['CREATE SCHEMA IF NOT EXISTS app', 'SET search_path = app, public'], tool: 'goose', migrations: 'db/migrations' });
  try {
    fs.mkdirSync(path.join(root, 'drafts'));
    fs.writeFileSync(path.join(root, 'drafts', '003_index.sql'), 'CREATE INDEX CONCURRENTLY items_note ON app.items (note);\n');
    const run = await runCli(['dry-run', '--shadow', 'drafts/003_index.sql'], { cwd: root, env: { HOME: root } });
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /2 earlier goose migration\(s\) applied first/);
    assert.match(run.stderr, /migration tool goose \(drydock\.json's tool\)/);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('a literal password in shadowConnection is refused with its place, before anything connects', async () => {
  const root = folder(null);
  try {
    fs.writeFileSync(path.join(root, 'drydock.json'), '{\n  "shadowConnection": "postgres://me:hunter2@localhost:1/postgres"\n}\n');
    const run = await runCli(['dry-run', '--shadow', 'db/migrations/002_note.sql'], { cwd: root, env: { HOME: root } });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /invalid drydock\.json: .*drydock\.json:2:3: "shadowConnection" holds a password/);
    assert.doesNotMatch(run.stdout + run.stderr, /hunter2/);
    const check = await runCli(['check', 'db/migrations'], { cwd: root, env: { HOME: root } });
    assert.equal(check.code, 2, 'check reads the same file and refuses it too');
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

describe('shadowConnection on a real PostgreSQL', () => {
  let server: ThrowawayPostgres;
  before(async () => { server = await startPostgres(); });
  after(async () => { await server.stop(); });

  test('${env:DRYDOCK_SHADOW_URL}: the scratch database on that server, the password never printed; an unset variable is a usage error', async () => {
    const root = folder({ shadowSetup: 'runner/setup.sql', shadowConnection: '${env:DRYDOCK_SHADOW_URL}' });
    try {
      const run = await runCli(['dry-run', 'db/migrations/002_note.sql'], { cwd: root, env: { HOME: root, DRYDOCK_SHADOW_URL: server.url('postgres') } });
      assert.equal(run.code, 0, run.stdout + run.stderr);
      assert.match(run.stderr, /shadow on the server of drydock\.json's shadowConnection/);
      assert.match(run.stdout, /scratch|drydock_shadow_/);
      assert.doesNotMatch(run.stdout + run.stderr, new RegExp(server.password));
      const unset = await runCli(['dry-run', 'db/migrations/002_note.sql'], { cwd: root, env: { HOME: root } });
      assert.equal(unset.code, 2);
      assert.match(unset.stderr, /"shadowConnection" names \$\{env:DRYDOCK_SHADOW_URL\}, and that environment variable is not set/);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
