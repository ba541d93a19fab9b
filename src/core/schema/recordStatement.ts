// Reads one statement into the schema model: what it creates gets an identity, what it names
// resolves to the identity the name stands for at that point (or one that existed before the
// files), and what it renames, drops, attaches or validates changes that identity. Read from the
// real parse tree, the same way for the rules and for verification; verification also hands over
// the statement's declarations, which are attached to the identities they declare.
import { autoConstraintName, autoIndexName } from '../parse/autoNames';
import type { Declaration } from '../parse/declarations';
import type { ParsedStatement } from '../parse/parseMigration';
import type {
  AlterTableCmd, AlterTableStmt, ColumnDef, Constraint, CreateFunctionStmt, CreateStmt, CreateTrigStmt, DropStmt, IndexStmt, Node, ObjectWithArgs, RangeVar, RenameStmt, TypeName,
} from '../parse/pgTypes';
import { columnNamesIn, rangeVarsIn } from '../parse/treeNames';
import type { ConstraintType } from '../sql/catalogCodes';
import { argumentListOf, functionKey, namedInputTypes } from './functionKeys';
import type { ObjectId, ObjectKind, Origin } from './objects';
import type { ChangeAt, ColumnFacts, SchemaModel } from './schemaModel';

/** One statement as it runs, for the model. */
export interface RecordedRun {
  node: Node;
  /** Its place among every statement recorded (statements are recorded in this order). */
  order: number;
  file: string;
  /** The file's statement whose run this is (null for SQL from elsewhere, a test's schema). */
  by: ParsedStatement | null;
  /** The branches of a DO block or function body it runs in, unique per statement (Origin.conditions). */
  conditions: readonly string[];
  /** It runs SQL the files do not show (a DO block's EXECUTE of SQL built at run time, a CALL of a procedure not in the files). */
  runsCode?: boolean;
  /** Its declarations, for verification: attached to the identities they declare. */
  declarations?: readonly Declaration[];
}

const CONSTRAINT_TYPES: Partial<Record<NonNullable<Constraint['contype']>, ConstraintType>> = {
  CONSTR_CHECK: 'check', CONSTR_UNIQUE: 'unique', CONSTR_PRIMARY: 'primary-key', CONSTR_FOREIGN: 'foreign-key', CONSTR_EXCLUSION: 'exclusion',
};
const INDEX_BACKED = new Set<ConstraintType>(['unique', 'primary-key', 'exclusion']);
const INDEX_LABELS: Record<string, 'key' | 'pkey' | 'excl'> = { unique: 'key', 'primary-key': 'pkey', exclusion: 'excl' };

/** The relation kinds DROP and RENAME name, with the model's kind for each. */
const RELATION_KINDS: Partial<Record<string, ObjectKind>> = {
  OBJECT_TABLE: 'table', OBJECT_FOREIGN_TABLE: 'table', OBJECT_VIEW: 'view', OBJECT_MATVIEW: 'view', OBJECT_INDEX: 'index', OBJECT_SEQUENCE: 'table',
};
const TYPE_KINDS = new Set(['OBJECT_TYPE', 'OBJECT_DOMAIN']);
const FUNCTION_KINDS = new Set(['OBJECT_FUNCTION', 'OBJECT_PROCEDURE']);

function strings(list: Node[] | undefined): string[] {
  return (list ?? []).map((n) => ('String' in n ? n.String.sval ?? '' : ''));
}

/** A qualified name list's schema (when given) and name. */
function qualifiedParts(parts: string[]): { schema: string | null; name: string } {
  return { schema: parts.length > 1 ? parts[parts.length - 2]! : null, name: parts[parts.length - 1] ?? '' };
}

/** The reading of one statement: the model, the run, and what every change is stamped with. */
class Recorder {
  /** Reads within the statement see what it did so far. */
  readonly now: number;
  private changeAt: ChangeAt | null = null;
  private createdAt: Origin | null = null;
  private readonly unattached: Declaration[];

