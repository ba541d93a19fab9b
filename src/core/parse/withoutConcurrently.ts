// What a dry-run runs in place of a CONCURRENTLY statement, which PostgreSQL refuses inside a
// transaction block: the same statement without CONCURRENTLY. The text is cut only at the
// scanner's token positions (the keyword, or the whole option of a REINDEX option list with its
// comma or its parentheses), never by patterns over the text, so literals, comments, function
// calls and spacing stay exactly as written. The result is parsed again and must be the original
// parse tree with only the CONCURRENTLY flag taken out; otherwise there is no simulated form.
import { isPositionKey, parseSql, treeWithoutPositions } from './pgParser';
import { treeJson } from './treeWalk';
import type { Node } from './pgTypes';
import type { StatementText, Token } from './statementText';

/** A part of the text to cut out: [start, end) in UTF-16 offsets of the statement. */
interface Cut {
  start: number;
  end: number;
}

function isConcurrently(token: Token): boolean {
  return token.keyword && token.upper === 'CONCURRENTLY';
}

/** The CONCURRENTLY option of a parenthesised option list (`REINDEX (VERBOSE, CONCURRENTLY true)`), with a comma or the parentheses. */
function optionCut(text: StatementText, at: number): Cut | null {
  const tokens = text.tokens;
  const before = tokens[at - 1];
  if (!before || (before.text !== '(' && before.text !== ',')) return null;
  // The option runs to the next comma or closing parenthesis of its list.
  let depth = 0;
  let last = at;
  for (let i = at + 1; i < tokens.length; i++) {
    const t = tokens[i]!.text;
    if (depth === 0 && (t === ',' || t === ')')) break;
    if (t === '(') depth += 1;
    else if (t === ')') depth -= 1;
    last = i;
  }
  const after = tokens[last + 1];
  if (!after) return null;
  if (after.text === ',') return { start: tokens[at]!.start, end: tokens[last + 2]?.start ?? after.end };
  if (before.text === ',') return { start: before.start, end: tokens[last]!.end };
  // The only option: the list goes, with the space after it.
  return { start: before.start, end: tokens[last + 2]?.start ?? after.end };
}

/** The keyword alone, with the space after it (or before it, at the statement's end). */
function keywordCut(text: StatementText, at: number): Cut {
  const tokens = text.tokens;
  const next = tokens[at + 1];
  if (next) return { start: tokens[at]!.start, end: next.start };
  return { start: tokens[at - 1]?.end ?? tokens[at]!.start, end: tokens[at]!.end };
}

/** A node wrapper with its inner record's CONCURRENTLY flag (or REINDEX option) taken out; others as they are. */
function withoutFlag(node: Record<string, unknown>): unknown {
  const [type] = Object.keys(node);
  const inner = type ? node[type] : undefined;
  if (!type || !inner || typeof inner !== 'object' || Array.isArray(inner)) return node;
  const record = inner as Record<string, unknown>;
  if ((type === 'IndexStmt' || type === 'DropStmt' || type === 'PartitionCmd') && 'concurrent' in record) {
    const { concurrent: _flag, ...rest } = record;
    return { [type]: rest };
  }
  if (type === 'ReindexStmt' && Array.isArray(record.params)) {
    const params = (record.params as { DefElem?: { defname?: string } }[]).filter((p) => p.DefElem?.defname !== 'concurrently');
    const { params: _all, ...rest } = record;
    return { [type]: params.length > 0 ? { ...rest, params } : rest };
  }
  return node;
}

/** The tree a statement has once CONCURRENTLY is taken out of it, as positionless JSON (walked without recursion: trees may be deep). */
function withoutConcurrentFlag(node: Node): string {
  return treeJson(node, { skipKey: isPositionKey, rewrite: withoutFlag });
}

/**
 * The statement's text without CONCURRENTLY, or null when no cut gives exactly the statement
 * without it (then a dry-run does not run it).
 */
export function withoutConcurrently(sql: string, text: StatementText, node: Node): string | null {
  const at = text.tokens.findIndex(isConcurrently);
  if (at < 0 || text.tokens.slice(at + 1).some(isConcurrently)) return null;
  const cut = optionCut(text, at) ?? keywordCut(text, at);
  const simulated = sql.slice(0, cut.start) + sql.slice(cut.end);
  // A statement too deep for the parser has no tree to compare with: only the plain form
  // CREATE [UNIQUE] INDEX CONCURRENTLY, whose keyword cut is exact, is simulated.
  if (Object.keys(node).length === 0) return text.tokens[at - 1]?.upper === 'INDEX' ? simulated : null;
  let trees: Node[];
  try {
    trees = (parseSql(simulated).stmts ?? []).flatMap((raw) => (raw.stmt ? [raw.stmt] : []));
  } catch {
    return null;
  }
  if (trees.length !== 1 || treeWithoutPositions(trees[0]) !== withoutConcurrentFlag(node)) return null;
  return simulated;
}
