// Fixes for statements that must run outside a transaction (CONCURRENTLY): where the file runs in
// one, either the file gets its tool's no-transaction directive (when the statement is all it
// does) or the statement moves to a migration of its own with that directive, named to run right
// after this one — the same layouts the templates write.
import type { AnalysedStatement, FileAnalysis } from '../../analyse/fileAnalysis';
import type { Fix, TextEdit } from '../../model/findings';
import type { ParsedFile } from '../../parse/parseMigration';
import { NO_TRANSACTION_CONVENTIONS, noTransactionConventionFor } from '../../parse/toolConventions';
import { applyEdits, insertText, replaceText } from './edits';
import { provisionalFollowingPath } from './followingMigration';

interface ToolDirective {
  /** Edits that make this file run outside a transaction. */
  inPlace(analysis: FileAnalysis): TextEdit[];
  /** A new file's text holding `statement`. */
  newFile(statement: string): string;
}

const DBMATE_UP = /^--\s*migrate:up\b.*$/m;
const GOOSE_UP = /^--\s*\+goose\s+Up\b/im;
const SQL_MIGRATE_UP = /^-- \+migrate Up\b.*$/m;

/** Edits that put `marker`'s option at the end of the line `line` matches (dbmate's and sql-migrate's up markers). */
function withOption(line: RegExp, option: string): ToolDirective['inPlace'] {
  return (a) => {
    const m = line.exec(a.file.text)!;
    return [replaceText(a.file, { start: m.index, end: m.index + m[0].length }, `${m[0].trimEnd()} ${option}`)];
  };
}

/**
 * The file's own tool's way (its markers, its name, else the files checked with it: a
 * postgres-migrations folder's other directives), else Drydock's; null when the tool has none a
 * fix can write into the file.
 */
function directiveOf(file: ParsedFile, files: readonly ParsedFile[]): ToolDirective | 'tool-detects' | null {
  const text = file.text;
  if (DBMATE_UP.test(text)) {
    return { inPlace: withOption(DBMATE_UP, 'transaction:false'), newFile: (sql) => `-- migrate:up transaction:false\n${sql};\n\n-- migrate:down\n` };
  }
  if (GOOSE_UP.test(text)) {
    return { inPlace: (a) => [insertText(a.file, 0, '-- +goose NO TRANSACTION\n')], newFile: (sql) => `-- +goose NO TRANSACTION\n-- +goose Up\n${sql};\n` };
  }
  if (SQL_MIGRATE_UP.test(text)) {
    return { inPlace: withOption(SQL_MIGRATE_UP, 'notransaction'), newFile: (sql) => `-- +migrate Up notransaction\n${sql};\n\n-- +migrate Down\n` };
  }
  const convention = noTransactionConventionFor(file, files) ?? NO_TRANSACTION_CONVENTIONS.drydock;
  // Flyway runs a migration holding only CREATE INDEX CONCURRENTLY outside a transaction by itself.
  if (convention.tool === 'flyway') return 'tool-detects';
  const line = convention.firstLine;
  if (line === null) return null;
  return { inPlace: (a) => [insertText(a.file, 0, `${line}\n`)], newFile: (sql) => `${line}\n${sql};\n` };
}

/**
 * The statement's span with its semicolon and line break, for moving it out; with the blank line
 * that set it apart when nothing follows it or another blank line would, so no gap is left behind.
 */
export function statementSpan(text: string, offsets: { start: number; end: number }): { start: number; end: number } {
  // Scanned by hand around the statement: a file with thousands of such fixes must not rescan its text for each.
  const isBlank = (c: string | undefined) => c === ' ' || c === '\t' || c === '\r';
  let end = offsets.end;
  if (text[end] === ';') end += 1;
  while (isBlank(text[end])) end += 1;
  if (text[end] === '\n') end += 1;
  let start = offsets.start;
  while (start > 0 && (text[start - 1] === ' ' || text[start - 1] === '\t')) start -= 1;
  // Only a statement that starts its line takes the line's indentation and a blank line with it.
  if (start > 0 && text[start - 1] !== '\n') return { start: offsets.start, end };
  /** The end of the blank line starting at `at` (past its line break), else -1. */
  const blankLineEnd = (at: number) => {
    let i = at;
    while (isBlank(text[i])) i += 1;
    return text[i] === '\n' ? i + 1 : -1;
  };
  /** The start of the blank line ending just before `at` (a line break at at - 1), else -1. */
  const blankLineStart = (at: number) => {
    if (at < 1 || text[at - 1] !== '\n') return -1;
    let i = at - 1;
    while (i > 0 && isBlank(text[i - 1])) i -= 1;
    return i === 0 || text[i - 1] === '\n' ? i : -1;
  };
  const before = blankLineStart(start);
  const after = end >= text.length ? end : blankLineEnd(end);
  if (before >= 0 && after >= 0) return { start: before, end };
  // The file's first statement: the blank line after it goes, or the file would start with one.
  if (start === 0 && after > end) return { start, end: after };
  return { start, end };
}

