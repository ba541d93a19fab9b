// The schema the files build, as the rules and the predictions read it: a view over the one schema
// model (core/schema), which follows every object by identity. A rule names a table as the file
// writes it; the name resolves to the identity it stands for at the statement asked about, and
// the facts are that identity's: a later statement never makes an earlier one look safe, and a
// table swapped in under an old name is not the old table.
import type { Node } from '../parse/pgTypes';
import { schemaKey, spell, spelledName } from '../schema/names';
import type { ObjectId, Origin } from '../schema/objects';
import { recordStatement } from '../schema/recordStatement';
import { SchemaModel } from '../schema/schemaModel';
import { columnTypeOf, type ColumnType } from './columnTypes';

export { notNullCheckColumn } from '../schema/recordStatement';

/** An index (or a constraint's index) on a table's leading columns. */
export interface KnownIndex {
  name: string;
  columns: string[];
  order: number;
  /** A primary key, unique constraint or unique index: a lookup by all its columns finds one row at most. */
  unique: boolean;
}

/** The schema as the files build it up, queried as of a statement's order. */
export class SchemaHistory {
  constructor(readonly model: SchemaModel = new SchemaModel()) {}

  /** A history that starts as this one and can learn more without changing it. */
  fork(): SchemaHistory {
    return new SchemaHistory(this.model.fork());
  }

  /** Records what one statement (outside any file: a test's schema) does. `guarded`: it may not have run. */
  record(node: Node, order: number, file: string, guarded = false): void {
    recordStatement(this.model, { node, order, file, by: null, conditions: guarded ? [`${file}#${order}/?`] : [] });
  }

  /** The table (or view) the name stands for as of `order`. */
  table(name: string, order: number): ObjectId | null {
    const { schema, name: bare } = spelledName(name);
    const id = this.model.resolve('table', schema, bare, order);
    return id !== null && (this.model.object(id).kind === 'table' || this.model.object(id).kind === 'view') ? id : null;
  }

  /** Where the table the name stands for as of `order` was created (null: it existed before the files, or is not known). */
  origin(name: string, order: number): Origin | null {
    const id = this.table(name, order);
    return id === null ? null : this.model.object(id).origin;
  }

  /**
   * True when the name stands for a temporary table as of `order` (its session's own: nobody else
   * sees it or waits on it). With `beforeCreation` (a DROP … IF EXISTS), also when it stands for no
   * table the files create yet and the next table `file` creates under the name is temporary: the
   * work table dropped before the file makes it again.
   */
  temporary(name: string, order: number, file: string, beforeCreation = false): boolean {
    const id = this.table(name, order);
    if (id !== null && this.model.isTemporary(id)) return true;
    if (!beforeCreation || (id !== null && this.model.object(id).origin !== null)) return false;
    const { schema, name: bare } = spelledName(name);
    let next: { order: number; temporary: boolean } | null = null;
    for (const o of this.model.allObjects()) {
      if (o.kind !== 'table' || o.detail.kind !== 'table' || !o.origin || o.origin.order <= order || o.origin.file !== file || o.name !== bare) continue;
      if (schema !== null && schemaKey(schema) !== schemaKey(o.schema)) continue;
      if (!next || o.origin.order < next.order) next = { order: o.origin.order, temporary: o.detail.temporary };
    }
    return next?.temporary === true;
  }

  /**
   * The table the index the name stands for as of `order` is on, spelled as the rules spell a
   * relation and named as of `order` (after its renames); null when the files do not say.
   */
  tableOfIndex(name: string, order: number): string | null {
    const { schema, name: bare } = spelledName(name);
    const index = this.model.resolve('index', schema, bare, order);
    const table = index === null ? null : this.model.object(index).table;
    if (table === null) return null;
    return spell(schemaKey(this.model.object(table).schema) || null, this.model.nameOf(table, order));
  }

  /** True when the files create the extension and it still stands as of `order` (one that existed before them is not known). */
  extensionCreatedBefore(name: string, order: number): boolean {
    const id = this.model.resolve('extension', null, name, order);
    return id !== null && this.model.object(id).origin !== null;
  }

  /** Whether the files declare the function volatile as of `order` (null: they do not create it). */
  functionVolatile(name: string, order: number): boolean | null {
    const id = this.model.resolveFunction(null, name, order);
    const volatility = id === null ? undefined : this.model.volatilityOf(id, order);
    return volatility === undefined ? null : volatility === 'volatile';
  }

  private columnFacts(table: string, column: string, order: number) {
    const id = this.table(table, order);
    const col = id === null ? null : this.model.resolve('column', null, column, order, id);
    return col === null ? undefined : this.model.columnFacts(col, order);
  }

  /** The column's type as of `order`, when the files say. */
  columnType(table: string, column: string, order: number): ColumnType | null {
    const type = this.columnFacts(table, column, order)?.type;
    return type ? columnTypeOf(type) : null;
  }

  /** True when the column is declared NOT NULL, or a validated CHECK (col IS NOT NULL) exists, before `order`. */
  knownNotNull(table: string, column: string, order: number): 'not-null' | 'check' | null {
    const facts = this.columnFacts(table, column, order);
    return facts?.notNull ? 'not-null' : facts?.checked ? 'check' : null;
  }

  /** Every index the files create on the table the name stands for as of `order`, at any point (also under a later name). */
  indexesOn(table: string, order = Infinity): readonly KnownIndex[] {
    const id = this.table(table, order);
    if (id === null) return [];
    return this.model.dependentsOf(id).flatMap((d) => {
      const o = this.model.object(d);
      if (o.detail.kind !== 'index') return [];
      const created = o.origin?.order ?? 0;
      return [{ name: this.model.nameOf(d, created + 1), columns: o.detail.columns, order: created, unique: o.detail.unique }];
    });
  }

  /** True when the files create the table the name stands for (as of `order`, by default at the end): then its indexes are all known. */
  knowsTable(table: string, order = Infinity): boolean {
    return this.origin(table, order) !== null;
  }
}
