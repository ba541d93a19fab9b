// How a history file's statements meet the transaction they run in, for the scratch shadow's guard:
// what ends the transaction a tool runs a migration in, and what may run inside a BEGIN … COMMIT
// the guard adds around statements that commit by themselves, so that it looks before they commit.
// A statement sent alone outside a transaction is a transaction of its own, and one simple query
// of several statements is one implicit transaction block; an explicit BEGIN … COMMIT around them
// is the same transaction except where PostgreSQL asks whether it is in a block and the answer
// differs (xact.c, postgres.c's exec_simple_query):
// - a statement sent alone: PreventInTransactionBlock (CONCURRENTLY, VACUUM, REINDEX and CLUSTER of
//   partitioned tables, CREATE/DROP DATABASE, tablespaces, ALTER SYSTEM, subscriptions, DISCARD
//   ALL), RequireTransactionBlock (LOCK, DECLARE, the savepoint family), WarnNoTransactionBlock
//   (SET LOCAL, SET TRANSACTION, SET CONSTRAINTS), ANALYZE's "in an outer transaction", and the
//   non-atomic context that lets a DO block or a CALLed procedure COMMIT;
// - several statements in one query: only the transaction statements (an implicit block refuses
//   SAVEPOINT, RELEASE and ROLLBACK TO; BEGIN turns it into an explicit one; COMMIT and ROLLBACK end
//   it and the next statement starts another): every other check answers "in a block" for both.
import type { OffsetRange } from '../model/positions';
import { doBodyOf } from '../parse/innerStatements';
import type { ParsedFile, ParsedStatement } from '../parse/parseMigration';

/** Statement kinds PostgreSQL runs differently when they are sent alone than inside a transaction block. */
const ALONE_DIFFERS: ReadonlySet<string> = new Set([
  'VacuumStmt', 'ReindexStmt', 'ClusterStmt', 'LockStmt', 'DeclareCursorStmt', 'ConstraintsSetStmt', 'CallStmt', 'DiscardStmt',
  'CreatedbStmt', 'DropdbStmt', 'AlterDatabaseStmt', 'CreateTableSpaceStmt', 'DropTableSpaceStmt', 'AlterSystemStmt',
  'CreateSubscriptionStmt', 'AlterSubscriptionStmt', 'DropSubscriptionStmt', 'TransactionStmt',
]);

/** True when a DO block could end its transaction: a COMMIT, ROLLBACK or CALL in its PL/pgSQL body (or a body in another language). */
function doBlockMayEndTransaction(statement: ParsedStatement): boolean {
  const body = 'DoStmt' in statement.node ? doBodyOf(statement.node.DoStmt) : null;
  return !body || body.language !== 'plpgsql' || /\b(?:commit|rollback|call)\b/i.test(body.body);
}

/** True when the statement, sent alone outside a transaction, does exactly what it does inside BEGIN … COMMIT. */
export function runsAloneAsInBlock(statement: ParsedStatement): boolean {
  if (statement.opaque || statement.transactionControl !== null || statement.outsideTransaction) return false;
  const node = statement.node;
  if (ALONE_DIFFERS.has(Object.keys(node)[0] ?? '')) return false;
  if ('VariableSetStmt' in node && (node.VariableSetStmt.is_local === true || node.VariableSetStmt.kind === 'VAR_SET_MULTI')) return false;
  return !('DoStmt' in node) || !doBlockMayEndTransaction(statement);
}

/** The first statement that ends the transaction it runs in (COMMIT, END, ROLLBACK, ABORT, PREPARE TRANSACTION, …), or null. */
export function firstTransactionEnd(statements: readonly ParsedStatement[]): ParsedStatement | null {
  return statements.find((s) => s.transactionControl === 'commit' || s.transactionControl === 'rollback' || s.transactionControl === 'forbidden') ?? null;
}

// Words every statement that ends a transaction starts with; a text holding none is not parsed.
const MAY_END_TRANSACTION = /\b(?:commit|end|rollback|abort|prepared?)\b/i;

