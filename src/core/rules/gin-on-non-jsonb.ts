// A GIN index needs an operator class for the column's type: jsonb, arrays, tsvector have a
// default one, text and other scalars only once the btree_gin extension is created, json and the
// geometric and range types never; jsonb_ops / jsonb_path_ops only fit jsonb. Where the files say
// what the column's type is, such an index fails (SQLSTATE 42704) before it builds. A type the
// files make themselves (a domain over jsonb, an enum) or an extension's is not judged.
import { columnTypeText, type ColumnType } from '../analyse/columnTypes';
import { relationName, stringList } from '../analyse/relationNames';
import type { Rule } from './rule';
import { whereItRuns } from './statementFacts';

/** Types with a default GIN operator class (built in, or hstore's). */
const GIN_DEFAULT_TYPES = new Set(['jsonb', 'tsvector', 'hstore']);
const JSONB_OPCLASSES = new Set(['jsonb_ops', 'jsonb_path_ops']);

// The built-in types btree_gin gives a default GIN operator class, as pg_opclass lists them once
// it is created (the same on PostgreSQL 13 to 18), by the names columnTypeOf gives them.
const BTREE_GIN_TYPES = new Set([
  '"char"', 'bigint', 'bit', 'varbit', 'boolean', 'bytea', 'char', 'varchar', 'cidr', 'date', 'double precision', 'inet',
  'integer', 'interval', 'macaddr', 'macaddr8', 'money', 'name', 'numeric', 'oid', 'real', 'smallint', 'text', 'timetz',
  'time', 'timestamptz', 'timestamp', 'uuid', 'serial', 'bigserial', 'smallserial',
]);

// Built-in types no GIN operator class serves, with or without btree_gin.
const NO_GIN_TYPES = new Set([
  'json', 'xml', 'tsquery', 'jsonpath', 'point', 'line', 'lseg', 'box', 'path', 'polygon', 'circle', 'pg_lsn', 'txid_snapshot',
  'pg_snapshot', 'int4range', 'int8range', 'numrange', 'tsrange', 'tstzrange', 'daterange', 'int4multirange',
  'int8multirange', 'nummultirange', 'tsmultirange', 'tstzmultirange', 'datemultirange',
]);

/** True when the type is one Drydock knows is not jsonb (an array, or a built-in scalar). */
function knownNotJsonb(type: ColumnType): boolean {
  return type.array || (type.name !== 'jsonb' && (GIN_DEFAULT_TYPES.has(type.name) || BTREE_GIN_TYPES.has(type.name) || NO_GIN_TYPES.has(type.name)));
}

/** True when a GIN index with the type's default operator class cannot be built: the type is known to have none. */
function noDefaultOpclass(type: ColumnType, btreeGin: boolean): boolean {
  if (type.array || GIN_DEFAULT_TYPES.has(type.name)) return false;
  return NO_GIN_TYPES.has(type.name) || (BTREE_GIN_TYPES.has(type.name) && !btreeGin);
}

export const ginOnNonJsonb: Rule = {
  id: 'gin-on-non-jsonb',
  defaultSeverity: 'warning',
  category: 'safety',
  summary: 'A GIN index on a column whose type (known from the files) has no GIN operator class, or a jsonb operator class on a non-jsonb column.',
  help: 'Index a jsonb column (ALTER the column to jsonb first), name an operator class that fits the type (e.g. gin_trgm_ops for text), or guard the index on the column type.',
  check({ analysis, report }) {
    for (const at of analysis.statements) {
      if (!('IndexStmt' in at.node) || (at.node.IndexStmt.accessMethod ?? '').toLowerCase() !== 'gin') continue;
      const table = relationName(at.node.IndexStmt.relation);
      const btreeGin = analysis.schema.extensionCreatedBefore('btree_gin', at.order);
      for (const p of at.node.IndexStmt.indexParams ?? []) {
        if (!('IndexElem' in p) || !p.IndexElem.name) continue;
        const column = p.IndexElem.name;
        const type = analysis.schema.columnType(table, column, at.order);
        if (!type) continue;
        const opclass = stringList(p.IndexElem.opclass).pop() ?? null;
        const fails = opclass === null ? noDefaultOpclass(type, btreeGin) : JSONB_OPCLASSES.has(opclass) && knownNotJsonb(type);
        if (!fails) continue;
        report(at.offsets, `Name an operator class for ${columnTypeText(type)}, or make the column jsonb first: this GIN index fails (SQLSTATE 42704). ${table}.${column} is ${columnTypeText(type)} in the migrations${whereItRuns(at)}, and ${opclass ? `the operator class ${opclass} only fits jsonb` : `${columnTypeText(type)} has no default operator class for GIN${BTREE_GIN_TYPES.has(type.name) ? ' (the files do not create btree_gin before it)' : ''}`}.`
          + ' For text, gin_trgm_ops (with pg_trgm); or create the index only where the column is jsonb.');
      }
    }
  },
};
