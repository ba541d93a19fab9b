// A password never appears in anything the CLI prints, whatever its characters, wherever it came
// from, in every format and command, while migrations make the server echo it back: in a
// statement's text, a notice, an error message and its detail, a fix query's rows, an identifier
// the server cut at 63 bytes, a statement line the text report cuts at 80 columns.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { MASK } from '../../../src/core/model/secretMask';
import { describeEachServer, sql } from '../../support/database';
import { runCli } from '../../support/cli';
import { defaultServer } from '../../support/throwawayPostgres';

// Every character that an escaping could disguise ("  \  %  '  two spaces, unicode beyond the
// BMP), between a head and a tail no escaping changes: any form of it, or any part of it a cut
// left, holds one of them.
const HEAD = 'Zq7x';
const TAIL = 'Vw9k';
const PASSWORD = `${HEAD}"q\\w%41'p  ü€😀-${TAIL}`;
const ROLE = 'hostile_pw';

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;
const dollar = (text: string) => `$pw$${text}$pw$`;
const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;

/** Migrations that make the server say the password back in every way a run reports. */
function writeMigrations(dir: string): void {
  const padding = 'p'.repeat(50);
  fs.writeFileSync(path.join(dir, '001_echo.sql'), [
    `SELECT ${dollar(PASSWORD)} AS echoed;`,
    `DO $$ BEGIN RAISE NOTICE 'the password is %', ${dollar(PASSWORD)}; END $$;`,
    // The text report cuts a statement's line at 80 columns: right inside the password.
    `SELECT '${'a'.repeat(63)} ${literal(PASSWORD).slice(1)} AS cut_at_80;`,
    // The server truncates the name to 63 bytes (a NOTICE quotes both), leaving the password's head.
    `CREATE TABLE IF NOT EXISTS ${ident(padding + PASSWORD)} (v int);`,
    '',
  ].join('\n'));
  const table = ident(`t_${PASSWORD}`);
  fs.writeFileSync(path.join(dir, '002_fail.sql'), [
    `CREATE TABLE ${table} (v text);`,
    `INSERT INTO ${table} VALUES (${dollar(PASSWORD)}), (${dollar(PASSWORD)});`,
    // 23505, its detail quoting the key, and a fix query whose rows hold it.
    `CREATE UNIQUE INDEX ${ident(`uq_${PASSWORD}`)} ON ${table} (v);`,
    '',
  ].join('\n'));
}