  constructor(readonly model: SchemaModel, readonly run: RecordedRun) {
    this.now = run.order + 1;
    this.unattached = run.declarations ? [...run.declarations] : [];
  }

  /** What every change of the statement is stamped with. */
  get at(): ChangeAt {
    return (this.changeAt ??= { order: this.run.order, by: this.run.by, conditions: this.run.conditions });
  }

  /** Where what the statement creates was created. */
  get origin(): Origin {
    return (this.createdAt ??= { order: this.run.order, file: this.run.file, statement: this.run.by, conditions: this.run.conditions });
  }

  get order(): number {
    return this.run.order;
  }

  /** Gives the identity the statement's declaration of it (by kind and name; on its table for constraints and triggers). */
  attach(id: ObjectId, kind: ObjectKind, names: string[], table: string | null = null): void {
    if (this.unattached.length === 0) return;
    const i = this.unattached.findIndex((d) => d.kind === kind && names.includes(d.name) && (table === null || !('table' in d) || d.table === table));
    if (i < 0) return;
    const [declaration] = this.unattached.splice(i, 1);
    this.model.declare(id, { declaration: declaration!, order: this.order, by: this.run.by });
  }

  table(range: RangeVar | undefined): ObjectId {
    return this.model.refer('table', range?.schemaname ?? null, range?.relname ?? '', this.order);
  }

  findTable(range: RangeVar | undefined): ObjectId | null {
    return this.model.resolve('table', range?.schemaname ?? null, range?.relname ?? '', this.now);
  }

  column(table: ObjectId, name: string): ObjectId {
    return this.model.refer('column', null, name, this.order, table);
  }

  columnFacts(column: ObjectId): ColumnFacts {
    return this.model.columnFacts(column, this.now) ?? { type: null, notNull: false, checked: false };
  }

  setColumn(column: ObjectId, change: Partial<ColumnFacts>): void {
    this.model.setColumn(column, this.order, { ...this.columnFacts(column), ...change });
  }

  /** A name PostgreSQL chooses: the first of `attempt(0)`, `attempt(1)`, … that is free. */
  freeName(kind: ObjectKind, schema: string | null, table: ObjectId | null, attempt: (n: number) => string): string {
    for (let n = 0; ; n++) {
      const name = attempt(n);
      if (n > 20 || this.model.resolve(kind, schema, name, this.now, table) === null) return name;
    }
  }

  /**
   * An existing object of this name, when the statement declares it again (CREATE OR REPLACE, IF
   * NOT EXISTS): the same identity. Otherwise an object that still holds the name ends here
   * (something the files do not show dropped it), and null.
   */
  sameOrEnd(kind: ObjectKind, schema: string | null, name: string, again: boolean, table: ObjectId | null = null): ObjectId | null {
    const found = this.model.resolve(kind, schema, name, this.now, table);
    if (found === null) return null;
    // Under a condition (IF NOT EXISTS …, an EXCEPTION handler) a creation of a name in use is the guard doing its work.
    if (again || this.run.conditions.length > 0) return found;
    this.model.drop(found, this.at, { how: 'declared again by a later statement', explicit: false, cascade: false });
    return null;
  }
}

