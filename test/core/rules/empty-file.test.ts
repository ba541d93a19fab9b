import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expectFindings, expectNoFindings } from './expect';

test('empty-file: empty, blank or comment-only files, as a warning', async () => {
  for (const text of ['', '   \n', '-- nothing here\n/* still nothing */\n']) {
    const [finding] = await expectFindings('empty-file', text, [1]);
    assert.equal(finding!.severity, 'warning');
  }
  await expectFindings('empty-file', '-- migrate:up\n-- migrate:down\nDROP TABLE t;\n', [1]);
});

test('empty-file: not for a file with a statement, a syntax error or only meta-commands (those have their own finding)', async () => {
  await expectNoFindings('empty-file', 'SELECT 1;');
  await expectNoFindings('empty-file', 'SELEC 1;');
  await expectNoFindings('empty-file', '\\i other.sql\n');
});
