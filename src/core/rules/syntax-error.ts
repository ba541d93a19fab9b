// What the real PostgreSQL parser refuses never reaches a server.
import type { Rule } from './rule';

export const syntaxError: Rule = {
  id: 'syntax-error',
  defaultSeverity: 'error',
  category: 'runnability',
  summary: 'PostgreSQL\'s parser refuses the text at this token.',
  help: 'Fix the SQL at the underlined token; nothing in the file runs until it parses.',
  check({ file, report }) {
    if (file.syntaxError) report(file.syntaxError.offsets, `Syntax error: ${file.syntaxError.message}`);
  },
};
