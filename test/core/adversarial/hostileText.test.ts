// Text a migration controls (its SQL, the notices and errors it raises, its file name) cannot drive
// the terminal or the CI runner: no ESC or CR reaches a terminal raw, nothing from the data starts a
// line of the readable report, and no line of the github format is a workflow command but
// Drydock's own annotations.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { describeEachServer, sql } from '../../support/database';
import { runCli } from '../../support/cli';
import { defaultServer } from '../../support/throwawayPostgres';

const ESC = '\u001b';
const FAKE_COMMAND = '::error file=app.js,line=1::injected annotation';

/** The lines a GitHub Actions runner would read as workflow commands (it trims leading spaces), honouring ::stop-commands::. */
function workflowCommands(output: string): string[] {
  const commands: string[] = [];
  let stopToken: string | null = null;
  for (const raw of output.split(/\r?\n/)) {
    const line = raw.trimStart();
    const match = /^::([^\s:]+)(?: [^:]*)?::(.*)$/.exec(line);
    if (!match) continue;
    if (stopToken !== null) {
      if (match[1] === stopToken) stopToken = null;
      continue;
    }
    if (match[1] === 'stop-commands') stopToken = match[2]!;
    else commands.push(line);
  }
  return commands;
}

/** What the runner makes of a command's data (its unescaping). */
const unescapeData = (data: string) => data.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');

describeEachServer('hostile text', (server) => {
  let dir = '';
  let url = '';
  let hostileFile = '';
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drydock-hostile-'));
    url = server().url(await server().createDatabase());
    // A file name holding an escape sequence and a carriage return.
    hostileFile = path.join(dir, `001_name${ESC}[31m\rsucceeded: committed.sql`);
    fs.writeFileSync(hostileFile, [
      'CREATE TABLE hostile (id int);', // a finding, so check names the file
      `DO $$ BEGIN RAISE NOTICE '%', E'\\r\\x1b[2Ksucceeded: committed'; END $$;`,
      `DO $$ BEGIN RAISE NOTICE '%', E'line one\\n${FAKE_COMMAND}\\nsucceeded: committed'; END $$;`,
      `DO $$ BEGIN RAISE NOTICE '%', E'bidi \\u202Edettimmoc :deeccus'; END $$;`,
      `SELECT '${ESC}[2K${ESC}[1Gsucceeded: committed' AS raw_escape_in_sql;`,
      "SELECT '##[error]legacy command in SQL', '##vso[task.complete result=Succeeded]';",
      `DO $$ BEGIN RAISE EXCEPTION '%', E'boom\\n${FAKE_COMMAND}\\r\\nliteral %0A and %25'; END $$;`,
      '',
    ].join('\n'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('text: ESC, CR and bidi controls are shown escaped, and a notice line cannot pose as the verdict', async () => {
    const result = await runCli(['dry-run', '--format', 'text', '--db', url, hostileFile]);
    assert.equal(result.code, 1, result.stdout + result.stderr);
    const out = result.stdout;
    assert.ok(!out.includes(ESC) && !out.includes('\r') && !out.includes('\u202e'), `raw control characters in:\n${JSON.stringify(out)}`);
    assert.match(out, /NOTICE: \\r\\x1b\[2Ksucceeded: committed/);
    assert.match(out, /NOTICE: bidi \\u202edettimmoc :deeccus/);
    assert.match(out, /001_name\\x1b\[31m\\rsucceeded: committed\.sql/);
    const verdicts = out.split('\n').filter((l) => /^(succeeded|failed|refused|cancelled):/.test(l));
    assert.deepEqual(verdicts.map((l) => l.replace(/, \d+ ms$/, '')), ['failed: rolled back'], 'only Drydock\'s own verdict starts a line');
    assert.match(out, /^ {14}\\x3a:error file=app\.js,line=1::injected annotation$/m, 'a notice\'s second line is indented under it, its command escaped');
    // The text format lands in CI logs too: no line is a command to a runner (GitHub trims leading spaces).
    assert.deepEqual(workflowCommands(out), []);
    assert.doesNotMatch(out, /##[\w-]*\[/, 'no legacy ##[…] command anywhere');
  });

  test('github: the only workflow commands are Drydock\'s annotations, whose data reads back as the original message', async () => {
    const result = await runCli(['dry-run', '--format', 'github', '--db', url, hostileFile]);
    assert.equal(result.code, 1, result.stdout + result.stderr);
    assert.ok(!result.stdout.includes(ESC) && !result.stdout.includes('\r'), JSON.stringify(result.stdout));
    const commands = workflowCommands(result.stdout);
    assert.ok(commands.length > 0 && commands.every((c) => /^::(error|warning|notice) file=[^,]*001_name/.test(c)), commands.join('\n'));
    const failure = commands.find((c) => c.includes('title=drydock run-failure'));
    assert.ok(failure, commands.join('\n'));
    const data = unescapeData(failure.slice(failure.indexOf('::', 2) + 2));
    assert.ok(data.includes(`boom\n${FAKE_COMMAND}\\r\nliteral %0A and %25`), `the message survives the round trip: ${JSON.stringify(data)}`);
  });

  test('check: a hostile file name is shown escaped in text and github formats', async () => {
    for (const format of ['text', 'github']) {
      const result = await runCli(['check', '--format', format, hostileFile]);
      assert.ok(!result.stdout.includes(ESC) && !result.stdout.includes('\r'), `${format}: ${JSON.stringify(result.stdout)}`);
      assert.match(result.stdout, /001_name\\x1b\[31m\\rsucceeded(:|%3A) committed\.sql/);
    }
  });

  test('no false alarm: plain text, tabs and newlines of an ordinary migration are shown as they are', async () => {
    const plain = path.join(dir, '002_plain.sql');
    fs.writeFileSync(plain, "DO $$ BEGIN RAISE NOTICE 'tab\there, ünïcode €'; END $$;\nSELECT 1;\n");
    const result = await runCli(['dry-run', '--format', 'text', '--db', url, plain]);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /NOTICE: tab\there, ünïcode €$/m);
    assert.deepEqual(await sql(url, 'SELECT 1 AS one'), [{ one: 1 }]);
  });
}, [defaultServer()]);