/** Every six characters in a row of the password, as given and in each form an output escapes it to. */
const PIECES = (() => {
  const forms = [PASSWORD, JSON.stringify(PASSWORD).slice(1, -1), encodeURIComponent(PASSWORD), PASSWORD.replace(/'/g, "''"), PASSWORD.replace(/"/g, '""'), PASSWORD.replace(/%/g, '%25')];
  const pieces = new Set<string>();
  for (const form of forms) for (let i = 0; i + 6 <= form.length; i++) pieces.add(form.slice(i, i + 6));
  return [HEAD, TAIL, ...pieces];
})();

function assertHidden(label: string, out: string): void {
  for (const part of PIECES) assert.ok(!out.includes(part), `${label}: part of the password (${part}) is shown:\n${out.slice(Math.max(0, out.indexOf(part) - 300), out.indexOf(part) + 300)}`);
  assert.ok(out.includes(MASK), `${label}: the echoed password was masked (the run reached the server and the files)\n${out.slice(0, 2000)}`);
}

const FORMATS = ['text', 'json', 'sarif', 'github'] as const;

describeEachServer('a password is never shown', (server) => {
  let dir = '';
  let database = '';
  let url = (_: string) => '';
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drydock-secrets-'));
    writeMigrations(dir);
    await sql(server().url(), `CREATE ROLE ${ROLE} LOGIN SUPERUSER PASSWORD ${literal(PASSWORD)}`);
    database = await server().createDatabase();
    url = (encoded: string) => `postgres://${ROLE}:${encoded}@127.0.0.1:${server().port}/${database}`;
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const files = () => [path.join(dir, '001_echo.sql'), path.join(dir, '002_fail.sql')];
  // Percent-encoded another way than --db's: lower-case hex.
  const lowerHex = () => url(encodeURIComponent(PASSWORD).replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase()));
  const sources = (): Record<string, { args: string[]; env: Record<string, string> }> => {
    const passfile = path.join(dir, 'pgpass');
    fs.writeFileSync(passfile, `127.0.0.1:${server().port}:*:${ROLE}:${PASSWORD.replace(/[\\:]/g, '\\$&')}\n`, { mode: 0o600 });
    const libpq = { PGHOST: '127.0.0.1', PGPORT: String(server().port), PGUSER: ROLE, PGDATABASE: database };
    return {
      '--db': { args: ['--db', url(encodeURIComponent(PASSWORD))], env: {} },
      DATABASE_URL: { args: [], env: { DATABASE_URL: lowerHex() } },
      PGPASSWORD: { args: [], env: { ...libpq, PGPASSWORD: PASSWORD } },
      '.pgpass': { args: [], env: { ...libpq, PGPASSFILE: passfile } },
    };
  };

  test('dry-run, apply and verify in every format, the password from --db, DATABASE_URL, PGPASSWORD or ~/.pgpass', async () => {
    for (const [source, { args, env }] of Object.entries(sources())) {
      for (const mode of ['dry-run', 'apply', 'verify']) {
        for (const format of FORMATS) {
          const result = await runCli([mode, '--format', format, ...(mode === 'apply' ? ['--yes'] : []), ...args, ...files()], { env });
          const label = `${mode} --format ${format}, password from ${source}`;
          assert.equal(result.code, 1, `${label}: the run fails on the duplicate key / missing index\n${result.stdout}${result.stderr}`);
          assertHidden(label, result.stdout + result.stderr);
        }
      }
    }
  });

  test('check in every format masks the passwords the environment holds (DATABASE_URL, PGPASSWORD, ~/.pgpass)', async () => {
    const { DATABASE_URL: databaseUrl, PGPASSWORD: pgpassword, '.pgpass': pgpass } = sources();
    for (const [source, { env }] of Object.entries({ DATABASE_URL: databaseUrl!, PGPASSWORD: pgpassword!, '.pgpass': pgpass! })) {
      for (const format of FORMATS) {
        const result = await runCli(['check', '--format', format, ...files()], { env });
        assertHidden(`check --format ${format}, password from ${source}`, result.stdout + result.stderr);
      }
    }
  });

  test('the shadow server (--shadow-db) and the reference (--reference) are masked like the connection', async () => {
    for (const format of FORMATS) {
      const shadow = await runCli(['dry-run', '--format', format, '--shadow-db', lowerHex().replace(`/${database}`, '/postgres'), ...files()]);
      assert.equal(shadow.code, 1, shadow.stdout + shadow.stderr);
      assertHidden(`dry-run --shadow-db --format ${format}`, shadow.stdout + shadow.stderr);
      const reference = await runCli(['dry-run', '--format', format, '--db', server().url(database), '--reference', url(encodeURIComponent(PASSWORD)), ...files()]);
      assert.equal(reference.code, 1, reference.stdout + reference.stderr);
      assertHidden(`dry-run --reference --format ${format}`, reference.stdout + reference.stderr);
    }
  });

  test('a run that cannot connect masks the password on stdout and stderr too', async () => {
    const wrong = `postgres://${ROLE}:${encodeURIComponent(PASSWORD)}@127.0.0.1:1/${database}`;
    for (const format of FORMATS) {
      const result = await runCli(['dry-run', '--format', format, '--db', wrong, ...files()]);
      assert.equal(result.code, 2);
      for (const part of PIECES) assert.ok(!(result.stdout + result.stderr).includes(part), `${format}: ${result.stdout}${result.stderr}`);
    }
  });
}, [defaultServer()]);
