import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expectFindings, expectNoFindings, findingsOf } from './expect';

test('binary-file: NUL bytes or invalid UTF-8 (decoded as U+FFFD) are reported at the start, and nothing else is', async () => {
  const [finding] = await expectFindings('binary-file', 'CREATE TABLE t (id int);\u0000\u0007', [1]);
  assert.equal(finding!.severity, 'error');
  assert.deepEqual((await findingsOf('SELECT 1;\u0000')).map((f) => f.ruleId), ['binary-file']);
  await expectFindings('binary-file', 'SELECT \uFFFD;', [1]);
});

test('binary-file: text in any script, emoji included, is not binary', async () => {
  await expectNoFindings('binary-file', "SELECT 'übersicht ☃ 🚀 日本語';");
  await expectNoFindings('binary-file', '');
});
