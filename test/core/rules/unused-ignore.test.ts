import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expectNoFindings, expectRanges, findingsOf } from './expect';

test('unused-ignore: an ignore that silences nothing, and an id that is no rule, at the comment', async () => {
  const sql = '-- drydock-ignore require-concurrent-index-creation: already concurrent\nCREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (a);\n-- drydock-ignore-file no-such-rule\n';
  const found = await expectRanges('unused-ignore', sql, [[1, 1, 1, 72], [3, 1, 3, 36]]);
  assert.match(found[0]!.message, /^Remove this ignore of require-concurrent-index-creation: the rule reports nothing on the next statement/);
  assert.match(found[1]!.message, /^Correct or remove no-such-rule in this ignore: it is not a Drydock rule/);
});

test('drydock-ignore silences the named rules on the next statement only; -ignore-file on the whole file; squawk-ignore for shared names', async () => {
  const sql = '-- drydock-ignore require-concurrent-index-creation, require-lock-timeout: the table is empty here\nCREATE INDEX i1 ON t (a);\nCREATE INDEX i2 ON t (b);';
  const ids = (await findingsOf(sql)).map((f) => [f.ruleId, f.range.start.line]);
  assert.deepEqual(ids.filter(([id]) => id === 'require-concurrent-index-creation'), [['require-concurrent-index-creation', 3]]);
  assert.deepEqual(ids.filter(([id]) => id === 'require-lock-timeout'), []);
  const file = '-- drydock-ignore-file require-concurrent-index-creation\nCREATE INDEX i1 ON t (a);\nCREATE INDEX i2 ON t (b);';
  assert.deepEqual((await findingsOf(file)).filter((f) => f.ruleId === 'require-concurrent-index-creation'), []);
  const squawk = '-- squawk-ignore require-concurrent-index-creation\nCREATE INDEX i1 ON t (a);\n-- squawk-ignore ban-drop-column\nSELECT 1;';
  assert.deepEqual((await findingsOf(squawk)).filter((f) => f.ruleId === 'require-concurrent-index-creation' || f.ruleId === 'unused-ignore'), []);
  const inner = 'DO $$\nBEGIN\n  -- drydock-ignore require-concurrent-index-creation: guarded by to_regclass\n  CREATE INDEX i1 ON t (a);\n  CREATE INDEX i2 ON t (b);\nEND $$;';
  assert.deepEqual((await findingsOf(inner)).filter((f) => f.ruleId === 'require-concurrent-index-creation').map((f) => f.range.start.line), [5]);
});

test('unused-ignore: not for used ignores, ignores of rules turned off, or squawk-ignore', async () => {
  await expectNoFindings('unused-ignore', '-- drydock-ignore require-concurrent-index-creation: empty table\nCREATE INDEX i ON t (a);');
  await expectNoFindings('unused-ignore', '-- drydock-ignore ban-drop-column\nSELECT 1;', { settings: { rules: { 'ban-drop-column': 'off' } } });
  await expectNoFindings('unused-ignore', '-- squawk-ignore prefer-robust-stmts\nSELECT 1;');
});

test('unused-ignore: a bare -- drydock-ignore (or -ignore-file, or one with only a reason) names no rule and silences nothing', async () => {
  const sql = '-- drydock-ignore\nCREATE INDEX i1 ON t (a);\n-- drydock-ignore: the table is empty\nCREATE INDEX i2 ON t (b);\n-- drydock-ignore-file\n';
  const found = await expectRanges('unused-ignore', sql, [[1, 1, 1, 18], [3, 1, 3, 38], [5, 1, 5, 23]]);
  assert.match(found[0]!.message, /^Name the rules this ignore is for, or remove it: it names no rule, so it silences nothing/);
  assert.match(found[2]!.message, /-- drydock-ignore-file <rule-id>: reason/);
  // It silences nothing indeed.
  assert.deepEqual((await findingsOf(sql)).filter((f) => f.ruleId === 'require-concurrent-index-creation').map((f) => f.range.start.line), [2, 4]);
});

test('unused-ignore: not for a bare -- squawk-ignore, nor for words that only begin like an ignore', async () => {
  await expectNoFindings('unused-ignore', '-- squawk-ignore\nCREATE INDEX i1 ON t (a);');
  await expectNoFindings('unused-ignore', '-- drydock-ignored before: see README\nSELECT 1;\n-- drydock-ignores\nSELECT 2;');
});

test('unused-ignore: an ignore line of many blanks is read in one pass', async () => {
  const sql = `-- drydock-ignore${' '.repeat(20_000)}!\n-- drydock-ignore require-concurrent-index-creation${'\t '.repeat(10_000)}!\nCREATE INDEX i1 ON t (a);`;
  assert.deepEqual((await findingsOf(sql)).filter((f) => f.ruleId === 'unused-ignore'), []);
});
