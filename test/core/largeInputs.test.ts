// Inputs of any size never crash a command, and an apply's outcome always reaches the user: a
// 10 MB literal or name, a DO block raising 200,000 notices, a file of 200,000 statements. Each
// ended the CLI with exit 2 and no report (after an apply had committed), in some format.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { describeEachServer, sql } from '../support/database';
import { runCli, type CliResult } from '../support/cli';
import { psqlFiles } from '../support/psql';
import { defaultServer } from '../support/throwawayPostgres';

const FORMATS = ['text', 'json', 'sarif', 'github'] as const;
const TEN_MB = 'ab'.repeat(5_000_000);

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'drydock-large-'));
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

function writeFile(name: string, text: string): string {
  const file = path.join(scratch, name);
  fs.writeFileSync(file, text);
  return file;
}

/** The run's outcome line, whatever the format printed. */
function outcomeOf(result: CliResult, format: (typeof FORMATS)[number]): string {
  if (format === 'json') return (JSON.parse(result.stdout) as { outcome: string; committed: boolean }).committed ? 'committed' : 'not committed';
  if (format === 'sarif') return (JSON.parse(result.stdout) as { runs: unknown[] }).runs.length === 1 ? 'sarif' : 'no run';
  return /(succeeded|failed|refused|cancelled): (committed|rolled back)/.exec(result.stdout)?.[0] ?? `no outcome line (exit ${result.code}): ${result.stderr.slice(0, 500)}`;
}

describeEachServer('large inputs', (server) => {
  test('a 10 MB bytea literal: check finds nothing wrong, dry-run and apply succeed in every format, apply stores it', async () => {
    const file = writeFile('bytea.sql', `CREATE TABLE blobs (b bytea);\nINSERT INTO blobs VALUES ('\\x${TEN_MB}');\n`);
    for (const format of FORMATS) {
      const checked = await runCli(['check', '--format', format, file]);
      assert.equal(checked.code, 0, checked.stdout.slice(0, 2000) + checked.stderr);
      assert.doesNotMatch(checked.stdout, /\[internal-error\]|"ruleId": "internal-error"|title=drydock internal-error/);
    }
    for (const format of FORMATS) {
      const url = server().url(await server().createDatabase());
      const dry = await runCli(['dry-run', '--db', url, '--format', format, file]);
      assert.equal(dry.code, 0, dry.stderr);
      if (format === 'text' || format === 'github') assert.equal(outcomeOf(dry, format), 'succeeded: rolled back');
    }
    const url = server().url(await server().createDatabase());
    const applied = await runCli(['apply', '--yes', '--db', url, file]);
    assert.equal(applied.code, 0, applied.stderr);
    assert.equal(outcomeOf(applied, 'text'), 'succeeded: committed');
    assert.deepEqual(await sql(url, 'SELECT octet_length(b) AS n FROM blobs'), [{ n: 5_000_000 }]);
  });

  test('a 10 MB quoted name that does not exist fails with psql\'s 42703 at the name; a 10 MB comment after password= is masked, not a crash', async () => {
    const missing = writeFile('name.sql', `SELECT "${TEN_MB}" FROM (SELECT 1) s;\n`);
    const reference = await psqlFiles(server().url(await server().createDatabase()), [missing], { singleTransaction: true, verbosity: 'sqlstate' });
    assert.match(reference.stderr, /ERROR:\s+42703/);
    const url = server().url(await server().createDatabase());
    const dry = await runCli(['dry-run', '--db', url, '--format', 'json', missing]);
    assert.equal(dry.code, 1, dry.stderr);
    const report = JSON.parse(dry.stdout) as { error: { sqlstate: string; position: unknown } };
    assert.equal(report.error.sqlstate, '42703');
    assert.deepEqual(report.error.position, { line: 1, column: 8 });

    const comment = writeFile('comment.sql', `SELECT 1 /* password='${TEN_MB} */;\n`);
    for (const format of FORMATS) {
      const result = await runCli(['dry-run', '--db', url, '--format', format, comment]);
      assert.equal(result.code, 0, `${format}: ${result.stderr}`);
      assert.doesNotMatch(result.stdout, /abababab/, 'what follows password= is masked');
    }
  });

  test('a DO block raising 200,000 notices: apply commits and every format says so', async () => {
    const file = writeFile('notices.sql', "CREATE TABLE noticed (a int);\nDO $$ BEGIN FOR i IN 1..200000 LOOP RAISE NOTICE 'n %', i; END LOOP; INSERT INTO noticed VALUES (1); END $$;\n");
    for (const format of FORMATS) {
      const url = server().url(await server().createDatabase());
      const applied = await runCli(['apply', '--yes', '--db', url, '--format', format, file]);
      assert.equal(applied.code, 0, `${format}: ${applied.stderr.slice(0, 2000)}`);
      assert.equal(outcomeOf(applied, format), format === 'sarif' ? 'sarif' : format === 'json' ? 'committed' : 'succeeded: committed');
      if (format === 'json') assert.equal((JSON.parse(applied.stdout) as { statements: { notices: unknown[] }[] }).statements[1]!.notices.length, 200_000);
      assert.deepEqual(await sql(url, 'SELECT count(*)::int AS n FROM noticed'), [{ n: 1 }]);
    }
  });

  test('200,000 statements: apply commits them and the report lists every one', async () => {
    const file = writeFile('many.sql', `CREATE TABLE many (a int);\n${Array.from({ length: 200_000 }, (_, i) => `INSERT INTO many VALUES (${i});`).join('\n')}\n`);
    const url = server().url(await server().createDatabase());
    const applied = await runCli(['apply', '--yes', '--db', url, '--no-color', file]);
    assert.equal(applied.code, 0, applied.stderr.slice(0, 2000));
    assert.equal(outcomeOf(applied, 'text'), 'succeeded: committed');
    assert.match(applied.stdout, /many\.sql:200001 {2}INSERT/);
    assert.deepEqual(await sql(url, 'SELECT count(*)::int AS n FROM many'), [{ n: 200_000 }]);
  });
}, [defaultServer()]);
