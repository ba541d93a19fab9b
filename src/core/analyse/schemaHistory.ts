// What the migration files say about the schema, statement by statement: which tables they
// create (and where), each column's type and NOT NULL state, validated `CHECK (col IS NOT NULL)`
// constraints, and indexes. Every fact carries the order of the statement that established it, so a
// rule asks "as of this statement" and a later statement never makes an earlier one look safe.
import type { Constraint, Node } from '../parse/pgTypes';
import { columnTypeOf, type ColumnType } from './columnTypes';
import { qualifiedListName, relationName, stringList } from './relationNames';
import { declaresVolatile } from './volatility';
import { pushAll } from '../model/arrays';

interface Versioned<T> {
  order: number;
  value: T;
}

/** Where a table was created. */
export interface TableOrigin {
  order: number;
  file: string;
  /** Created inside a DO block, possibly only under a condition. */
  guarded: boolean;
}

/** An index (or a constraint's index) on a table's leading columns. */
export interface KnownIndex {
  name: string;
  columns: string[];
  order: number;
  /** A primary key, unique constraint or unique index: a lookup by all its columns finds one row at most. */
  unique: boolean;
}

class TableHistory {
  origin: TableOrigin | null = null;
  /** Order of the DROP or RENAME that ended this table under its name. */
  endedAt: number | null = null;
  /** The name a RENAME gave this table: its later indexes are made under that name. */
  renamedTo: string | null = null;
  columns = new Map<string, Versioned<ColumnType | null>[]>();
  notNull = new Map<string, Versioned<boolean>[]>();
  notNullChecks = new Map<string, Versioned<boolean>[]>();
  indexes: KnownIndex[] = [];
  /** NOT VALID `col IS NOT NULL` checks by constraint name, proven once validated. */
  pendingChecks = new Map<string, string>();

  /** A copy that can be changed without changing this one (the entries themselves are never changed). */
  clone(): TableHistory {
    const copy = new TableHistory();
    copy.origin = this.origin;
    copy.endedAt = this.endedAt;
    copy.renamedTo = this.renamedTo;
    copy.columns = copyLists(this.columns);
    copy.notNull = copyLists(this.notNull);
    copy.notNullChecks = copyLists(this.notNullChecks);
    copy.indexes = [...this.indexes];
    copy.pendingChecks = new Map(this.pendingChecks);
    return copy;
  }
}

function copyLists<T>(map: Map<string, Versioned<T>[]>): Map<string, Versioned<T>[]> {
  return new Map([...map].map(([key, list]) => [key, [...list]]));
}

function latest<T>(entries: Versioned<T>[] | undefined, before: number): T | undefined {
  let found: T | undefined;
  for (const entry of entries ?? []) if (entry.order < before) found = entry.value;
  return found;
}

function push<T>(map: Map<string, Versioned<T>[]>, key: string, order: number, value: T): void {
  const list = map.get(key);
  if (list) list.push({ order, value });
  else map.set(key, [{ order, value }]);
}

/** A dropped (or renamed-away) column: a later column of that name starts with no facts. */
function forgetColumn(table: TableHistory, column: string, order: number): void {
  push(table.columns, column, order, null);
  push(table.notNull, column, order, false);
  push(table.notNullChecks, column, order, false);
}

/** The column a `CHECK (col IS NOT NULL)` proves not null, or null for any other check. */
export function notNullCheckColumn(constraint: Constraint): string | null {
  const expr = constraint.raw_expr;
  if (!expr || !('NullTest' in expr) || expr.NullTest.nulltesttype !== 'IS_NOT_NULL') return null;
  const arg = expr.NullTest.arg;
  if (!arg || !('ColumnRef' in arg)) return null;
  const fields = stringList(arg.ColumnRef.fields);
  return fields.length === 1 ? fields[0]! : null;
}

function constraintsOf(nodes: Node[] | undefined): Constraint[] {
  return (nodes ?? []).flatMap((n) => ('Constraint' in n ? [n.Constraint] : []));
}

/** The schema as the files build it up, queried as of a statement's order. */
export class SchemaHistory {
  private readonly tables = new Map<string, TableHistory>();
  /** Functions the files create, by unqualified name: whether each is volatile. */
  private readonly functions = new Map<string, Versioned<boolean>[]>();
  /** Extensions the files create, by name: the order of the first CREATE EXTENSION. */
  private readonly extensions = new Map<string, number>();
  /**
   * Tables this history shares with the one it was forked from: copied before their first change
   * here, so the original (a folder's context, learned once for many saves) stays as it was.
   */
  private readonly shared = new Set<TableHistory>();

  /** Whether the files declare the function volatile as of `order` (null: they do not create it). */
  functionVolatile(name: string, order: number): boolean | null {
    return latest(this.functions.get(name), order) ?? null;
  }

