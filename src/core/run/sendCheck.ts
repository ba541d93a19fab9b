// The runner's own last look at every statement right before it goes to the server. Whether a
// file may run is decided before connecting (rules/checkMigration.ts: runnability refusals that no
// ignore or setting can silence); this is the defence behind that decision, and it reads nothing
// but the parse tree of the exact text about to be sent. A statement it refuses is not sent and
// the run stops there: whatever the rules concluded, a run never sends what could end or replace
// its transaction.
import { opaqueFacts } from '../parse/opaqueStatements';
import { parseSql } from '../parse/pgParser';
import { StatementText } from '../parse/statementText';
import type { ParsedStatement } from '../parse/parseMigration';
import { copiesFromStdin, outsideTransactionRule, transactionControlOf, transactionModesOf } from '../parse/transactionFacts';
import type { Node } from '../parse/pgTypes';

/** Why the statement must not be sent as `sql`, or null when it may. `inTransaction`: the run holds a transaction open around it. */
export function refusalToSend(s: ParsedStatement, sql: string, inTransaction: boolean): string | null {
  if (s.role === 'wrapper') return 'a BEGIN or COMMIT of a transaction block is never sent: the block joins the run\'s own transaction';
  // The facts the parse recorded (for a statement without a tree, read from its leading words), then the tree itself.
  if (s.transactionControl !== null && s.transactionControl !== 'savepoint') return `${s.kind} would end or replace the transaction Drydock runs the files in`;
  if (inTransaction && s.outsideTransaction && sql === s.sql) return `${s.outsideTransaction.reason}: it would fail inside the run's transaction`;
  const own = treeRefusal(s.node, s.kind, inTransaction && sql === s.sql);
  if (own) return own;
  if (sql === s.sql) return null;
  // A statement too deep for the parser: its simulated form is too, and is judged by its words.
  if (s.opaque) {
    const words = opaqueFacts(new StatementText(sql).tokens);
    if (words.kind !== s.kind) return 'its simulated form is another kind of statement';
    if (words.transactionControl !== null || words.outsideTransaction !== null) return 'its simulated form cannot run in the run\'s transaction';
    return null;
  }
  // A simulated form (CONCURRENTLY taken out): its own tree must be one statement of the same kind.
  let trees: Node[];
  try {
    trees = (parseSql(sql).stmts ?? []).flatMap((raw) => (raw.stmt ? [raw.stmt] : []));
  } catch {
    return 'its simulated form does not parse';
  }
  const [tree] = trees;
  if (trees.length !== 1 || !tree) return `its simulated form holds ${trees.length} statements`;
  if (Object.keys(tree)[0] !== Object.keys(s.node)[0]) return 'its simulated form is another kind of statement';
  return treeRefusal(tree, s.kind, inTransaction);
}

function treeRefusal(node: Node, kind: string, inTransaction: boolean): string | null {
  const control = transactionControlOf(node);
  if (control !== null && control !== 'savepoint') return `${kind} would end or replace the transaction Drydock runs the files in`;
  if (transactionModesOf(node).length > 0) return `${kind} would set the modes of the transaction Drydock runs the files in`;
  if (copiesFromStdin(node)) return 'COPY … FROM STDIN waits for data that no statement of the file sends';
  const outside = outsideTransactionRule(node);
  if (inTransaction && outside) return `${outside.reason}: it would fail inside the run's transaction`;
  return null;
}
