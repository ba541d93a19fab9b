// Column types as the parse tree spells them (pg_catalog.int4, bpchar, varchar with a length),
// reduced to one canonical name per type so rules and the schema compare like with like.
import type { TypeName } from '../parse/pgTypes';
import { quoteIdent } from '../sql/quoting';

/** A column type: its canonical name, its modifiers (e.g. a length) and whether it is an array. */
export interface ColumnType {
  /** Canonical name: integer, bigint, smallint, serial, varchar, char, text, timestamp, timestamptz, jsonb, …; another type's name as the parser gives it (case kept: "Currency" is not currency). */
  name: string;
  /** Numeric type modifiers as written (varchar(20) → [20]); empty when none. */
  modifiers: number[];
  array: boolean;
  /** Byte offset of the type in the parsed text (parse-tree location), or -1. */
  location: number;
}

// The parser's internal names, and SQL's spellings, to one canonical name.
const CANONICAL: Readonly<Record<string, string>> = {
  int4: 'integer', int: 'integer', integer: 'integer',
  int2: 'smallint', smallint: 'smallint',
  int8: 'bigint', bigint: 'bigint',
  serial4: 'serial', serial: 'serial',
  serial2: 'smallserial', smallserial: 'smallserial',
  serial8: 'bigserial', bigserial: 'bigserial',
  bpchar: 'char', char: 'char', character: 'char',
  varchar: 'varchar', 'character varying': 'varchar',
  timestamp: 'timestamp', timestamptz: 'timestamptz',
  time: 'time', timetz: 'timetz',
  float4: 'real', float8: 'double precision',
  bool: 'boolean', boolean: 'boolean',
};

const CANONICAL_NAMES = new Set(Object.values(CANONICAL));

/** The canonical type of a parse-tree TypeName. */
export function columnTypeOf(type: TypeName | undefined): ColumnType | null {
  if (!type) return null;
  const names = (type.names ?? []).map((n) => ('String' in n ? n.String.sval ?? '' : ''));
  // The parser folds unquoted names to lower case already; a quoted name keeps its case, as PostgreSQL does.
  const last = names[names.length - 1] ?? '';
  const modifiers = (type.typmods ?? []).flatMap((m) => ('A_Const' in m && m.A_Const.ival ? [m.A_Const.ival.ival ?? 0] : []));
  // Unqualified "char" is the internal one-byte type; char(n) arrives as pg_catalog.bpchar.
  const name = last === 'char' && names.length === 1 ? '"char"' : CANONICAL[last] ?? last;
  return { name, modifiers, array: (type.arrayBounds?.length ?? 0) > 0, location: type.location ?? -1 };
}

/** The type as SQL spells it: "varchar(20)", "integer[]", a mixed-case name quoted ("Currency"). */
export function columnTypeText(type: ColumnType): string {
  const name = CANONICAL_NAMES.has(type.name) || type.name === '"char"' ? type.name : quoteIdent(type.name);
  return `${name}${type.modifiers.length ? `(${type.modifiers.join(', ')})` : ''}${type.array ? '[]' : ''}`;
}
