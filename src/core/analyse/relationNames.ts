// One spelling per table, so "public.orders" and "orders" are the same table to every rule.
import type { Node, RangeVar } from '../parse/pgTypes';

/** The table a RangeVar names: "schema.table", or "table" for public and unqualified names. */
export function relationName(range: RangeVar | undefined): string {
  if (!range?.relname) return '';
  return range.schemaname && range.schemaname !== 'public' ? `${range.schemaname}.${range.relname}` : range.relname;
}

/** The object a qualified name list (DROP's objects, index names) names, in the same spelling. */
export function qualifiedListName(items: Node[] | undefined): string {
  const parts = (items ?? []).map((n) => ('String' in n ? n.String.sval ?? '' : ''));
  if (parts.length > 1 && parts[0] === 'public') parts.shift();
  return parts.join('.');
}

/** The names a list of String nodes holds (column lists). */
export function stringList(items: Node[] | undefined): string[] {
  return (items ?? []).map((n) => ('String' in n ? n.String.sval ?? '' : ''));
}