  /** A history that starts as this one and can learn more without changing it (tables are copied when first changed). */
  fork(): SchemaHistory {
    const fork = new SchemaHistory();
    for (const [name, table] of this.tables) {
      fork.tables.set(name, table);
      fork.shared.add(table);
    }
    for (const [name, list] of this.functions) fork.functions.set(name, [...list]);
    for (const [name, order] of this.extensions) fork.extensions.set(name, order);
    return fork;
  }

  /** The table under `name` to change, if there is one (a shared one copied first). */
  private changing(name: string): TableHistory | undefined {
    const table = this.tables.get(name);
    if (!table || !this.shared.has(table)) return table;
    const copy = table.clone();
    this.tables.set(name, copy);
    return copy;
  }

  private table(name: string): TableHistory {
    let table = this.changing(name);
    if (!table) {
      table = new TableHistory();
      this.tables.set(name, table);
    }
    return table;
  }

  /** Where the table was created, if a statement before `order` created it (and none dropped it since). */
  createdBefore(name: string, order: number): TableOrigin | null {
    const table = this.tables.get(name);
    const origin = table?.origin;
    return origin && origin.order < order && (table.endedAt === null || order <= table.endedAt) ? origin : null;
  }

  /** The column's type as of `order`, when the files say. */
  columnType(table: string, column: string, order: number): ColumnType | null {
    return latest(this.tables.get(table)?.columns.get(column), order) ?? null;
  }

  /** True when the column is declared NOT NULL, or a validated CHECK (col IS NOT NULL) exists, before `order`. */
  knownNotNull(table: string, column: string, order: number): 'not-null' | 'check' | null {
    const history = this.tables.get(table);
    if (latest(history?.notNull.get(column), order)) return 'not-null';
    return latest(history?.notNullChecks.get(column), order) ? 'check' : null;
  }

  /** Every index the files create on the table, at any point, also after a RENAME gave it another name. */
  indexesOn(table: string): readonly KnownIndex[] {
    const found: KnownIndex[] = [];
    const seen = new Set<string>();
    for (let name: string | null = table; name !== null && !seen.has(name); ) {
      seen.add(name);
      const history = this.tables.get(name);
      pushAll(found, history?.indexes ?? []);
      name = history?.renamedTo ?? null;
    }
    return found;
  }

  /** The table the files created index `name` ("schema.index" outside public) on before `order`, while that table still stood; null when they do not say. */
  tableOfIndex(name: string, order: number): string | null {
    const dot = name.lastIndexOf('.');
    const [schema, index] = dot < 0 ? ['', name] : [`${name.slice(0, dot)}.`, name.slice(dot + 1)];
    let found: { table: string; order: number } | null = null;
    for (const [table, history] of this.tables) {
      if (history.endedAt !== null && history.endedAt < order) continue;
      if (schema ? !table.startsWith(schema) : table.includes('.')) continue;
      for (const known of history.indexes) if (index !== '' && known.name === index && known.order < order && (!found || known.order > found.order)) found = { table, order: known.order };
    }
    return found?.table ?? null;
  }

  /** True when the files create the extension before `order`. */
  extensionCreatedBefore(name: string, order: number): boolean {
    return (this.extensions.get(name) ?? Number.MAX_SAFE_INTEGER) < order;
  }

  /** True when the files create the table anywhere (so its indexes are all known). */
  knowsTable(table: string): boolean {
    return this.tables.get(table)?.origin != null;
  }

  private addColumn(table: TableHistory, column: Node, order: number): void {
    if (!('ColumnDef' in column) || !column.ColumnDef.colname) return;
    const def = column.ColumnDef;
    const name = def.colname!;
    push(table.columns, name, order, columnTypeOf(def.typeName));
    const constraints = constraintsOf(def.constraints);
    if (constraints.some((c) => c.contype === 'CONSTR_NOTNULL' || c.contype === 'CONSTR_PRIMARY')) push(table.notNull, name, order, true);
    for (const c of constraints) {
      if (c.contype === 'CONSTR_PRIMARY' || c.contype === 'CONSTR_UNIQUE') table.indexes.push({ name: c.conname ?? '', columns: [name], order, unique: true });
    }
  }

  private addConstraint(table: TableHistory, c: Constraint, order: number): void {
    if (c.contype === 'CONSTR_PRIMARY' || c.contype === 'CONSTR_UNIQUE' || c.contype === 'CONSTR_EXCLUSION') {
      table.indexes.push({ name: c.conname ?? c.indexname ?? '', columns: stringList(c.keys), order, unique: c.contype !== 'CONSTR_EXCLUSION' });
      if (c.contype === 'CONSTR_PRIMARY') for (const key of stringList(c.keys)) push(table.notNull, key, order, true);
    }
    if (c.contype === 'CONSTR_CHECK') {
      const column = notNullCheckColumn(c);
      if (column && c.skip_validation) table.pendingChecks.set(c.conname ?? '', column);
      else if (column) push(table.notNullChecks, column, order, true);
    }
  }

