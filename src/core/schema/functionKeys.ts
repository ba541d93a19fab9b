// A function is known by its name and its input argument types, as PostgreSQL knows it: two
// overloads of one name are two functions, `CREATE OR REPLACE` of the same arguments replaces
// one, and `DROP FUNCTION f(int)` drops that one only (Supabase Storage 0050 drops an old
// five-argument `search` and keeps the eight-argument one). The model binds a function under its
// key, the name followed by its argument types as PostgreSQL compares them.
import type { Node, ObjectWithArgs, TypeName } from '../parse/pgTypes';

// The spellings of one built-in type (the parser already turns `integer`, `boolean`, `varchar`,
// `timestamp with time zone` into pg_catalog's names; these are written without the schema).
const SAME_TYPE: Record<string, string> = {
  int: 'int4', integer: 'int4', smallint: 'int2', bigint: 'int8', boolean: 'bool', real: 'float4', float: 'float8',
  'double precision': 'float8', decimal: 'numeric', 'character varying': 'varchar', character: 'bpchar', char: 'bpchar',
  'timestamp with time zone': 'timestamptz', 'timestamp without time zone': 'timestamp', 'time with time zone': 'timetz',
  'time without time zone': 'time',
};

/** An argument's type as PostgreSQL compares it: its name without pg_catalog and type modifiers, `[]` for an array; `?` for a column's type (%TYPE). */
function typeKey(type: TypeName | undefined): string {
  if (!type || type.pct_type) return '?';
  const parts = (type.names ?? []).map((n) => ('String' in n ? n.String.sval ?? '' : ''));
  const named = parts.length > 1 && parts[0] === 'pg_catalog' ? parts.slice(1) : parts;
  const name = named.join('.');
  return (named.length === 1 ? SAME_TYPE[name] ?? name : name) + (type.arrayBounds?.length ? '[]' : '');
}

/** The key of a function of this name with these input argument types. */
export function functionKey(name: string, inputTypes: readonly (TypeName | undefined)[]): string {
  return `${name}(${inputTypes.map(typeKey).join(',')})`;
}

/** The function's name in its key (the key itself for an object that is not a function). */
export function functionNameOf(key: string): string {
  const at = key.indexOf('(');
  return at < 0 ? key : key.slice(0, at);
}

/** The argument list of a key, with its parentheses ("(int4,text)"). */
export function argumentListOf(key: string): string {
  const at = key.indexOf('(');
  return at < 0 ? '()' : key.slice(at);
}

/** The input argument types a DROP or ALTER FUNCTION names, or null when it names none (`DROP FUNCTION f`: whichever one there is). */
export function namedInputTypes(object: ObjectWithArgs): (TypeName | undefined)[] | null {
  if (object.args_unspecified) return null;
  return (object.objargs ?? []).map((n: Node) => ('TypeName' in n ? n.TypeName : undefined));
}
