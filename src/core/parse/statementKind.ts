// A short, human name for a statement ("CREATE UNIQUE INDEX", "ALTER TABLE", "DO").
import type { Node } from './pgTypes';
import { StatementText } from './statementText';

const FIXED_KINDS: Record<string, string> = {
  SelectStmt: 'SELECT',
  InsertStmt: 'INSERT',
  UpdateStmt: 'UPDATE',
  DeleteStmt: 'DELETE',
  MergeStmt: 'MERGE',
  DoStmt: 'DO',
  CreateStmt: 'CREATE TABLE',
  CreateTrigStmt: 'CREATE TRIGGER',
  VariableSetStmt: 'SET',
  CopyStmt: 'COPY',
  CallStmt: 'CALL',
};

const ALTER_OBJECTS: Record<string, string> = {
  OBJECT_TABLE: 'TABLE', OBJECT_INDEX: 'INDEX', OBJECT_SEQUENCE: 'SEQUENCE', OBJECT_VIEW: 'VIEW',
  OBJECT_MATVIEW: 'MATERIALIZED VIEW', OBJECT_FOREIGN_TABLE: 'FOREIGN TABLE', OBJECT_TYPE: 'TYPE',
};

// Words after which the leading keywords stop describing the kind of statement.
const STOP_WORDS = new Set(['IF', 'CONCURRENTLY', 'ONLY', 'NOT', 'ALL', 'ON']);

// The kind is in the first few words, which are read without scanning the statement: its leading
// run of plain words, each asked of the real scanner once per process (is it a keyword?). Where a
// comment follows the run (the scanner would read past it) the statement's own tokens are used.
const LEADING_WORDS = /^[A-Za-z_][A-Za-z_0-9$]*(?:\s+[A-Za-z_][A-Za-z_0-9$]*){0,7}/;
const KEYWORDS = new Map<string, boolean>();

function isKeyword(upper: string): boolean {
  let keyword = KEYWORDS.get(upper);
  if (keyword === undefined) {
    keyword = new StatementText(upper).tokens[0]?.keyword === true;
    KEYWORDS.set(upper, keyword);
  }
  return keyword;
}

function leadingTokens(sql: string, makeText: () => StatementText): { upper: string; keyword: boolean }[] {
  const run = LEADING_WORDS.exec(sql);
  if (!run || /^\s*(--|\/\*)/.test(sql.slice(run[0].length))) return makeText().tokens;
  return run[0].split(/\s+/).map((word) => {
    const upper = word.toUpperCase();
    return { upper, keyword: isKeyword(upper) };
  });
}

function nodeType(node: Node): string {
  return Object.keys(node)[0] ?? 'Unknown';
}

/** The statement's kind: fixed for common statements, else its leading keywords (at most three). */
export function statementKind(node: Node, sql: string, makeText: () => StatementText = () => new StatementText(sql)): string {
  const type = nodeType(node);
  if ('IndexStmt' in node) return node.IndexStmt.unique ? 'CREATE UNIQUE INDEX' : 'CREATE INDEX';
  if ('CreateFunctionStmt' in node) return node.CreateFunctionStmt.is_procedure ? 'CREATE PROCEDURE' : 'CREATE FUNCTION';
  if ('AlterTableStmt' in node) return `ALTER ${ALTER_OBJECTS[node.AlterTableStmt.objtype ?? ''] ?? 'TABLE'}`;
  const fixed = FIXED_KINDS[type];
  if (fixed) return fixed;
  const words: string[] = [];
  for (const token of leadingTokens(sql, makeText)) {
    if (!token.keyword || STOP_WORDS.has(token.upper)) break;
    if (words.length > 0 && (token.upper === 'OR' || token.upper === 'REPLACE')) continue;
    words.push(token.upper);
    if (words.length === 3) break;
  }
  return words.length > 0 ? words.join(' ') : type.replace(/Stmt$/, '');
}
