// PostgreSQL indexes the referenced side of a foreign key (its primary key) but not the
// referencing columns. Without an index there, every DELETE or key UPDATE on the referenced table
// scans the referencing table, under a lock, for each row.
import type { Constraint } from '../parse/pgTypes';
import { relationName, stringList } from '../analyse/relationNames';
import type { KnownIndex } from '../analyse/schemaHistory';
import type { Rule } from './rule';
import { alterCommands, columnConstraints } from './alterTableCommands';

/**
 * True when the index finds the rows that reference a key without reading the whole table: it
 * starts with the foreign key's columns (in any order), or it is unique on some of them only (a
 * primary key on `id` serves a foreign key on `(id, tenant_id)`: one row at most per lookup).
 */
function serves(index: KnownIndex, columns: readonly string[]): boolean {
  if (columns.every((c) => index.columns.slice(0, columns.length).includes(c))) return true;
  return index.unique && index.columns.length > 0 && index.columns.every((c) => columns.includes(c));
}

export const missingForeignKeyIndex: Rule = {
  id: 'missing-foreign-key-index',
  defaultSeverity: 'warning',
  category: 'safety',
  summary: 'A foreign key whose referencing columns no index (in the same files) starts with.',
  help: 'CREATE INDEX (CONCURRENTLY on an existing table) on the referencing columns.',
  check({ analysis, report }) {
    for (const at of analysis.statements) {
      const keys: { table: string; columns: string[]; fk: Constraint }[] = [];
      const n = at.node;
      if ('CreateStmt' in n) {
        const table = relationName(n.CreateStmt.relation);
        for (const e of n.CreateStmt.tableElts ?? []) {
          if ('Constraint' in e && e.Constraint.contype === 'CONSTR_FOREIGN') keys.push({ table, columns: stringList(e.Constraint.fk_attrs), fk: e.Constraint });
          if ('ColumnDef' in e) {
            for (const c of e.ColumnDef.constraints ?? []) if ('Constraint' in c && c.Constraint.contype === 'CONSTR_FOREIGN') keys.push({ table, columns: [e.ColumnDef.colname ?? ''], fk: c.Constraint });
          }
        }
      }
      for (const { table, cmd, constraint } of alterCommands(at)) {
        if (constraint?.contype === 'CONSTR_FOREIGN') keys.push({ table, columns: stringList(constraint.fk_attrs), fk: constraint });
        const inline = cmd.subtype === 'AT_AddColumn' ? columnConstraints(cmd).find((c) => c.contype === 'CONSTR_FOREIGN') : undefined;
        if (inline && cmd.def && 'ColumnDef' in cmd.def) keys.push({ table, columns: [cmd.def.ColumnDef.colname ?? ''], fk: inline });
      }
      for (const { table, columns, fk } of keys) {
        // Only a table the files create has all its indexes in view: elsewhere, stay silent.
        if (!analysis.schema.knowsTable(table, at.order + 1) || columns.length === 0) continue;
        const covered = analysis.schema.indexesOn(table, at.order + 1).some((index) => serves(index, columns));
        if (covered) continue;
        const referenced = relationName(fk.pktable);
        report(at.offsets, `Index ${table} (${columns.join(', ')}) for its foreign key to ${referenced}: without one, each DELETE from ${referenced}, or change of its key, scans all of ${table} to check for referencing rows,`
          + ' and ON DELETE actions lock them.');
      }
    }
  },
};
