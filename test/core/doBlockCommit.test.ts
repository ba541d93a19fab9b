// A DO block that COMMITs as it goes (a batched backfill: Supabase Storage 0029 and 0030, marked
// `-- postgres-migrations disable-transaction`) cannot run inside a transaction block: PostgreSQL
// refuses it with 2D000. It is a statement that needs no transaction, like VACUUM: a dry-run does
// not run it (it could not roll it back) and says so; applied alone with its runner's directive, it
// runs outside a transaction and commits its batches, as psql running the file does.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { runCli } from '../support/cli';
import { describeEachServer, sql } from '../support/database';
import { psqlFiles } from '../support/psql';
import { expectFindings, expectNoFindings } from './rules/expect';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'drydock-do-commit-'));
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

const BACKFILL = `DO $$
DECLARE n int;
BEGIN
  LOOP
    UPDATE bf SET done = true WHERE id IN (SELECT id FROM bf WHERE NOT done LIMIT 2);
    GET DIAGNOSTICS n = ROW_COUNT;
    COMMIT;
    EXIT WHEN n = 0;
  END LOOP;
END $$;
`;

test('needs-no-transaction: a DO block that COMMITs or ROLLBACKs, at its line; not for the words in a comment or a string, nor with a directive', async () => {
  await expectFindings('needs-no-transaction', `SELECT 1;\n${BACKFILL}`, [2]);
  await expectFindings('needs-no-transaction', 'DO $$ BEGIN IF random() > 2 THEN ROLLBACK; END IF; END $$;', [1], { mode: 'apply' });
  await expectNoFindings('needs-no-transaction', "DO $$ BEGIN -- COMMIT here would end it\n  RAISE NOTICE 'commit; rollback;'; END $$;");
  await expectNoFindings('needs-no-transaction', `-- postgres-migrations disable-transaction\n${BACKFILL}`, { mode: 'apply' });
});

function file(name: string, text: string): string {
  const at = path.join(fs.mkdtempSync(path.join(scratch, 'case-')), name);
  fs.writeFileSync(at, text);
  return at;
}

describeEachServer('a DO block that commits as it goes', (server) => {
  test('a dry-run does not run it and says why; an apply of the file with its directive commits its batches as psql does', async () => {
    const migration = file('0029-backfill.sql', `-- postgres-migrations disable-transaction\n${BACKFILL}`);
    const setup = 'CREATE TABLE bf (id int, done bool NOT NULL DEFAULT false); INSERT INTO bf (id) SELECT generate_series(1, 5)';
    const dryDb = server().url(await server().createDatabase());
    await sql(dryDb, setup);
    const dry = await runCli(['dry-run', '--json', migration], { env: { DATABASE_URL: dryDb } });
    assert.equal(dry.code, 0, dry.stdout + dry.stderr);
    const report = JSON.parse(dry.stdout) as { outcome: string; statements: { status: string; note?: string }[] };
    assert.equal(report.outcome, 'succeeded');
    assert.equal(report.statements[0]?.status, 'simulated');
    assert.match(report.statements[0]?.note ?? '', /not executed: a DO block that runs COMMIT \(line 7 of its body\) cannot run inside a transaction block/);
    assert.deepEqual(await sql(dryDb, 'SELECT count(*)::int AS n FROM bf WHERE done'), [{ n: 0 }]);

    const applyDb = server().url(await server().createDatabase());
    const psqlDb = server().url(await server().createDatabase());
    for (const url of [applyDb, psqlDb]) await sql(url, setup);
    const applied = await runCli(['apply', '--yes', '--json', migration], { env: { DATABASE_URL: applyDb } });
    assert.equal(applied.code, 0, applied.stdout + applied.stderr);
    assert.equal((JSON.parse(applied.stdout) as { transactional: boolean }).transactional, false);
    const psql = await psqlFiles(psqlDb, [migration], { singleTransaction: false });
    assert.equal(psql.code, 0, psql.stderr);
    for (const url of [applyDb, psqlDb]) assert.deepEqual(await sql(url, 'SELECT count(*)::int AS n FROM bf WHERE done'), [{ n: 5 }]);
  });

  test('without the directive, PostgreSQL refuses it in a transaction, and so does an apply (before sending anything)', async () => {
    const migration = file('0030-backfill.sql', BACKFILL);
    const url = server().url(await server().createDatabase());
    await sql(url, 'CREATE TABLE bf (id int, done bool NOT NULL DEFAULT false); INSERT INTO bf (id) VALUES (1)');
    const psql = await psqlFiles(url, [migration], { singleTransaction: true });
    assert.match(psql.stderr, /invalid transaction termination/);
    const applied = await runCli(['apply', '--yes', '--json', migration], { env: { DATABASE_URL: url } });
    assert.notEqual(applied.code, 0);
    assert.equal((JSON.parse(applied.stdout) as { outcome: string }).outcome, 'refused');
    assert.deepEqual(await sql(url, 'SELECT count(*)::int AS n FROM bf WHERE done'), [{ n: 0 }]);
  });
});
