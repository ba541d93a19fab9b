// The setup mistakes a first run makes, each refused or explained in words a person can act on
// (never the driver's raw text), and a run's text report that leads with its verdict.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { closestOption } from '../../src/cli/options';
import { describeEachServer, exampleMigrations, repoRoot, seededDatabase, sql } from '../support/database';
import { runCli } from '../support/cli';
import { defaultServer } from '../support/throwawayPostgres';

const first = () => path.join(repoRoot, exampleMigrations()[0]!.path);

test('an unknown option is named with the closest one suggested, not node:util\'s text about positionals', async () => {
  const typo = await runCli(['dry-run', '--fromat', 'json', first()]);
  assert.equal(typo.code, 2);
  assert.match(typo.stderr, /^unknown option --fromat for dry-run: did you mean --format\?$/m);
  assert.doesNotMatch(typo.stderr, /positional argument/);
  const check = await runCli(['check', '--pg-verison', '14', first()]);
  assert.match(check.stderr, /did you mean --pg-version\?/);
  const far = await runCli(['check', '--zzzzzzzz', first()]);
  assert.match(far.stderr, /unknown option --zzzzzzzz for check; its options are --json, --format, /);
  assert.equal(closestOption('--sahdow', ['shadow', 'shadow-db']), '--shadow');
  assert.equal(closestOption('--x', ['shadow', 'db']), undefined, 'no suggestion far from every option');
});

test('a missing path says so in words; a --db that is not a URL is refused before connecting, without repeating it', async () => {
  const missing = await runCli(['dry-run', 'no/such/file.sql']);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /cannot read no\/such\/file\.sql: no such file or directory \(ENOENT\)/);
  const notUrl = await runCli(['dry-run', '--db', 'not a url', first()]);
  assert.equal(notUrl.code, 2);
  assert.match(notUrl.stderr, /--db must be a connection URL such as postgres:\/\/user@localhost:5432\/mydb/);
  assert.doesNotMatch(notUrl.stderr + notUrl.stdout, /ENOTFOUND|base/);
  assert.equal(notUrl.stdout, '', 'nothing ran');
  const badUrl = await runCli(['apply', '--yes', '--db', 'postgres://me:se cret#x@[::1/db', first()]);
  assert.equal(badUrl.code, 2);
  assert.match(badUrl.stderr, /not a valid URL/);
  assert.doesNotMatch(badUrl.stderr, /se cret/, 'the password is never repeated');
  const env = await runCli(['verify', first()], { env: { DATABASE_URL: 'localhost' } });
  assert.match(env.stderr, /DATABASE_URL must be a connection URL/);
  const keywords = await runCli(['verify', '--db', 'host=127.0.0.1 port=1 dbname=x user=u password=kw-secret-9', first()]);
  assert.equal(keywords.code, 2, 'libpq key=value strings are still read (and then fail to connect here)');
  assert.doesNotMatch(keywords.stderr, /must be a connection URL/);
  assert.doesNotMatch(keywords.stdout + keywords.stderr, /kw-secret-9/);
});

test('apply and verify with no database configured say how to give one and that a dry-run uses the shadow; nothing is tried on 127.0.0.1:5432', async () => {
  for (const mode of ['apply', 'verify']) {
    const result = await runCli([mode, '--yes', first()].filter((a) => mode === 'apply' || a !== '--yes'));
    assert.equal(result.code, 2, result.stdout + result.stderr);
    assert.match(result.stderr, new RegExp(`^${mode} needs a database and none was given: pass --db postgres://`, 'm'));
    assert.match(result.stderr, /DATABASE_URL/);
    assert.match(result.stderr, /A dry-run needs none: without a database it runs on the shadow/);
    assert.doesNotMatch(result.stdout + result.stderr, /ECONNREFUSED/);
  }
});

test('--shadow with --db is refused, saying what each does (the run cannot go to both)', async () => {
  const result = await runCli(['dry-run', '--shadow', '--db', 'postgres://u:zq-pw-3@127.0.0.1:1/db', first()]);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /--shadow and --db contradict each other: --shadow dry-runs on PGlite .* never connects to --db/);
  assert.match(result.stderr, /--shadow-db URL/);
  assert.doesNotMatch(result.stderr, /zq-pw-3/);
});

