// Inserts `SET lock_timeout` (or statement_timeout) where the file's SQL starts: after a wrapper's
// BEGIN, after the dbmate/goose up marker, else before the first statement.
import type { FileAnalysis } from '../../analyse/fileAnalysis';
import type { Fix } from '../../model/findings';
import { insertText, lineStart } from './edits';

/** A fix that sets the timeout before everything else the file runs. */
export function setTimeoutFix(analysis: FileAnalysis, name: 'lock_timeout' | 'statement_timeout', value: string): Fix | null {
  const file = analysis.file;
  const first = file.statements[0];
  if (!first) return null;
  const line = `SET ${name} = '${value}';\n`;
  if (first.role === 'wrapper') {
    const after = first.offsets.end + (file.text[first.offsets.end] === ';' ? 1 : 0);
    return { title: `Set ${name} to ${value} at the start`, edits: [insertText(file, after, `\n${line.trimEnd()}`)] };
  }
  return { title: `Set ${name} to ${value} at the start`, edits: [insertText(file, lineStart(file.text, first.offsets.start), line)] };
}