/** Reads one statement into the model. */
export function recordStatement(model: SchemaModel, run: RecordedRun): void {
  const r = new Recorder(model, run);
  if (run.runsCode && run.by) model.ranCode(run.by, run.order);
  const node = run.node;
  if ('CreateStmt' in node) createTable(r, node.CreateStmt);
  else if ('IndexStmt' in node) createIndex(r, node.IndexStmt);
  else if ('AlterTableStmt' in node) alterTable(r, node.AlterTableStmt);
  else if ('RenameStmt' in node) rename(r, node.RenameStmt);
  else if ('DropStmt' in node) drop(r, node.DropStmt);
  else if ('CreateTrigStmt' in node) createTrigger(r, node.CreateTrigStmt);
  else if ('CreateFunctionStmt' in node) createFunction(r, node.CreateFunctionStmt);
  else if ('ViewStmt' in node) createView(r, node.ViewStmt.view, node.ViewStmt.query, node.ViewStmt.replace === true, false);
  else if ('CreateTableAsStmt' in node) createTableAs(r, node);
  else if ('CreateEnumStmt' in node) createType(r, strings(node.CreateEnumStmt.typeName));
  else if ('CreateRangeStmt' in node) createType(r, strings(node.CreateRangeStmt.typeName));
  else if ('CreateDomainStmt' in node) createType(r, strings(node.CreateDomainStmt.domainname));
  else if ('CompositeTypeStmt' in node) createType(r, [node.CompositeTypeStmt.typevar?.schemaname ?? '', node.CompositeTypeStmt.typevar?.relname ?? ''].filter((p, i) => i === 1 || p !== ''));
  else if ('CreateExtensionStmt' in node) createExtension(r, node.CreateExtensionStmt.extname ?? '', node.CreateExtensionStmt.if_not_exists === true);
  else if ('TransactionStmt' in node) savepoints(r, node);
}

function createTable(r: Recorder, stmt: CreateStmt): void {
  const schema = stmt.relation?.schemaname ?? null;
  const name = stmt.relation?.relname ?? '';
  if (!name) return;
  const existing = r.sameOrEnd('table', schema, name, stmt.if_not_exists === true);
  if (existing !== null) {
    // IF NOT EXISTS did nothing: its constraints are the existing table's, when it has them.
    for (const c of constraintsIn(stmt)) if (c.conname) reattach(r, existing, 'constraint', c.conname, name);
    return;
  }
  const id = r.model.create('table', schema, name, null, { kind: 'table', partitioned: stmt.partspec !== undefined, temporary: isTemporary(stmt.relation) }, r.origin, r.order);
  const parent = stmt.partbound ? stmt.inhRelations?.[0] : undefined;
  if (parent && 'RangeVar' in parent) r.model.setParent(id, r.table(parent.RangeVar), r.order);
  // Columns first: a constraint may name a column defined after it.
  const columns = (stmt.tableElts ?? []).flatMap((e) => ('ColumnDef' in e ? [e.ColumnDef] : []));
  for (const column of columns) addColumn(r, id, name, column, false, false);
  for (const column of columns) for (const c of column.constraints ?? []) if ('Constraint' in c) addConstraint(r, id, name, c.Constraint, column.colname);
  for (const element of stmt.tableElts ?? []) if ('Constraint' in element) addConstraint(r, id, name, element.Constraint);
}

/** CREATE TEMP TABLE, or a table created in pg_temp. */
function isTemporary(range: RangeVar | undefined): boolean {
  return range?.relpersistence === 't' || range?.schemaname?.toLowerCase() === 'pg_temp';
}

function constraintsIn(stmt: CreateStmt): Constraint[] {
  const all: Constraint[] = [];
  for (const element of stmt.tableElts ?? []) {
    if ('Constraint' in element) all.push(element.Constraint);
    if ('ColumnDef' in element) for (const c of element.ColumnDef.constraints ?? []) if ('Constraint' in c) all.push(c.Constraint);
  }
  return all;
}

/** A declaration of an object that already exists: the same identity, declared again. */
function reattach(r: Recorder, table: ObjectId, kind: ObjectKind, name: string, tableName: string): void {
  const found = r.model.resolve(kind, null, name, r.now, table);
  if (found !== null) r.attach(found, kind, [name], tableName);
}

function addColumn(r: Recorder, table: ObjectId, tableName: string, def: ColumnDef, ifNotExists: boolean, withConstraints = true): void {
  const name = def.colname;
  if (!name) return;
  if (ifNotExists && r.model.resolve('column', null, name, r.now, table) !== null) return;
  const constraints = (def.constraints ?? []).flatMap((c) => ('Constraint' in c ? [c.Constraint] : []));
  const notNull = constraints.some((c) => c.contype === 'CONSTR_NOTNULL' || c.contype === 'CONSTR_PRIMARY');
  r.model.create('column', null, name, table, { kind: 'column', declared: { type: def.typeName ?? null, notNull, checked: false } }, r.origin, r.order);
  if (withConstraints) for (const c of constraints) addConstraint(r, table, tableName, c, name);
}

