// The relations a statement names (every RangeVar in its parse tree, the relations a DROP names,
// those of a DO block's plain statements), as the file writes them: what a probe looks at around it.
import { statementsInDoBlock } from './doBlocks';
import type { Node } from './pgTypes';

const RELATION_DROPS = new Set(['OBJECT_TABLE', 'OBJECT_VIEW', 'OBJECT_MATVIEW', 'OBJECT_FOREIGN_TABLE', 'OBJECT_SEQUENCE']);

/** A relation name as written: its schema when qualified. */
export interface NamedRelation {
  schema: string | null;
  name: string;
}

function rangeVars(tree: unknown, out: NamedRelation[], ctes: Set<string>): void {
  if (Array.isArray(tree)) {
    for (const item of tree) rangeVars(item, out, ctes);
  } else if (tree && typeof tree === 'object') {
    const record = tree as Record<string, unknown>;
    const cte = record.CommonTableExpr as { ctename?: string } | undefined;
    if (cte?.ctename) ctes.add(cte.ctename);
    // A RangeVar in a Node position is wrapped ({ RangeVar: {…} }); in a typed field (IndexStmt.relation) it is not.
    const range = (record.RangeVar ?? ('relpersistence' in record ? record : undefined)) as { relname?: string; schemaname?: string } | undefined;
    if (range?.relname) out.push({ schema: range.schemaname ?? null, name: range.relname });
    for (const value of Object.values(record)) rangeVars(value, out, ctes);
  }
}

/** A system catalog (pg_class, …) or a WITH query's name: not a relation of the migration's. */
function isCatalogOrCte(r: NamedRelation, ctes: Set<string>): boolean {
  if (r.schema === 'pg_catalog' || r.schema === 'information_schema') return true;
  return r.schema === null && (r.name.startsWith('pg_') || ctes.has(r.name));
}

/** Every relation the statement names (not system catalogs, not WITH queries), without repeats. */
export function relationsNamed(node: Node): NamedRelation[] {
  const found: NamedRelation[] = [];
  const ctes = new Set<string>();
  rangeVars(node, found, ctes);
  if ('DropStmt' in node && RELATION_DROPS.has(node.DropStmt.removeType ?? '')) {
    for (const object of node.DropStmt.objects ?? []) {
      const parts = 'List' in object ? (object.List.items ?? []).map((n) => ('String' in n ? n.String.sval ?? '' : '')) : [];
      const name = parts[parts.length - 1];
      if (name) found.push({ schema: parts.length > 1 ? parts[parts.length - 2]! : null, name });
    }
  }
  if ('DoStmt' in node) for (const inner of statementsInDoBlock(node.DoStmt)) rangeVars(inner.node, found, ctes);
  const seen = new Set<string>();
  return found.filter((r) => {
    if (isCatalogOrCte(r, ctes)) return false;
    const key = `${r.schema ?? ''}.${r.name}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The relations the statement creates (a table, view, materialized view, sequence or index). */
export function relationsCreated(node: Node): NamedRelation[] {
  const named = (range: { relname?: string; schemaname?: string } | undefined): NamedRelation[] => (range?.relname ? [{ schema: range.schemaname ?? null, name: range.relname }] : []);
  if ('CreateStmt' in node) return named(node.CreateStmt.relation);
  if ('CreateTableAsStmt' in node) return named(node.CreateTableAsStmt.into?.rel);
  if ('ViewStmt' in node) return named(node.ViewStmt.view);
  if ('CreateSeqStmt' in node) return named(node.CreateSeqStmt.sequence);
  if ('IndexStmt' in node && node.IndexStmt.idxname) return [{ schema: node.IndexStmt.relation?.schemaname ?? null, name: node.IndexStmt.idxname }];
  return [];
}
