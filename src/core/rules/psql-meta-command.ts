// psql's backslash commands (\i, \set, \connect, …) are client commands the server never sees.
import type { Rule } from './rule';

export const psqlMetaCommand: Rule = {
  id: 'psql-meta-command',
  defaultSeverity: 'error',
  category: 'runnability',
  summary: 'A psql meta-command (\\i, \\set, \\connect, …) is not SQL: only psql understands it.',
  help: 'Inline the SQL the meta-command stands for (the included file, the variable\'s value).',
  check({ file, report }) {
    for (const line of file.metaCommandLines) {
      report(file.lines.lineOffsets(line), 'Write the SQL this stands for: it is a psql meta-command, not SQL, and only psql understands it.');
    }
  },
};