/** The column a `CHECK (col IS NOT NULL)` proves not null, or null for any other check. */
export function notNullCheckColumn(constraint: Constraint): string | null {
  const expr = constraint.raw_expr;
  if (!expr || !('NullTest' in expr) || expr.NullTest.nulltesttype !== 'IS_NOT_NULL') return null;
  const arg = expr.NullTest.arg;
  if (!arg || !('ColumnRef' in arg)) return null;
  const fields = strings(arg.ColumnRef.fields);
  return fields.length === 1 ? fields[0]! : null;
}

function addConstraint(r: Recorder, table: ObjectId, tableName: string, c: Constraint, columnOf?: string): void {
  const type = c.contype ? CONSTRAINT_TYPES[c.contype] : undefined;
  if (!type) return;
  const columns = c.keys?.length ? strings(c.keys) : c.fk_attrs?.length ? strings(c.fk_attrs) : columnOf ? [columnOf] : [];
  if (type === 'primary-key') for (const key of columns) r.setColumn(r.column(table, key), { notNull: true });
  const backed = INDEX_BACKED.has(type);
  // An unnamed constraint gets PostgreSQL's choice: its index's name for index-backed ones (a relation name), else one free on the table.
  const name = c.conname ?? (backed
    ? r.freeName('index', null, null, (n) => autoIndexName(tableName, columns, INDEX_LABELS[type]!, n))
    : r.freeName('constraint', null, table, (n) => autoConstraintName(tableName, type, columns, c.raw_expr, n)));
  const declaredAs = c.conname ? [name] : [name, autoConstraintName(tableName, type, columns, c.raw_expr)];
  // Under a condition (IF NOT EXISTS …, an EXCEPTION handler) an unnamed constraint whose name
  // PostgreSQL would choose is in use is the guard doing its work: the declaration is of the
  // constraint that holds the name (what a later DROP … IF EXISTS of the name drops).
  const held = c.conname || r.run.conditions.length === 0 ? null
    : r.model.resolve('constraint', null, backed ? autoIndexName(tableName, columns, INDEX_LABELS[type]!, 0) : autoConstraintName(tableName, type, columns, c.raw_expr, 0), r.now, table);
  const existing = held ?? r.model.resolve('constraint', null, name, r.now, table);
  if (existing !== null) {
    r.attach(existing, 'constraint', declaredAs, tableName);
    return;
  }
  // USING INDEX: the constraint's columns are its index's (ADD CONSTRAINT names none).
  const usingIndex = c.indexname ? r.model.refer('index', r.model.object(table).schema, c.indexname, r.order) : null;
  const indexDetail = usingIndex !== null ? r.model.object(usingIndex).detail : null;
  const indexUses = indexDetail?.kind === 'index' ? indexDetail.uses : [];
  const uses = [...new Set([...columns, ...indexUses, ...columnNamesIn(c.raw_expr)])];
  const references = type === 'foreign-key' && c.pktable ? r.table(c.pktable) : null;
  const proves = type === 'check' ? notNullCheckColumn(c) : null;
  const provesNotNull = proves ? r.column(table, proves) : null;
  const id = r.model.create('constraint', null, name, table, { kind: 'constraint', type, uses, references, provesNotNull }, r.origin, r.order);
  if (references !== null) r.model.addDependent(references, id, r.order);
  const validated = c.skip_validation !== true;
  if (!validated) r.model.setValidated(id, r.order, false);
  if (provesNotNull !== null && validated) r.setColumn(provesNotNull, { checked: true });
  r.attach(id, 'constraint', declaredAs, tableName);
  if (!backed) return;
  const schema = r.model.object(table).schema;
  if (usingIndex !== null) {
    // USING INDEX: the index becomes the constraint's, under the constraint's name.
    const index = usingIndex;
    if (r.model.nameOf(index, r.now) !== name) r.model.rename(index, name, r.at, `with constraint ${name}`, false);
    r.model.pair(id, index, r.order);
    return;
  }
  const index = r.model.create('index', schema, name, table, { kind: 'index', columns, uses, unique: type !== 'exclusion' }, r.origin, r.order);
  r.model.pair(id, index, r.order);
}

