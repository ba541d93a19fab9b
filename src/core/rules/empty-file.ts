// A migration without statements usually means the content went elsewhere (or a down section only).
import type { Rule } from './rule';

export const emptyFile: Rule = {
  id: 'empty-file',
  defaultSeverity: 'warning',
  category: 'runnability',
  summary: 'The file holds no SQL statements.',
  help: 'Add the migration\'s statements, or remove the file if it is not needed.',
  check({ file, report }) {
    if (file.binary || file.syntaxError || file.statements.length > 0 || file.metaCommandLines.length > 0) return;
    report({ start: 0, end: Math.min(file.text.length, file.lines.lineOffsets(1).end) }, 'Add the migration\'s SQL, or remove the file: it holds no SQL statements.');
  },
};
