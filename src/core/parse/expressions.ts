// Whether the expression a file declares and the one the catalog prints back mean the same.
// PostgreSQL prints expressions with explicit casts, extra parentheses, `= ANY (ARRAY[…])` for
// `IN (…)`, two comparisons for BETWEEN and functions without the schema it finds them in; both
// sides are parsed and normalised the same way. Columns renamed since the declaration are read
// under their new names.
import { isPositionKey, parseSql } from './pgParser';
import { treeJson } from './treeWalk';

type Tree = unknown;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function opName(expr: Record<string, unknown>): string {
  const name = expr.name as { String?: { sval?: string } }[] | undefined;
  return name?.map((n) => n.String?.sval ?? '').join('.') ?? '';
}

function comparison(op: string, left: Tree, right: Tree): Tree {
  return { A_Expr: { kind: 'AEXPR_OP', name: [{ String: { sval: op } }], lexpr: left, rexpr: right } };
}

/**
 * A numeric constant, or a string constant that spells a number, as one form: the server gives an
 * untyped literal the column's type, so a declared '1' comes back from an integer column as 1.
 */
function numericConstant(constant: Record<string, unknown>): Tree | null {
  const text = isRecord(constant.ival) ? String(constant.ival.ival ?? 0)
    : isRecord(constant.fval) ? String(constant.fval.fval)
      : isRecord(constant.sval) ? String(constant.sval.sval ?? '') : null;
  return text !== null && /^-?\d+(\.\d+)?$/.test(text) ? { A_Const: { number: String(Number(text)) } } : null;
}

/** Column renames to apply to a declared expression: declared name → name at the end. */
export type ColumnRenames = ReadonlyMap<string, string>;

const NO_RENAMES: ColumnRenames = new Map();

/** The node under any number of casts. */
function withoutCasts(node: Tree): Tree {
  let current = node;
  while (isRecord(current) && isRecord(current.TypeCast)) current = current.TypeCast.arg;
  return current;
}

/** Rewrites one node into the canonical form, or returns it unchanged. */
function canonical(node: Record<string, unknown>, renames: ColumnRenames): Tree {
  if (isRecord(node.TypeCast)) return node.TypeCast.arg; // casts the catalog adds to constants
  if (isRecord(node.ColumnRef) && Array.isArray(node.ColumnRef.fields)) {
    // Only the column's own name counts (the catalog prints no table prefix), under its current name.
    const last = node.ColumnRef.fields[node.ColumnRef.fields.length - 1] as { String?: { sval?: string } } | undefined;
    const name = last?.String?.sval;
    if (name !== undefined) return { Column: renames.get(name) ?? name };
  }
  if (isRecord(node.FuncCall) && Array.isArray(node.FuncCall.funcname) && node.FuncCall.funcname.length > 1) {
    // public.f(x) and f(x): the catalog leaves out a schema on the search path.
    return { FuncCall: { ...node.FuncCall, funcname: node.FuncCall.funcname.slice(-1) } };
  }
  if (isRecord(node.A_Const)) return numericConstant(node.A_Const) ?? node;
  const expr = node.A_Expr;
  if (isRecord(expr)) {
    if (expr.kind === 'AEXPR_IN') {
      const items = isRecord(expr.rexpr) && isRecord(expr.rexpr.List) ? expr.rexpr.List.items : expr.rexpr;
      return { ANY: { op: opName(expr), left: expr.lexpr, items } };
    }
    // The array's own cast (ARRAY[…]::text[]) goes the way of every cast: the server prints it on
    // the array or on each element, as it resolved the types (`'a'::character varying::text`).
    const array = expr.kind === 'AEXPR_OP_ANY' ? withoutCasts(expr.rexpr) : null;
    if (isRecord(array) && isRecord(array.A_ArrayExpr)) {
      return { ANY: { op: opName(expr), left: expr.lexpr, items: array.A_ArrayExpr.elements } };
    }
    if (expr.kind === 'AEXPR_BETWEEN' && isRecord(expr.rexpr) && isRecord(expr.rexpr.List)) {
      const [low, high] = expr.rexpr.List.items as Tree[];
      return { BoolExpr: { boolop: 'AND_EXPR', args: [comparison('>=', expr.lexpr, low), comparison('<=', expr.lexpr, high)] } };
    }
  }
  return node;
}

/** A parse tree (or part of one) in canonical form, as JSON: equal exactly when the expressions mean the same here. */
export function normalisedTree(tree: Tree, renames: ColumnRenames = NO_RENAMES): string {
  return treeJson(tree, { skipKey: isPositionKey, rewrite: (node) => canonicalForm(node, renames) });
}

/** A node rewritten until it is canonical (or no longer a node). */
function canonicalForm(node: Record<string, unknown>, renames: ColumnRenames): Tree {
  let current: Tree = node;
  for (let i = 0; i < 10; i++) {
    if (!isRecord(current)) break;
    const next = canonical(current, renames);
    if (next === current) break;
    current = next;
  }
  return current;
}

function expressionTree(expression: string, renames: ColumnRenames): string | null {
  try {
    const stmt = parseSql(`SELECT ${expression}`).stmts?.[0]?.stmt;
    return normalisedTree(stmt, renames);
  } catch {
    return null;
  }
}

/** True when two SQL expressions have the same normalised parse tree (or the same text); `declaredRenames` apply to `declared`. */
export function expressionsEquivalent(declared: string, printed: string, declaredRenames: ColumnRenames = NO_RENAMES): boolean {
  if (declaredRenames.size === 0 && declared.trim() === printed.trim()) return true;
  const left = expressionTree(declared, declaredRenames);
  return left !== null && left === expressionTree(printed, NO_RENAMES);
}