function createIndex(r: Recorder, stmt: IndexStmt): void {
  const table = r.table(stmt.relation);
  const tableName = stmt.relation?.relname ?? '';
  const schema = stmt.relation?.schemaname ?? null;
  const elements = (stmt.indexParams ?? []).map((p) => ('IndexElem' in p ? p.IndexElem : {}));
  const columns = elements.map((e) => e.name ?? '(expression)');
  const label = stmt.primary ? 'pkey' : stmt.excludeOpNames?.length ? 'excl' : stmt.isconstraint ? 'key' : 'idx';
  // ChooseIndexColumnNames: a column's name, an expression's function name, else "expr".
  const nameParts = elements.map((e) => e.indexcolname ?? e.name ?? (e.expr && 'FuncCall' in e.expr ? strings(e.expr.FuncCall.funcname).pop() ?? 'expr' : 'expr'));
  const name = stmt.idxname ?? r.freeName('index', schema, null, (n) => autoIndexName(tableName, nameParts, label, n));
  const existing = r.sameOrEnd('index', schema, name, stmt.if_not_exists === true);
  if (existing !== null) {
    r.attach(existing, 'index', [name]);
    return;
  }
  const used = new Set<string>();
  for (const e of elements) {
    if (e.name) used.add(e.name);
    columnNamesIn(e.expr, used);
  }
  for (const p of stmt.indexIncludingParams ?? []) if ('IndexElem' in p && p.IndexElem.name) used.add(p.IndexElem.name);
  columnNamesIn(stmt.whereClause, used);
  const id = r.model.create('index', schema, name, table, { kind: 'index', columns, uses: [...used], unique: stmt.unique === true }, r.origin, r.order);
  r.attach(id, 'index', [stmt.idxname ?? '']);
}

function alterTable(r: Recorder, stmt: AlterTableStmt): void {
  if (stmt.objtype !== undefined && stmt.objtype !== 'OBJECT_TABLE' && stmt.objtype !== 'OBJECT_FOREIGN_TABLE') return;
  if (stmt.missing_ok && r.findTable(stmt.relation) === null) return;
  const table = r.table(stmt.relation);
  const tableName = stmt.relation?.relname ?? '';
  for (const item of stmt.cmds ?? []) if ('AlterTableCmd' in item) alterTableCommand(r, table, tableName, item.AlterTableCmd);
}

function alterTableCommand(r: Recorder, table: ObjectId, tableName: string, cmd: AlterTableCmd): void {
  const name = cmd.name ?? '';
  const cascade = cmd.behavior === 'DROP_CASCADE';
  switch (cmd.subtype) {
    case 'AT_AddColumn':
      if (cmd.def && 'ColumnDef' in cmd.def) addColumn(r, table, tableName, cmd.def.ColumnDef, cmd.missing_ok === true);
      return;
    case 'AT_DropColumn': {
      if (cmd.missing_ok && r.model.resolve('column', null, name, r.now, table) === null) return;
      r.model.drop(r.column(table, name), r.at, { how: '', explicit: true, cascade });
      // With CASCADE, views reading the table go (whether they read the column is not worked out).
      if (cascade) {
        for (const d of r.model.dependentsOf(table, r.now)) {
          const o = r.model.object(d);
          if (o.detail.kind === 'view' && o.detail.reads.includes(table)) r.model.drop(d, r.at, { how: `by DROP COLUMN ${name} CASCADE`, explicit: false, cascade: true });
        }
      }
      return;
    }
    case 'AT_AlterColumnType':
      if (cmd.def && 'ColumnDef' in cmd.def) r.setColumn(r.column(table, name), { type: cmd.def.ColumnDef.typeName ?? null });
      return;
    case 'AT_SetNotNull':
      r.setColumn(r.column(table, name), { notNull: true });
      return;
    case 'AT_DropNotNull':
      r.setColumn(r.column(table, name), { notNull: false });
      return;
    case 'AT_AddConstraint':
      if (cmd.def && 'Constraint' in cmd.def) addConstraint(r, table, tableName, cmd.def.Constraint);
      return;
    case 'AT_DropConstraint': {
      if (cmd.missing_ok && r.model.resolve('constraint', null, name, r.now, table) === null) return;
      r.model.drop(r.model.refer('constraint', null, name, r.order, table), r.at, { how: '', explicit: true, cascade });
      return;
    }
    case 'AT_ValidateConstraint': {
      const constraint = r.model.refer('constraint', null, name, r.order, table);
      r.model.setValidated(constraint, r.order, true);
      const detail = r.model.object(constraint).detail;
      if (detail.kind === 'constraint' && detail.provesNotNull !== null) r.setColumn(detail.provesNotNull, { checked: true });
      return;
    }
    case 'AT_AttachPartition':
      if (cmd.def && 'PartitionCmd' in cmd.def) r.model.setParent(r.table(cmd.def.PartitionCmd.name), table, r.order);
      return;
    case 'AT_DetachPartition':
      if (cmd.def && 'PartitionCmd' in cmd.def) r.model.setParent(r.table(cmd.def.PartitionCmd.name), null, r.order);
      return;
    default:
      return;
  }
}

