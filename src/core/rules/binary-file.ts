// A file that is not UTF-8 text (NUL bytes, invalid UTF-8) is never sent to the server.
import type { Rule } from './rule';

export const binaryFile: Rule = {
  id: 'binary-file',
  defaultSeverity: 'error',
  category: 'runnability',
  summary: 'The file is not UTF-8 text, so it is not parsed or run.',
  help: 'Save the migration as UTF-8 text; binary dumps are restored with pg_restore, not run as migrations.',
  check({ file, report }) {
    if (file.binary) report({ start: 0, end: 0 }, 'Save it as UTF-8 text, or move it out of the migrations: it is not a text SQL file (it contains NUL bytes or invalid UTF-8).');
  },
};
