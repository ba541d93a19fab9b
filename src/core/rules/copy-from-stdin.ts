// COPY … FROM STDIN needs a client that streams the data after the statement, as psql does.
import { copiesFromStdin } from '../parse/parseMigration';
import type { Rule } from './rule';

export const copyFromStdin: Rule = {
  id: 'copy-from-stdin',
  defaultSeverity: 'error',
  category: 'runnability',
  summary: 'COPY … FROM STDIN needs a client that streams data (psql); a migration file cannot supply it.',
  help: 'Load the data with INSERT … VALUES, or COPY from a server-side file, or a separate data-loading step.',
  check({ file, report }) {
    for (const s of file.statements) {
      if (copiesFromStdin(s)) {
        report(s.offsets, 'Load the data with INSERT, or COPY from a file on the server: COPY … FROM STDIN needs a client that streams data (psql), and cannot run from a migration file here.');
      }
    }
  },
};