function rename(r: Recorder, stmt: RenameStmt): void {
  const to = stmt.newname;
  const type = stmt.renameType ?? '';
  if (!to) return;
  const relationKind = RELATION_KINDS[type];
  if (relationKind && stmt.relation) {
    const { schemaname = null, relname = '' } = stmt.relation;
    if (stmt.missing_ok && r.model.resolve(relationKind, schemaname, relname, r.now) === null) return;
    r.model.rename(r.model.refer(relationKind, schemaname, relname, r.order), to, r.at);
    return;
  }
  if ((type === 'OBJECT_COLUMN' || type === 'OBJECT_TABCONSTRAINT' || type === 'OBJECT_TRIGGER') && stmt.relation && stmt.subname) {
    if (stmt.missing_ok && r.findTable(stmt.relation) === null) return;
    const kind: ObjectKind = type === 'OBJECT_COLUMN' ? 'column' : type === 'OBJECT_TRIGGER' ? 'trigger' : 'constraint';
    r.model.rename(r.model.refer(kind, null, stmt.subname, r.order, r.table(stmt.relation)), to, r.at);
    return;
  }
  if (FUNCTION_KINDS.has(type) && stmt.object && 'ObjectWithArgs' in stmt.object) {
    const fn = referFunction(r, stmt.object.ObjectWithArgs);
    r.model.rename(fn, `${to}${argumentListOf(r.model.nameOf(fn, r.now))}`, r.at);
    return;
  }
  const objectNames = stmt.object && 'List' in stmt.object ? strings(stmt.object.List.items) : [];
  if (TYPE_KINDS.has(type) && objectNames.length > 0) {
    const { schema, name } = qualifiedParts(objectNames);
    r.model.rename(r.model.refer('type', schema, name, r.order), to, r.at);
  }
}

