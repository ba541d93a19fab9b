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

// The kind is in the first few words: a long statement (a function or view body) is scanned only
// up to a cut at whitespace near here. Tokens before a cut at whitespace are the whole scan's own;
// a cut inside a string, comment or dollar body leaves no tokens, and then the whole text is scanned.
const LEADING_CHARS = 160;

function leadingTokens(sql: string, makeText: () => StatementText): StatementText['tokens'] {
  const cut = sql.length > LEADING_CHARS * 2 ? sql.indexOf(' ', LEADING_CHARS) : -1;
  if (cut > 0) {
    const tokens = new StatementText(sql.slice(0, cut)).tokens;
    if (tokens.length > 0) return tokens;
  }
  return makeText().tokens;
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
