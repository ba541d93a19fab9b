import { test } from 'node:test';
import { expectFindings, expectNoFindings } from './expect';

test('psql-meta-command: each backslash command line, indented ones too', async () => {
  await expectFindings('psql-meta-command', 'SELECT 1;\n\\set ON_ERROR_STOP on\nSELECT 2;\n  \\i other.sql\n\\connect db\n', [2, 4, 5]);
});

test('psql-meta-command: backslashes in strings, E-strings and function bodies are not commands', async () => {
  await expectNoFindings('psql-meta-command', "SELECT E'a\\\\b', 'C:\\temp';\nDO $$\nBEGIN\n  RAISE NOTICE '\\i not a command';\nEND $$;");
});
