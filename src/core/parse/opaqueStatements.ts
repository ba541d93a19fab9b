// When the parser cannot build the tree of a whole text (a statement nested deeper than it can
// print: a `1+1+…` of ten thousand terms, thousands of nested subqueries), the text is split into
// statements by the scanner alone, exactly where psql splits a script, and each statement is
// parsed on its own. One that still cannot be parsed is kept as written and marked opaque: it is
// sent as psql would send it, and what the run must know before sending it (its kind, whether it
// controls the transaction, whether it can run inside one) is read from its leading words.
import type { OffsetRange } from '../model/positions';
import { scanSql, type Node, type ScanToken } from './pgParser';
import type { OutsideTransaction, TransactionControl } from './transactionFacts';

/** Why a statement has no parse tree. */
export interface OpaqueReason {
  reason: string;
}

/** The reason every opaque statement gives. */
export const NESTED_TOO_DEEPLY: OpaqueReason = {
  reason: 'nested too deeply for the parser Drydock uses (it ran out of stack): sent as written, not judged by the rules',
};

/** The node an opaque statement carries: empty, so no rule, probe or walk recognises anything in it. */
export function opaqueNode(): Node {
  return {} as Node;
}

/** A statement psql would send: its text from the end of the one before (byte offsets), and its tokens' extent. */
export interface ScannedStatement {
  /** From the end of the previous statement (comments before it stay with it) to just after its `;`. */
  piece: OffsetRange;
  /** From its first token to the end of its last token before the `;`. */
  statement: OffsetRange;
}

const WORD = /^[A-Za-z_\u0080-\uffff]/;
const COMMENT_TOKENS = new Set(['SQL_COMMENT', 'C_COMMENT']);

/**
 * The statements of a text, split as psql splits a script (psqlscan.l): at a `;` outside
 * parentheses, except inside the BEGIN … END of a CREATE [OR REPLACE] FUNCTION/PROCEDURE (a SQL
 * body), where psql counts BEGIN, CASE and END. Offsets are bytes of the UTF-8 text.
 */
export function scannedStatements(text: string): ScannedStatement[] {
  const tokens = scanSql(text);
  const out: ScannedStatement[] = [];
  let pieceStart = 0;
  let first: ScanToken | null = null;
  let last: ScanToken | null = null;
  let parens = 0;
  let begins = 0;
  // The statement's first four words as psql records them: the initial of create, or, replace,
  // function and procedure, a space for any other word.
  let leading = '';
  for (const token of tokens) {
    // The scanner gives comments as tokens too; they belong to no statement's extent.
    if (COMMENT_TOKENS.has(token.tokenName)) continue;
    if (token.text === ';' && parens === 0 && begins === 0) {
      if (first && last) out.push({ piece: { start: pieceStart, end: token.end }, statement: { start: first.start, end: last.end } });
      pieceStart = token.end;
      first = last = null;
      leading = '';
      continue;
    }
    first ??= token;
    last = token;
    if (token.text === '(') parens += 1;
    else if (token.text === ')') parens = Math.max(0, parens - 1);
    else if (WORD.test(token.text)) {
      const word = token.text.toLowerCase();
      if (leading.length < 4) leading += ['create', 'or', 'replace', 'function', 'procedure'].includes(word) ? word[0] : ' ';
      if (/^c(or)?[fp]/.test(leading) && parens === 0) {
        if (word === 'begin') begins += 1;
        else if (word === 'case' && begins > 0) begins += 1;
        else if (word === 'end' && begins > 0) begins -= 1;
      }
    }
  }
  if (first && last) out.push({ piece: { start: pieceStart, end: Buffer.byteLength(text, 'utf8') }, statement: { start: first.start, end: last.end } });
  return out;
}

/** The facts a run needs of an opaque statement, from its leading words. */
export interface OpaqueFacts {
  kind: string;
  transactionControl: TransactionControl;
  outsideTransaction: OutsideTransaction | null;
}

