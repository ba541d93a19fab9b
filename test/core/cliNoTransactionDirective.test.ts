// drydock.json's noTransactionDirective: the project's own runner's comment line that runs a file
// outside a transaction. `check` judges such a file as a known directive would make it (no
// needs-no-transaction), a dry-run runs it for real outside a transaction, and the shadow replays an
// earlier one so. The same text elsewhere than at a comment line's start does not count.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { runCli } from '../support/cli';
import { writeFolder } from './shadow/folders';

const CONFIG = JSON.stringify({ noTransactionDirective: '-- runner:no-transaction' });
const TABLE = 'CREATE TABLE items (id bigint PRIMARY KEY, note text);\n';
const CONCURRENT = '-- runner:no-transaction\nCREATE INDEX CONCURRENTLY IF NOT EXISTS items_note ON items (note);\n';

async function ruleIds(files: Record<string, string>, args: string[]): Promise<{ code: number | null; rules: string[]; out: string }> {
  const root = writeFolder(files);
  try {
    const run = await runCli(['check', '--json', ...args], { cwd: root, env: { HOME: root } });
    return { code: run.code, rules: (JSON.parse(run.stdout) as { diagnostics: { ruleId: string }[] }).diagnostics.map((d) => d.ruleId), out: run.stdout + run.stderr };
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

test('check: a file holding the project\'s directive is judged as running outside a transaction', async () => {
  const { rules, out } = await ruleIds({ 'drydock.json': CONFIG, 'db/001_items.sql': TABLE, 'db/002_index.sql': CONCURRENT }, ['db']);
  assert.ok(!rules.includes('needs-no-transaction'), out);
  assert.ok(!rules.includes('ban-concurrent-index-creation-in-transaction'), out);
});

test('must not: without the setting, or with the text inside a statement rather than a comment line, the file is judged as in a transaction', async () => {
  const without = await ruleIds({ 'db/001_items.sql': TABLE, 'db/002_index.sql': CONCURRENT }, ['db']);
  assert.ok(without.rules.includes('needs-no-transaction'), without.out);
  const inString = await ruleIds({
    'drydock.json': CONFIG, 'db/001_items.sql': TABLE,
    'db/002_index.sql': "SELECT '-- runner:no-transaction';\nCREATE INDEX CONCURRENTLY IF NOT EXISTS items_note ON items (note);\n",
  }, ['db']);
  assert.ok(inString.rules.includes('needs-no-transaction'), inString.out);
});

test('dry-run --shadow: the target is judged as running outside a transaction, an earlier such migration is replayed so, and audit applies them', async () => {
  const root = writeFolder({
    'drydock.json': CONFIG, 'db/001_items.sql': TABLE, 'db/002_index.sql': CONCURRENT,
    'db/003_more.sql': '-- runner:no-transaction\nCREATE INDEX CONCURRENTLY IF NOT EXISTS items_id_note ON items (id, note);\n',
  });
  try {
    const run = await runCli(['dry-run', '--shadow', 'db/003_more.sql'], { cwd: root, env: { HOME: root } });
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /2 earlier .*migration\(s\) applied first/);
    // A dry-run always simulates CONCURRENTLY (it is rolled back); what the directive changes is the verdict: no refusal warning.
    assert.doesNotMatch(run.stdout, /\[needs-no-transaction\]/);
    fs.rmSync(path.join(root, 'drydock.json'));
    const bare = await runCli(['dry-run', '--shadow', 'db/003_more.sql'], { cwd: root, env: { HOME: root } });
    assert.match(bare.stdout, /\[needs-no-transaction\]/, 'without the setting the same file is judged as in a transaction');
    fs.writeFileSync(path.join(root, 'drydock.json'), CONFIG);
    const audited = await runCli(['audit', 'db'], { cwd: root, env: { HOME: root } });
    assert.equal(audited.code, 0, audited.stdout + audited.stderr);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('the schema names the setting', () => {
  const schema = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'schemas', 'drydock.schema.json'), 'utf8')) as { properties: Record<string, unknown> };
  assert.ok(schema.properties.noTransactionDirective);
});