interface FileFacts {
  directive: ToolDirective | 'tool-detects' | null;
  /** Statements other than SET (which may share a no-transaction file): can one statement be alone? */
  substantive: number;
  wrapped: boolean;
}

// Read once per file: a file with thousands of findings must not rescan its text for each fix. A
// parsed file is checked with one set of files, so its tool is the same for each of its fixes.
const FACTS = new WeakMap<ParsedFile, FileFacts>();

function factsOf(file: ParsedFile, files: readonly ParsedFile[]): FileFacts {
  let facts = FACTS.get(file);
  if (!facts) {
    facts = {
      directive: directiveOf(file, files),
      substantive: file.statements.filter((s) => s.role === 'statement' && !('VariableSetStmt' in s.node)).length,
      wrapped: file.statements[0]?.role === 'wrapper',
    };
    FACTS.set(file, facts);
  }
  return facts;
}

/**
 * A fix that applies `edits` (e.g. inserting CONCURRENTLY) to a statement that cannot run in a
 * transaction, making sure it will not: null inside a DO block, which always runs in one.
 */
export function outsideTransactionFix(analysis: FileAnalysis, at: AnalysedStatement, title: string, edits: TextEdit[], files: readonly ParsedFile[] = []): Fix | null {
  if (at.nested !== null) return null;
  if (!analysis.inTransaction) return { title, edits };
  const file = analysis.file;
  const { directive, substantive, wrapped } = factsOf(file, files);
  if (directive === 'tool-detects') {
    // Alone in its file, Flyway runs it outside a transaction; beside other statements it would need Flyway's `mixed` setting.
    return substantive === 1 && !wrapped ? { title: `${title} (Flyway runs the migration outside a transaction when it holds it)`, edits } : null;
  }
  if (directive === null) return null;
  if (substantive === 1 && !wrapped) {
    return { title: `${title} and run the file outside a transaction`, edits: [...directive.inPlace(analysis), ...edits] };
  }
  const span = statementSpan(file.text, at.offsets);
  // The edits fall inside the statement: apply them to its text alone.
  const moved = applyEdits(file.text.slice(span.start, span.end), edits.map((e) => ({ ...e, offsets: { start: e.offsets.start - span.start, end: e.offsets.end - span.start } })));
  const newPath = provisionalFollowingPath(file.file, 'concurrently');
  return {
    title: `${title} in a migration of its own (${newPath.slice(newPath.lastIndexOf('/') + 1)}) that runs outside a transaction`,
    edits: [replaceText(file, span, '')],
    newFiles: [{ file: newPath, text: directive.newFile(moved.trim().replace(/;$/, '')), following: 'concurrently' }],
  };
}

/**
 * A new migration holding `body` (statements ending in ";\n") in the fixed file's own layout (dbmate's,
 * goose's, sql-migrate's up and down markers), marked to run outside a transaction when
 * `noTransaction`; null when it must and the tool has no directive a fix can write into the file
 * (Flyway's is a config file of its own, and Flyway detects only CONCURRENTLY by itself).
 */
export function newMigrationText(file: ParsedFile, body: string, noTransaction: boolean): string | null {
  const text = file.text;
  if (DBMATE_UP.test(text)) return `-- migrate:up${noTransaction ? ' transaction:false' : ''}\n${body}\n-- migrate:down\n`;
  if (GOOSE_UP.test(text)) return `${noTransaction ? '-- +goose NO TRANSACTION\n' : ''}-- +goose Up\n${body}`;
  if (SQL_MIGRATE_UP.test(text)) return `-- +migrate Up${noTransaction ? ' notransaction' : ''}\n${body}\n-- +migrate Down\n`;
  if (!noTransaction) return body;
  const line = (noTransactionConventionFor(file) ?? NO_TRANSACTION_CONVENTIONS.drydock).firstLine;
  return line === null ? null : `${line}\n${body}`;
}

/**
 * How this file is made to run outside a transaction in place: the edits (none when its tool does
 * so by itself for a file holding only CONCURRENTLY, as Flyway), or null when no directive can be
 * written into it; with its count of statements other than SET and whether BEGIN … COMMIT wraps them.
 */
export function noTransactionInPlace(analysis: FileAnalysis, files: readonly ParsedFile[] = []): { edits: TextEdit[] | null; substantive: number; wrapped: boolean } {
  const { directive, substantive, wrapped } = factsOf(analysis.file, files);
  const edits = directive === 'tool-detects' ? [] : directive === null ? null : directive.inPlace(analysis);
  return { edits, substantive, wrapped };
}
