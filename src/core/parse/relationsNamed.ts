// The relations a statement names (every RangeVar in its parse tree, the relations a DROP names,
// those of a DO block's plain statements), as the file writes them: what a probe looks at around it.
import { statementsInDoBlock } from './doBlocks';
import type { Node } from './pgTypes';
import { rangeVarsIn, type RangeVarName } from './treeNames';

// An index too: dropping it locks its table, which a probe then sees among the run's locks.
const RELATION_DROPS = new Set(['OBJECT_TABLE', 'OBJECT_INDEX', 'OBJECT_VIEW', 'OBJECT_MATVIEW', 'OBJECT_FOREIGN_TABLE', 'OBJECT_SEQUENCE']);

/** A relation name as written: its schema when qualified. */
export type NamedRelation = RangeVarName;

/** A system catalog (pg_class, …) or a WITH query's name: not a relation of the migration's. */
function isCatalogOrCte(r: NamedRelation, ctes: Set<string>): boolean {
  if (r.schema === 'pg_catalog' || r.schema === 'information_schema') return true;
  return r.schema === null && (r.name.startsWith('pg_') || ctes.has(r.name));
}

// A run asks for a statement's relations before it, after it and before the next one.
const namedByNode = new WeakMap<Node, readonly NamedRelation[]>();

/** Every relation the statement names (not system catalogs, not WITH queries), without repeats. */
export function relationsNamed(node: Node): readonly NamedRelation[] {
  let named = namedByNode.get(node);
  if (!named) {
    named = Object.freeze(walkRelationsNamed(node));
    namedByNode.set(node, named);
  }
  return named;
}

function walkRelationsNamed(node: Node): NamedRelation[] {
  const ctes = new Set<string>();
  const found: NamedRelation[] = rangeVarsIn(node, [], (name) => ctes.add(name));
  if ('DropStmt' in node && RELATION_DROPS.has(node.DropStmt.removeType ?? '')) {
    for (const object of node.DropStmt.objects ?? []) {
      const parts = 'List' in object ? (object.List.items ?? []).map((n) => ('String' in n ? n.String.sval ?? '' : '')) : [];
      const name = parts[parts.length - 1];
      if (name) found.push({ schema: parts.length > 1 ? parts[parts.length - 2]! : null, name });
    }
  }
  if ('DoStmt' in node) for (const inner of statementsInDoBlock(node.DoStmt)) rangeVarsIn(inner.node, found, (name) => ctes.add(name));
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
