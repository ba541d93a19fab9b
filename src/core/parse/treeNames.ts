// Names found anywhere in a parse tree: the columns an expression refers to, the relations a
// statement names. One walk each, shared by the parts of Drydock that need them.

/** Every column an expression or statement refers to (the last part of each ColumnRef). */
export function columnNamesIn(tree: unknown, out: Set<string> = new Set()): Set<string> {
  if (Array.isArray(tree)) {
    for (const item of tree) columnNamesIn(item, out);
  } else if (tree && typeof tree === 'object') {
    const record = tree as Record<string, unknown>;
    const fields = (record.ColumnRef as { fields?: { String?: { sval?: string } }[] } | undefined)?.fields;
    const name = fields?.[fields.length - 1]?.String?.sval;
    if (name) out.add(name);
    for (const value of Object.values(record)) columnNamesIn(value, out);
  }
  return out;
}

/** A relation a RangeVar names, as written. */
export interface RangeVarName {
  schema: string | null;
  name: string;
}

/** Every RangeVar in a tree (calling `onCte` for each WITH query's name met on the way). */
export function rangeVarsIn(tree: unknown, out: RangeVarName[] = [], onCte?: (name: string) => void): RangeVarName[] {
  if (Array.isArray(tree)) {
    for (const item of tree) rangeVarsIn(item, out, onCte);
  } else if (tree && typeof tree === 'object') {
    const record = tree as Record<string, unknown>;
    const cte = record.CommonTableExpr as { ctename?: string } | undefined;
    if (cte?.ctename) onCte?.(cte.ctename);
    // A RangeVar in a Node position is wrapped ({ RangeVar: {…} }); in a typed field (IndexStmt.relation) it is not.
    const range = (record.RangeVar ?? ('relpersistence' in record ? record : undefined)) as { relname?: string; schemaname?: string } | undefined;
    if (range?.relname) out.push({ schema: range.schemaname ?? null, name: range.relname });
    // for…in, not Object.values: this walk runs around every statement of a run, and the array
    // Object.values makes for each node of the tree was most of its cost.
    for (const key in record) {
      const value = record[key];
      if (value !== null && typeof value === 'object') rangeVarsIn(value, out, onCte);
    }
  }
  return out;
}