/** True when the text cannot hold a statement that ends its transaction (so it need not be parsed to know). */
export function cannotEndTransaction(text: string): boolean {
  return !MAY_END_TRANSACTION.test(text);
}

// Words that every statement that differs alone or in an implicit block starts with or holds
// (above); a text holding none runs inside BEGIN … COMMIT as it runs on its own, unparsed.
const MAY_DIFFER = /\b(?:begin|start|commit|end|rollback|abort|savepoint|release|prepare|concurrently|vacuum|analy[sz]e|reindex|cluster|lock|declare|local|transaction|constraints|call|do|discard|database|tablespace|system|subscription)\b/i;

/** True when a text, sent as one query, certainly runs inside BEGIN … COMMIT as it does on its own (decided from its words alone). */
export function surelyRunsAsInBlock(text: string): boolean {
  return !MAY_DIFFER.test(text);
}

/** One transaction of a text sent as one query: its pieces (runs of statements without the transaction statements between them), and how it ends. */
export interface QuerySegment {
  pieces: OffsetRange[];
  /** 'commit': by the file's COMMIT or at the end of the query; 'rollback': by the file's ROLLBACK; 'open': a BEGIN the text never ends. */
  ends: 'commit' | 'rollback' | 'open';
}

/** A TransactionStmt's kind as the segments read it. */
function transactionKind(s: ParsedStatement): 'begin' | 'commit' | 'rollback' | 'savepoint' | 'other' {
  const node = 'TransactionStmt' in s.node ? s.node.TransactionStmt : null;
  // Modes (BEGIN ISOLATION LEVEL …) and AND CHAIN carry more than where the transaction starts or ends.
  if (node && ((node.options?.length ?? 0) > 0 || node.chain === true)) return 'other';
  switch (s.transactionControl) {
    case 'begin': case 'commit': case 'rollback': case 'savepoint': return s.transactionControl;
    default: return 'other';
  }
}

/**
 * The transactions a text sent as one query runs as, each of which may be sent as BEGIN, its
 * pieces, COMMIT (or ROLLBACK) with the same effect; null when that is not exact: a syntax error
 * (the server's parser decides), a single statement that differs alone, a savepoint statement in
 * an implicit block, a transaction statement with modes or AND CHAIN, PREPARE TRANSACTION.
 */
export function querySegments(parsed: ParsedFile): QuerySegment[] | null {
  const statements = parsed.statements;
  if (parsed.syntaxError || parsed.binary || parsed.metaCommandLines.length > 0) return null;
  if (statements.length === 1) return runsAloneAsInBlock(statements[0]!) ? [{ pieces: [statements[0]!.offsets], ends: 'commit' }] : null;
  const segments: QuerySegment[] = [];
  let current: QuerySegment = { pieces: [], ends: 'commit' };
  let explicit = false;
  let piece: OffsetRange | null = null;
  const closePiece = () => {
    if (piece) current.pieces.push(piece);
    piece = null;
  };
  const closeSegment = (ends: QuerySegment['ends']) => {
    closePiece();
    if (current.pieces.length > 0 || ends === 'open') segments.push({ ...current, ends });
    current = { pieces: [], ends: 'commit' };
    explicit = false;
  };
  for (const s of statements) {
    if (s.opaque && s.transactionControl !== null) return null;
    if (s.transactionControl === null) {
      piece = piece ? { start: piece.start, end: s.offsets.end } : { ...s.offsets };
      continue;
    }
    switch (transactionKind(s)) {
      // BEGIN turns the implicit block into an explicit one (a second BEGIN only warns): the same transaction goes on.
      case 'begin': closePiece(); explicit = true; break;
      case 'commit': closeSegment('commit'); break;
      case 'rollback': closeSegment('rollback'); break;
      // An implicit block refuses these; an explicit one runs them.
      case 'savepoint':
        if (!explicit) return null;
        piece = piece ? { start: piece.start, end: s.offsets.end } : { ...s.offsets };
        break;
      case 'other': return null;
    }
  }
  closeSegment(explicit ? 'open' : 'commit');
  return segments;
}
