// Whether a column default is evaluated once (a constant, or a STABLE/IMMUTABLE function: stored
// in the catalog since PostgreSQL 11, no rewrite) or per row (a VOLATILE function: every existing
// row gets its own value, so the table is rewritten under ACCESS EXCLUSIVE). Only functions
// known to be volatile count: an unknown function may well be immutable, and guessing would be a
// false alarm. A function the migration files create themselves is judged by what they declare:
// VOLATILE unless marked IMMUTABLE or STABLE, as PostgreSQL's default is.
import type { Node } from '../parse/pgTypes';
import { searchTree } from '../parse/treeWalk';

/** Built-in VOLATILE functions (pg_proc.provolatile = 'v') a default commonly calls, and extensions' uuid generators. */
const VOLATILE_FUNCTIONS = new Set([
  'random', 'gen_random_uuid', 'uuid_generate_v1', 'uuid_generate_v1mc', 'uuid_generate_v4', 'uuidv4', 'uuidv7',
  'clock_timestamp', 'timeofday', 'nextval', 'setseed', 'txid_current', 'pg_current_xact_id', 'random_normal',
]);

function functionName(call: { funcname?: Node[] }): string {
  const parts = (call.funcname ?? []).map((n) => ('String' in n ? n.String.sval ?? '' : ''));
  return (parts[parts.length - 1] ?? '').toLowerCase();
}

/** Whether the files declare a function volatile: true, false, or null when they do not create it. */
export type DeclaredVolatility = (name: string) => boolean | null;

/** The name of a known volatile function the expression calls, or null. */
export function volatileCallIn(expression: unknown, declared: DeclaredVolatility = () => null): string | null {
  return searchTree(expression, (record) => {
    const call = record.FuncCall as { funcname?: Node[] } | undefined;
    if (!call) return undefined;
    const name = functionName(call);
    return VOLATILE_FUNCTIONS.has(name) || declared(name) === true ? name : undefined;
  }) ?? null;
}

/** The volatility a CREATE FUNCTION declares (PostgreSQL's default: volatile). */
export function declaresVolatile(options: Node[] | undefined): boolean {
  const volatility = (options ?? []).flatMap((o) => ('DefElem' in o && o.DefElem.defname === 'volatility' && o.DefElem.arg && 'String' in o.DefElem.arg ? [o.DefElem.arg.String.sval ?? ''] : []))[0];
  return volatility === undefined || volatility === 'volatile';
}