  /** Records what one statement does to the schema. */
  record(node: Node, order: number, file: string, guarded: boolean): void {
    if ('CreateStmt' in node) {
      const table = new TableHistory();
      this.tables.set(relationName(node.CreateStmt.relation), table);
      table.origin = { order, file, guarded };
      for (const element of node.CreateStmt.tableElts ?? []) {
        this.addColumn(table, element, order);
        if ('Constraint' in element) this.addConstraint(table, element.Constraint, order);
      }
    } else if ('CreateFunctionStmt' in node) {
      const name = stringList(node.CreateFunctionStmt.funcname).pop() ?? '';
      push(this.functions, name, order, declaresVolatile(node.CreateFunctionStmt.options));
    } else if ('CreateExtensionStmt' in node && node.CreateExtensionStmt.extname && !this.extensions.has(node.CreateExtensionStmt.extname)) {
      this.extensions.set(node.CreateExtensionStmt.extname, order);
    } else if ('CreateTableAsStmt' in node) {
      const into = node.CreateTableAsStmt.into?.rel;
      const table = new TableHistory();
      table.origin = { order, file, guarded };
      this.tables.set(relationName(into), table);
    } else if ('AlterTableStmt' in node) {
      this.recordAlterTable(node, order);
    } else if ('IndexStmt' in node) {
      const stmt = node.IndexStmt;
      const columns = (stmt.indexParams ?? []).map((p) => ('IndexElem' in p ? p.IndexElem.name ?? '(expression)' : '(expression)'));
      this.table(relationName(stmt.relation)).indexes.push({ name: stmt.idxname ?? '', columns, order, unique: stmt.unique === true });
    } else if ('DropStmt' in node && node.DropStmt.removeType === 'OBJECT_TABLE') {
      for (const object of node.DropStmt.objects ?? []) {
        const table = 'List' in object ? this.changing(qualifiedListName(object.List.items)) : undefined;
        if (table) table.endedAt = order;
      }
    } else if ('RenameStmt' in node) {
      const stmt = node.RenameStmt;
      const name = relationName(stmt.relation);
      const table = this.changing(name);
      if (!table || !stmt.newname) return;
      if (stmt.renameType === 'OBJECT_TABLE') {
        // The facts so far go with the new name, in a copy of their own: what is done to it later
        // is not done to the name that ended here (and a fork's shared tables stay unchanged).
        const renamed = table.clone();
        renamed.endedAt = null;
        table.endedAt = order;
        const newName = stmt.relation?.schemaname && stmt.relation.schemaname !== 'public' ? `${stmt.relation.schemaname}.${stmt.newname}` : stmt.newname;
        table.renamedTo = newName;
        this.tables.set(newName, renamed);
      } else if (stmt.renameType === 'OBJECT_COLUMN' && stmt.subname) {
        // The column's facts move with it; the old name no longer has any.
        const from = stmt.subname;
        push(table.columns, stmt.newname, order, this.columnType(name, from, order + 1));
        push(table.notNull, stmt.newname, order, latest(table.notNull.get(from), order + 1) ?? false);
        push(table.notNullChecks, stmt.newname, order, latest(table.notNullChecks.get(from), order + 1) ?? false);
        forgetColumn(table, from, order);
      }
    }
  }

  private recordAlterTable(node: Extract<Node, { AlterTableStmt: unknown }>, order: number): void {
    const table = this.table(relationName(node.AlterTableStmt.relation));
    for (const item of node.AlterTableStmt.cmds ?? []) {
      if (!('AlterTableCmd' in item)) continue;
      const cmd = item.AlterTableCmd;
      const column = cmd.name ?? '';
      switch (cmd.subtype) {
        case 'AT_AddColumn':
          if (cmd.def) this.addColumn(table, cmd.def, order);
          break;
        case 'AT_AlterColumnType':
          if (cmd.def && 'ColumnDef' in cmd.def) push(table.columns, column, order, columnTypeOf(cmd.def.ColumnDef.typeName));
          break;
        case 'AT_DropColumn':
          forgetColumn(table, column, order);
          break;
        case 'AT_SetNotNull':
          push(table.notNull, column, order, true);
          break;
        case 'AT_DropNotNull':
          push(table.notNull, column, order, false);
          break;
        case 'AT_AddConstraint':
          if (cmd.def && 'Constraint' in cmd.def) this.addConstraint(table, cmd.def.Constraint, order);
          break;
        case 'AT_ValidateConstraint': {
          const proven = table.pendingChecks.get(column);
          if (proven) push(table.notNullChecks, proven, order, true);
          break;
        }
        default:
          break;
      }
    }
  }
}