function drop(r: Recorder, stmt: DropStmt): void {
  const type = stmt.removeType ?? '';
  const cascade = stmt.behavior === 'DROP_CASCADE';
  const ending = { how: '', explicit: true, cascade };
  for (const object of stmt.objects ?? []) {
    const parts = 'List' in object ? strings(object.List.items) : 'ObjectWithArgs' in object ? strings(object.ObjectWithArgs.objname) : 'String' in object ? [object.String.sval ?? ''] : [];
    if (parts.length === 0 || parts[parts.length - 1] === '') continue;
    const relationKind = RELATION_KINDS[type];
    if (relationKind) {
      const { schema, name } = qualifiedParts(parts);
      r.model.drop(r.model.refer(relationKind, schema, name, r.order), r.at, ending);
    } else if (type === 'OBJECT_TRIGGER' && parts.length > 1) {
      const table = r.model.refer('table', parts.length > 2 ? parts[parts.length - 3]! : null, parts[parts.length - 2]!, r.order);
      r.model.drop(r.model.refer('trigger', null, parts[parts.length - 1]!, r.order, table), r.at, ending);
    } else if (FUNCTION_KINDS.has(type) && 'ObjectWithArgs' in object) {
      r.model.drop(referFunction(r, object.ObjectWithArgs), r.at, ending);
    } else if (TYPE_KINDS.has(type)) {
      const { schema, name } = qualifiedParts(parts);
      r.model.drop(r.model.refer('type', schema, name, r.order), r.at, ending);
    } else if (type === 'OBJECT_EXTENSION') {
      r.model.drop(r.model.refer('extension', null, parts[parts.length - 1]!, r.order), r.at, ending);
    } else if (type === 'OBJECT_SCHEMA' && cascade) {
      dropSchema(r, parts[0]!);
    }
  }
}

/** DROP SCHEMA … CASCADE: everything created in it (what hangs on those goes with them). */
function dropSchema(r: Recorder, schema: string): void {
  for (const o of [...r.model.allObjects()]) {
    if (o.schema === schema && r.model.exists(o.id, r.now)) r.model.drop(o.id, r.at, { how: `by DROP SCHEMA ${schema} CASCADE`, explicit: false, cascade: true });
  }
}

function createTrigger(r: Recorder, stmt: CreateTrigStmt): void {
  const name = stmt.trigname ?? '';
  const table = r.table(stmt.relation);
  const existing = r.sameOrEnd('trigger', null, name, stmt.replace === true, table);
  const { schema, name: functionName } = qualifiedParts(strings(stmt.funcname));
  if (existing !== null) {
    const detail = r.model.object(existing).detail;
    // CREATE OR REPLACE TRIGGER keeps the trigger (its OID) and redefines it: it calls the new function from here on.
    if (stmt.replace === true && detail.kind === 'trigger' && functionName) {
      detail.calls = r.model.refer('function', schema, functionKey(functionName, []), r.order);
      r.model.addDependent(detail.calls, existing, r.order);
    }
    r.attach(existing, 'trigger', [name], stmt.relation?.relname ?? null);
    return;
  }
  // A trigger function takes no arguments: the one of that name without any.
  const calls = functionName ? r.model.refer('function', schema, functionKey(functionName, []), r.order) : null;
  const id = r.model.create('trigger', null, name, table, { kind: 'trigger', calls }, r.origin, r.order);
  if (calls !== null) r.model.addDependent(calls, id, r.order);
  r.attach(id, 'trigger', [name], stmt.relation?.relname ?? null);
}

function volatilityOf(options: Node[] | undefined): string {
  for (const o of options ?? []) {
    if ('DefElem' in o && o.DefElem.defname === 'volatility' && o.DefElem.arg && 'String' in o.DefElem.arg) return o.DefElem.arg.String.sval ?? 'volatile';
  }
  return 'volatile';
}

function createFunction(r: Recorder, stmt: CreateFunctionStmt): void {
  const { schema, name } = qualifiedParts(strings(stmt.funcname));
  if (!name) return;
  // Known by name and argument types: CREATE OR REPLACE of the same ones is the same function, an overload another.
  const key = functionKey(name, inputArguments(stmt));
  const id = r.model.resolve('function', schema, key, r.now) ?? r.model.create('function', schema, key, null, { kind: 'function' }, r.origin, r.order);
  r.model.setVolatility(id, r.order, volatilityOf(stmt.options));
  r.model.setArgumentTypes(id, r.order, inputArguments(stmt).map((type) => argumentType(r, type)));
  r.attach(id, 'function', [name]);
}

/** The function a DROP or ALTER FUNCTION names: by its argument types, or whichever of that name there is when it gives none. */
function referFunction(r: Recorder, object: ObjectWithArgs): ObjectId {
  const { schema, name } = qualifiedParts(strings(object.objname));
  const types = namedInputTypes(object);
  if (types !== null) return r.model.refer('function', schema, functionKey(name, types), r.order);
  // None known: whichever one the database has, of any arguments.
  return r.model.resolveFunction(schema, name, r.now) ?? r.model.refer('function', schema, `${name}(*)`, r.order);
}

