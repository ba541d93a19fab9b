// A GIN index needs an operator class for the column's type: jsonb, arrays, tsvector have a
// default one, text and most others do not, and jsonb_ops / jsonb_path_ops only fit jsonb. Where the
// files say what the column's type is, such an index fails (SQLSTATE 42704) before it builds.
import { columnTypeText } from '../analyse/columnTypes';
import { relationName, stringList } from '../analyse/relationNames';
import type { Rule } from './rule';
import { whereItRuns } from './statementFacts';

/** Types with a default GIN operator class (built in, or hstore's). */
const GIN_DEFAULT_TYPES = new Set(['jsonb', 'tsvector', 'hstore']);
const JSONB_OPCLASSES = new Set(['jsonb_ops', 'jsonb_path_ops']);

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
      for (const p of at.node.IndexStmt.indexParams ?? []) {
        if (!('IndexElem' in p) || !p.IndexElem.name) continue;
        const column = p.IndexElem.name;
        const type = analysis.schema.columnType(table, column, at.order);
        if (!type) continue;
        const opclass = stringList(p.IndexElem.opclass).pop() ?? null;
        const fits = opclass === null ? type.array || GIN_DEFAULT_TYPES.has(type.name) : !JSONB_OPCLASSES.has(opclass) || (type.name === 'jsonb' && !type.array);
        if (fits) continue;
        report(at.offsets, `GIN index on ${table}.${column}, which the migrations declare as ${columnTypeText(type)}${whereItRuns(at)}: ${opclass ? `the operator class ${opclass} only fits jsonb` : `${columnTypeText(type)} has no default operator class for GIN`},`
          + ' so CREATE INDEX fails (SQLSTATE 42704). Convert the column to jsonb first, name an operator class for its type (gin_trgm_ops for text, with pg_trgm), or create the index only where the column is jsonb.');
      }
    }
  },
};