describeEachServer('CLI setup on a real server', (server) => {
  test('a URL without a password where the server wants one: said in words, with where to put it; not the driver\'s SASL text', async () => {
    const url = server().url(await seededDatabase(server())).replace(`:${server().password}@`, '@');
    const result = await runCli(['verify', '--db', url, first()]);
    assert.equal(result.code, 2, result.stdout + result.stderr);
    assert.match(result.stdout, /The server asks for a password and the connection gives none/);
    assert.match(result.stderr, /drydock: could not connect to .*@127\.0\.0\.1:\d+\/\S+ \(from --db\): the server asks for a password and none was given\. Put it in the URL .*PGPASSWORD or ~\/\.pgpass/);
    assert.doesNotMatch(result.stdout.split('\n')[0]!, /SASL/, 'the verdict line is in words');
  });

  test('a server that is not there: the connection tried and where it came from (PG* variables), never a password', async () => {
    const result = await runCli(['verify', first()], { env: { PGHOST: '127.0.0.1', PGPORT: '1', PGUSER: 'me', PGPASSWORD: 'pg-env-secret-5' } });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /could not connect to me@127\.0\.0\.1:1\/\S* \(from PGHOST, PGPORT, PGUSER\): no server answered there\. Is PostgreSQL running/);
    assert.doesNotMatch(result.stdout + result.stderr, /pg-env-secret-5/);
  });

  test('the text report leads with its verdict: outcome, counts, and rule errors that did not stop the run said as such; a failed verification is not a "Database error … DRY01"', async () => {
    const url = server().url(await seededDatabase(server()));
    const files = exampleMigrations().map((f) => path.join(repoRoot, f.path));
    const run = await runCli(['dry-run', '--no-color', '--db', url, ...files]);
    assert.equal(run.code, 0, run.stderr);
    const [verdict] = run.stdout.split('\n');
    assert.match(verdict!, /^drydock dry-run: succeeded, rolled back · 5 files, 19 statements \(\d+ ok, \d+ skipped\), 18 of 20 declared objects verified · findings: \d+ errors, \d+ info \(rule findings: they did not stop the run; drydock check fails on them\) · PostgreSQL /);
    assert.match(run.stdout, /\nsucceeded: rolled back, \d+ ms\n$/, 'the last line is still the outcome');
    assert.doesNotMatch(run.stdout, new RegExp(server().password));
    // A declared object that is missing: verify fails by Drydock's own check, named as such.
    const verify = await runCli(['verify', '--no-color', '--db', url, files[4]!]);
    assert.equal(verify.code, 1, verify.stdout + verify.stderr);
    assert.match(verify.stdout.split('\n')[0]!, /^drydock verify: failed at \S+005_add_unique_message_order\.sql \(Verification failed\), read only · /);
    assert.match(verify.stdout, /^Verification failed/m);
    assert.doesNotMatch(verify.stdout, /Database error|DRY01/);
    const sarif = await runCli(['verify', '--format', 'json', '--db', url, files[4]!]);
    assert.equal(JSON.parse(sarif.stdout).error.sqlstate, 'DRY01', 'the JSON contract keeps the code');
    assert.deepEqual(await sql(url, "SELECT 1 FROM pg_indexes WHERE indexname LIKE 'idx\\_%'"), []);
  });
}, [defaultServer()]);

describeEachServer('dry-run on a partly migrated database', (server) => {
  test('the files the tool\'s bookkeeping lists as applied are left out and named; --all runs them (and fails with 42P07, as before); all applied runs nothing', async () => {
    const url = server().url(await server().createDatabase());
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'drydock-pending-'));
    try {
      const dir = path.join(root, 'db', 'migration');
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, 'V1__create_notes.sql'), 'CREATE TABLE notes (id bigint PRIMARY KEY);\n');
      fs.writeFileSync(path.join(dir, 'V2__add_body.sql'), 'ALTER TABLE notes ADD COLUMN body text;\n');
      const fresh = await runCli(['dry-run', '--no-color', '--db', url, dir]);
      assert.equal(fresh.code, 0, fresh.stdout + fresh.stderr);
      assert.doesNotMatch(fresh.stderr, /bookkeeping/, 'a database the tool never migrated: every file runs');
      await sql(url, `CREATE TABLE notes (id bigint PRIMARY KEY);
        CREATE TABLE flyway_schema_history (installed_rank integer PRIMARY KEY, version varchar(50), description varchar(200) NOT NULL, type varchar(20) NOT NULL,
          script varchar(1000) NOT NULL, checksum integer, installed_by varchar(100) NOT NULL, installed_on timestamp NOT NULL DEFAULT now(), execution_time integer NOT NULL, success boolean NOT NULL);
        INSERT INTO flyway_schema_history VALUES (1, '1', 'create notes', 'SQL', 'V1__create_notes.sql', NULL, 'me', now(), 1, true);`);
      const pending = await runCli(['dry-run', '--no-color', '--db', url, dir]);
      assert.equal(pending.code, 0, pending.stdout + pending.stderr);
      assert.match(pending.stderr, /flyway_schema_history \(flyway's bookkeeping\) lists 1 of these files as applied: \S*V1__create_notes\.sql; dry-running the 1 pending\. --all dry-runs them too/);
      assert.match(pending.stdout.split('\n')[0]!, /^drydock dry-run: succeeded, rolled back · 1 file, 1 statement \(1 ok\)/);
      assert.doesNotMatch(pending.stdout + pending.stderr, new RegExp(server().password));
      const all = await runCli(['dry-run', '--no-color', '--all', '--db', url, dir]);
      assert.equal(all.code, 1);
      assert.match(all.stdout, /SQLSTATE 42P07/);
      await sql(url, "ALTER TABLE notes ADD COLUMN body text; INSERT INTO flyway_schema_history VALUES (2, '2', 'add body', 'SQL', 'V2__add_body.sql', NULL, 'me', now(), 1, true);");
      const none = await runCli(['dry-run', '--json', '--db', url, dir]);
      assert.equal(none.code, 0, none.stdout + none.stderr);
      assert.match(none.stderr, /lists 2 of these files as applied: .*; every file given is applied: nothing is pending, nothing was run/);
      assert.deepEqual(JSON.parse(none.stdout).statements, []);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
}, [defaultServer()]);