/** The types of a function's input arguments (as FunctionDeclaration.args lists them). */
function inputArguments(stmt: CreateFunctionStmt): (TypeName | undefined)[] {
  return (stmt.parameters ?? []).flatMap((p) => ('FunctionParameter' in p && p.FunctionParameter.mode !== 'FUNC_PARAM_OUT' && p.FunctionParameter.mode !== 'FUNC_PARAM_TABLE'
    ? [p.FunctionParameter.argType] : []));
}

/** The table (its row type) or type of the files an argument is of, an array of one too; null for any other type. */
function argumentType(r: Recorder, type: TypeName | undefined): ObjectId | null {
  if (!type || type.pct_type) return null;
  const parts = strings(type.names);
  if (parts.length === 0 || parts.length > 2 || parts[0] === 'pg_catalog') return null;
  const { schema, name } = qualifiedParts(parts);
  const relation = r.model.resolve('table', schema, name, r.now);
  if (relation !== null && r.model.object(relation).kind !== 'index') return relation;
  return r.model.resolve('type', schema, name, r.now);
}

function createView(r: Recorder, range: RangeVar | undefined, query: Node | undefined, replace: boolean, materialized: boolean): void {
  const schema = range?.schemaname ?? null;
  const name = range?.relname ?? '';
  if (!name || r.sameOrEnd('view', schema, name, replace) !== null) return;
  const reads = [...new Set(rangeVarsIn(query).map((v) => r.model.resolve('table', v.schema, v.name, r.now)).filter((id): id is ObjectId => id !== null))];
  const id = r.model.create('view', schema, name, null, { kind: 'view', materialized, reads }, r.origin, r.order);
  for (const read of reads) r.model.addDependent(read, id, r.order);
}

function createTableAs(r: Recorder, node: Extract<Node, { CreateTableAsStmt: unknown }>): void {
  const stmt = node.CreateTableAsStmt;
  const range = stmt.into?.rel;
  if (stmt.objtype === 'OBJECT_MATVIEW') {
    createView(r, range, stmt.query, stmt.if_not_exists === true, true);
    return;
  }
  const schema = range?.schemaname ?? null;
  const name = range?.relname ?? '';
  if (!name || r.sameOrEnd('table', schema, name, stmt.if_not_exists === true) !== null) return;
  const id = r.model.create('table', schema, name, null, { kind: 'table', partitioned: false, temporary: isTemporary(range) }, r.origin, r.order);
  for (const column of strings(stmt.into?.colNames)) r.model.create('column', null, column, id, { kind: 'column', declared: null }, r.origin, r.order);
}

function createExtension(r: Recorder, name: string, ifNotExists: boolean): void {
  // Extensions are named in the database, not in a schema (its SCHEMA clause is where its objects go).
  if (!name || r.sameOrEnd('extension', null, name, ifNotExists) !== null) return;
  r.model.create('extension', null, name, null, { kind: 'extension' }, r.origin, r.order);
}

function createType(r: Recorder, parts: string[]): void {
  const { schema, name } = qualifiedParts(parts);
  if (!name || r.sameOrEnd('type', schema, name, false) !== null) return;
  r.model.create('type', schema, name, null, { kind: 'type' }, r.origin, r.order);
}

function savepoints(r: Recorder, node: Extract<Node, { TransactionStmt: unknown }>): void {
  const stmt = node.TransactionStmt;
  const name = stmt.savepoint_name ?? '';
  if (stmt.kind === 'TRANS_STMT_SAVEPOINT') r.model.savepoint(name, r.order);
  else if (stmt.kind === 'TRANS_STMT_RELEASE') r.model.release(name);
  else if (stmt.kind === 'TRANS_STMT_ROLLBACK_TO') r.model.rollbackTo(name, r.at);
}