// The statement kinds named by their first word alone (statementKind.ts names the same ones).
const ONE_WORD = new Set(['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'MERGE', 'VALUES', 'WITH', 'TABLE', 'CALL', 'DO', 'COPY', 'EXPLAIN', 'SET', 'PREPARE', 'EXECUTE']);
// Words between CREATE and what it creates that are not part of the kind.
const CREATE_NOISE = new Set(['OR', 'REPLACE', 'TEMP', 'TEMPORARY', 'UNLOGGED', 'GLOBAL', 'LOCAL', 'RECURSIVE', 'CONSTRAINT', 'TRUSTED', 'PROCEDURAL', 'DEFAULT']);
const TWO_WORD_OBJECTS = new Set(['UNIQUE', 'MATERIALIZED', 'FOREIGN', 'EVENT', 'ACCESS', 'TEXT', 'OPERATOR', 'USER']);

const TRANSACTION_WORDS: Record<string, TransactionControl> = {
  BEGIN: 'begin', START: 'begin', COMMIT: 'commit', END: 'commit', ROLLBACK: 'rollback', ABORT: 'rollback', SAVEPOINT: 'savepoint', RELEASE: 'savepoint',
};

/** The transaction control the leading words spell (as transactionFacts.ts reads it from a tree). */
function transactionControlOfWords(words: readonly string[]): TransactionControl {
  const [first, second, third] = words;
  if (first === 'PREPARE' && second === 'TRANSACTION') return 'forbidden';
  if ((first === 'COMMIT' || first === 'ROLLBACK') && second === 'PREPARED') return 'forbidden';
  if (first === 'ROLLBACK' && (second === 'TO' || (second !== undefined && ['WORK', 'TRANSACTION'].includes(second) && third === 'TO'))) return 'savepoint';
  return first !== undefined ? TRANSACTION_WORDS[first] ?? null : null;
}

/**
 * The facts of an opaque statement from its tokens (UTF-16 text of the tokens in order). Only a
 * statement with an expression can be nested too deeply, so of the statements PostgreSQL refuses
 * inside a transaction only CREATE INDEX CONCURRENTLY (an expression or predicate) can be opaque.
 */
export function opaqueFacts(tokens: readonly { text: string; upper: string; keyword: boolean }[]): OpaqueFacts {
  const words: string[] = [];
  for (const token of tokens) {
    if (token.text.startsWith('--') || token.text.startsWith('/*')) continue; // comments are tokens too
    if (!token.keyword || words.length === 6) break;
    words.push(token.upper);
  }
  const transactionControl = transactionControlOfWords(words);
  const first = words[0] ?? 'UNKNOWN';
  let kind = first;
  if (first === 'CREATE' || first === 'ALTER' || first === 'DROP') {
    const object = words.slice(1).filter((w) => !CREATE_NOISE.has(w));
    const name = object[0] !== undefined && TWO_WORD_OBJECTS.has(object[0]) && object[1] !== undefined ? `${object[0]} ${object[1]}` : object[0];
    kind = name ? `${first} ${name}` : first;
  } else if (!ONE_WORD.has(first) && words.length > 1 && transactionControl === null) {
    kind = `${first} ${words[1]!}`;
  }
  const createsIndex = words[0] === 'CREATE' && (words[1] === 'INDEX' || (words[1] === 'UNIQUE' && words[2] === 'INDEX'));
  const concurrently = createsIndex && words.includes('CONCURRENTLY');
  const outsideTransaction = concurrently ? { reason: 'CREATE INDEX CONCURRENTLY cannot run inside a transaction block', withoutConcurrently: true } : null;
  return { kind, transactionControl, outsideTransaction };
}

/**
 * True when the words of a statement, outside parentheses, spell COPY … FROM STDIN: what the
 * copy-from-stdin rule and the shadow read from the tree, for a statement that has none (a COPY
 * with a deep WHERE).
 */
export function copiesFromStdinWords(tokens: readonly { text: string; upper: string }[]): boolean {
  const words = tokens.filter((t) => !t.text.startsWith('--') && !t.text.startsWith('/*'));
  if (words[0]?.upper !== 'COPY') return false;
  let parens = 0;
  for (const [i, token] of words.entries()) {
    if (token.text === '(') parens += 1;
    else if (token.text === ')') parens -= 1;
    else if (parens === 0 && token.upper === 'FROM' && words[i + 1]?.upper === 'STDIN') return true;
  }
  return false;
}
