// A declaration's shape as verification compares it: an index's definition against the one the
// catalog prints (pg_get_indexdef), parse tree against parse tree: columns and expressions, sort
// order, NULLS, COLLATE, INCLUDE, predicate.
import { normalisedTree, type ColumnRenames } from '../parse/expressions';
import type { IndexElem, IndexStmt, Node } from '../parse/pgTypes';
import { parseSql } from '../parse/pgParser';
import { bareColumnName } from '../parse/treeNames';

function indexStmtOf(sql: string): IndexStmt | null {
  try {
    const node = parseSql(sql).stmts?.[0]?.stmt;
    return node && 'IndexStmt' in node ? node.IndexStmt : null;
  } catch {
    return null;
  }
}

function elements(stmt: IndexStmt): IndexElem[] {
  return (stmt.indexParams ?? []).map((p) => ('IndexElem' in p ? p.IndexElem : {}));
}

const unquoted = (names: Node[] | undefined) => (names ?? []).map((n) => ('String' in n ? n.String.sval ?? '' : '')).filter((n) => n !== 'pg_catalog').join('.');

function describeElement(e: IndexElem, renames: ColumnRenames): { key: string; order: string; collation: string } {
  const descending = e.ordering === 'SORTBY_DESC';
  // NULLS LAST is the default ascending, NULLS FIRST descending: only the effective order counts.
  const nullsFirst = e.nulls_ordering === 'SORTBY_NULLS_FIRST' || (e.nulls_ordering !== 'SORTBY_NULLS_LAST' && descending);
  // `(name COLLATE "C")` is the column name with a collation, as PostgreSQL stores it.
  const collated = e.expr && 'CollateClause' in e.expr ? e.expr.CollateClause : undefined;
  const expr = collated ? collated.arg : e.expr;
  const collation = e.collation?.length ? e.collation : collated?.collname;
  // An expression that is only a column, `((status))`, is stored as that column.
  const column = e.name ?? bareColumnName(expr);
  const key = column !== undefined ? `column ${renames.get(column) ?? column}` : `expression ${normalisedTree(expr, renames)}`;
  return { key, order: `${descending ? 'DESC' : 'ASC'} NULLS ${nullsFirst ? 'FIRST' : 'LAST'}`, collation: unquoted(collation) };
}

/** How a declared index differs from the catalog's. */
export interface IndexDifferences {
  columns: boolean;
  predicate: boolean;
  /** Sort order, collation and INCLUDE differences, in words. */
  others: string[];
}

/**
 * What differs between a declared CREATE INDEX and the catalog's definition of the index (both
 * parsed), besides uniqueness, method and operator classes (the catalog answers those directly);
 * `collations` are the index's own collations per key column (pg_index.indcollation; null where
 * the column's type has none).
 * Null when either does not parse (then nothing can be said).
 */
export function indexDifferences(declaredSql: string, catalogSql: string, renames: ColumnRenames, collations: readonly (string | null)[] = []): IndexDifferences | null {
  const declared = indexStmtOf(declaredSql);
  const actual = indexStmtOf(catalogSql);
  if (!declared || !actual) return null;
  const problems: string[] = [];
  const mine = elements(declared).map((e) => describeElement(e, renames));
  const theirs = elements(actual).map((e) => describeElement(e, new Map()));
  const columns = mine.length !== theirs.length || mine.some((m, i) => m.key !== theirs[i]!.key);
  if (!columns) {
    mine.forEach((m, i) => {
      const t = theirs[i]!;
      if (m.order !== t.order) problems.push(`column ${i + 1} sorts ${t.order}, declared ${m.order}`);
      // The server prints no COLLATE that its column or expression has anyway: a declared one is
      // compared with the collation the index really uses.
      const used = collations[i];
      const same = m.collation === t.collation || (t.collation === '' && m.collation !== '' && used !== null && used !== undefined && m.collation === used);
      if (!same) problems.push(`column ${i + 1} collates ${t.collation || 'by default'}, declared ${m.collation || 'by default'}`);
    });
  }
  const include = (stmt: IndexStmt, r: ColumnRenames) => (stmt.indexIncludingParams ?? []).map((p) => ('IndexElem' in p && p.IndexElem.name ? r.get(p.IndexElem.name) ?? p.IndexElem.name : '')).join(', ');
  if (include(declared, renames) !== include(actual, new Map())) problems.push(`INCLUDE (${include(actual, new Map())}), declared (${include(declared, renames)})`);
  const predicate = (stmt: IndexStmt, r: ColumnRenames) => (stmt.whereClause ? normalisedTree(stmt.whereClause, r) : null);
  return { columns, predicate: predicate(declared, renames) !== predicate(actual, new Map()), others: problems };
}
