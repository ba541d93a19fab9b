// Names found anywhere in a parse tree: the columns an expression refers to, the relations a
// statement names. One walk each (treeWalk.ts: as deep as the tree), shared by the parts of
// Drydock that need them.
import type { Node } from './pgTypes';
import { searchTree, walkTree } from './treeWalk';

/** The column an expression is and nothing more (an unqualified ColumnRef), or undefined. */
export function bareColumnName(expr: Node | undefined): string | undefined {
  const fields = expr && 'ColumnRef' in expr ? expr.ColumnRef.fields ?? [] : [];
  const only = fields.length === 1 ? fields[0] : undefined;
  return only && 'String' in only ? only.String.sval : undefined;
}

/** Every column an expression or statement refers to (the last part of each ColumnRef). */
export function columnNamesIn(tree: unknown, out: Set<string> = new Set()): Set<string> {
  walkTree(tree, (record) => {
    const fields = (record.ColumnRef as { fields?: { String?: { sval?: string } }[] } | undefined)?.fields;
    const name = fields?.[fields.length - 1]?.String?.sval;
    if (name) out.add(name);
  });
  return out;
}

/** A relation a RangeVar names, as written. */
export interface RangeVarName {
  schema: string | null;
  name: string;
}

/** Every RangeVar in a tree (calling `onCte` for each WITH query's name met on the way). */
export function rangeVarsIn(tree: unknown, out: RangeVarName[] = [], onCte?: (name: string) => void): RangeVarName[] {
  walkTree(tree, (record) => {
    const cte = record.CommonTableExpr as { ctename?: string } | undefined;
    if (cte?.ctename) onCte?.(cte.ctename);
    // A RangeVar in a Node position is wrapped ({ RangeVar: {…} }); in a typed field (IndexStmt.relation) it is not.
    const range = (record.RangeVar ?? ('relpersistence' in record ? record : undefined)) as { relname?: string; schemaname?: string } | undefined;
    if (range?.relname) out.push({ schema: range.schemaname ?? null, name: range.relname });
  });
  return out;
}

/** True when the tree calls a function anywhere (a SELECT of one can run any code). */
export function callsFunction(tree: unknown): boolean {
  return searchTree(tree, (record) => ('FuncCall' in record ? true : undefined)) ?? false;
}
