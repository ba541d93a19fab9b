// What a statement will do on PostgreSQL, predicted from its parse tree: the table locks it takes
// (PostgreSQL's mode names), the tables it rewrites and the tables it reads in full. This is the
// prediction that measured locks are compared against, that the rules explain and that the
// editor's hover shows. Sources: the manual's ALTER TABLE, CREATE INDEX, "Explicit Locking" pages.
import type { AlterTableCmd, Constraint, Node } from '../parse/pgTypes';
import { bareColumnName } from '../parse/treeNames';
import { strongestLock, type LockMode } from '../sql/lockModes';
import { alterTableCommandEffect } from './alterTableEffects';
import { columnTypeOf } from './columnTypes';
import { qualifiedListName, relationName } from './relationNames';
import type { SchemaHistory } from './schemaHistory';
import { timestampZoneSwap, typeChangeIsSafe } from './typeChanges';
import { volatileCallIn } from './volatility';

/** A table-level lock a statement takes. */
export interface PredictedLock {
  /** The table (or index) as the statement names it; "schema.table" outside public. */
  relation: string;
  mode: LockMode;
  /**
   * Set when `relation` is an index whose table the files do not name: PostgreSQL takes the lock
   * on that table too (DROP INDEX), so reads and writes of the table wait, not only the index's users.
   */
  onTableOfIndex?: true;
}

/** What a statement does beyond its text. */
export interface PredictedEffects {
  /** The strongest lock per relation, in the order the statement names them. */
  locks: PredictedLock[];
  /** Tables rewritten in full (a new copy of every row and every index). */
  rewrites: readonly string[];
  /** Tables read in full under the lock (validation, an index build). */
  scans: readonly string[];
  /** Tables whose every row is updated or deleted (no WHERE). */
  everyRow: readonly string[];
}

/** What the prediction may know besides the statement. */
export interface PredictionContext {
  pgVersion: number;
  /** The schema the files build up, for column types and NOT NULL proofs. */
  schema?: SchemaHistory;
  /** The statement's order in the schema history (facts from before it count). */
  order?: number;
  /** The file set the session's TimeZone to UTC before the statement (and did not change it since). */
  timeZoneUtc?: boolean;
}

/** The files' own functions' volatility as of the statement, for column defaults. */
export function declaredVolatility(context: PredictionContext): (name: string) => boolean | null {
  return (name) => context.schema?.functionVolatile(name, context.order ?? Number.MAX_SAFE_INTEGER) ?? null;
}

// The editor predicts every statement of a file on each check, and most statements lock one
// relation and rewrite, scan or update none: the sets are made when first needed, and the empty
// lists are shared (frozen, so no reader can change them for everyone).
const NONE: readonly string[] = Object.freeze([]);

class EffectsBuilder {
  private readonly modes = new Map<string, LockMode>();
  private indexesOfUnknownTables: Set<string> | null = null;
  private rewrites: Set<string> | null = null;
  private scans: Set<string> | null = null;
  private everyRow: Set<string> | null = null;

  lock(relation: string, mode: LockMode): this {
    if (!relation) return this;
    const held = this.modes.get(relation);
    this.modes.set(relation, held === undefined ? mode : strongestLock([mode, held])!);
    return this;
  }

  /** The lock a statement takes on an index and on its table, named when the files say which. */
  lockIndexAndTable(index: string, table: string | null, mode: LockMode): this {
    if (table) return this.lock(table, mode);
    if (index) (this.indexesOfUnknownTables ??= new Set()).add(index);
    return this.lock(index, mode);
  }

  rewrite(relation: string): this {
    (this.rewrites ??= new Set()).add(relation);
    return this;
  }

  scan(relation: string): this {
    (this.scans ??= new Set()).add(relation);
    return this;
  }

  allRows(relation: string): this {
    (this.everyRow ??= new Set()).add(relation);
    return this;
  }

  build(): PredictedEffects {
    const rewrites = this.rewrites;
    return {
      locks: [...this.modes].map(([relation, mode]) => (this.indexesOfUnknownTables?.has(relation) ? { relation, mode, onTableOfIndex: true } : { relation, mode })),
      rewrites: rewrites ? [...rewrites].filter((r) => r) : NONE,
      scans: this.scans ? [...this.scans].filter((r) => r && !rewrites?.has(r)) : NONE,
      everyRow: this.everyRow ? [...this.everyRow].filter((r) => r) : NONE,
    };
  }
}

const LOCK_STMT_MODES: readonly LockMode[] = [
  'AccessShareLock', 'AccessShareLock', 'RowShareLock', 'RowExclusiveLock', 'ShareUpdateExclusiveLock',
  'ShareLock', 'ShareRowExclusiveLock', 'ExclusiveLock', 'AccessExclusiveLock',
];

function constraintsOf(nodes: Node[] | undefined): Constraint[] {
  return (nodes ?? []).flatMap((n) => ('Constraint' in n ? [n.Constraint] : []));
}

function addConstraint(out: EffectsBuilder, table: string, c: Constraint): void {
  switch (c.contype) {
    case 'CONSTR_FOREIGN':
      out.lock(table, 'ShareRowExclusiveLock').lock(relationName(c.pktable), 'ShareRowExclusiveLock');
      if (!c.skip_validation) out.scan(table);
      break;
    case 'CONSTR_CHECK':
    case 'CONSTR_NOTNULL':
      out.lock(table, 'AccessExclusiveLock');
      if (!c.skip_validation) out.scan(table);
      break;
    case 'CONSTR_UNIQUE':
    case 'CONSTR_PRIMARY':
    case 'CONSTR_EXCLUSION':
      out.lock(table, 'AccessExclusiveLock');
      if (!c.indexname) out.scan(table); // builds the index under the lock
      break;
    default:
      out.lock(table, 'AccessExclusiveLock');
  }
}

/** True when adding this column makes PostgreSQL compute a value for every existing row. */
export function addColumnRewrites(column: Extract<Node, { ColumnDef: unknown }>['ColumnDef'], context: PredictionContext): boolean {
  const pgVersion = context.pgVersion;
  const type = columnTypeOf(column.typeName);
  if (type && ['serial', 'bigserial', 'smallserial'].includes(type.name)) return true; // nextval() per row
  const constraints = constraintsOf(column.constraints);
  if (constraints.some((c) => c.contype === 'CONSTR_IDENTITY' || (c.contype === 'CONSTR_GENERATED' && c.generated_kind !== 'v'))) return true;
  const dflt = constraints.find((c) => c.contype === 'CONSTR_DEFAULT');
  if (!dflt?.raw_expr) return false;
  if (volatileCallIn(dflt.raw_expr, declaredVolatility(context))) return true;
  const isNull = 'A_Const' in dflt.raw_expr && dflt.raw_expr.A_Const.isnull === true;
  return pgVersion < 11 && !isNull;
}

/** True when this ALTER COLUMN … TYPE rewrites the table (anything but a change known to be binary-coercible). */
export function typeChangeRewrites(table: string, cmd: AlterTableCmd, context: PredictionContext): boolean {
  const def = cmd.def;
  const to = def && 'ColumnDef' in def ? columnTypeOf(def.ColumnDef.typeName) : null;
  const from = context.schema?.columnType(table, cmd.name ?? '', context.order ?? Number.MAX_SAFE_INTEGER) ?? null;
  // USING the column itself is the plain cast: PostgreSQL treats it as no USING at all.
  const usingExpr = def && 'ColumnDef' in def ? def.ColumnDef.raw_default : undefined;
  const usingSelf = cmd.name !== undefined && bareColumnName(usingExpr) === cmd.name;
  if (!from || !to || (usingExpr !== undefined && !usingSelf)) return true;
  // timestamp ↔ timestamptz is binary-compatible in a UTC session (PostgreSQL 12+): in place when the file set TimeZone to UTC.
  if (context.timeZoneUtc && context.pgVersion >= 12 && timestampZoneSwap(from, to)) return false;
  return !typeChangeIsSafe(from, to);
}

/** True when this SET NOT NULL reads the table: the column is not known NOT NULL, nor proven by a validated check (12+). */
export function setNotNullScans(table: string, cmd: AlterTableCmd, context: PredictionContext): boolean {
  const known = context.schema?.knownNotNull(table, cmd.name ?? '', context.order ?? Number.MAX_SAFE_INTEGER) ?? null;
  return !(known === 'not-null' || (known === 'check' && context.pgVersion >= 12));
}

/**
 * True when PostgreSQL marks a foreign key written on a new column valid without reading the table:
 * the column has no DEFAULT (not even NULL) and is not generated or an identity, so every existing
 * row holds NULL there. Measured per column on PostgreSQL 17: another new column's DEFAULT in the
 * same statement changes nothing.
 */
export function newColumnForeignKeyUnchecked(column: Extract<Node, { ColumnDef: unknown }>['ColumnDef']): boolean {
  return column.raw_default === undefined && !constraintsOf(column.constraints).some((c) => c.contype === 'CONSTR_DEFAULT' || c.contype === 'CONSTR_GENERATED' || c.contype === 'CONSTR_IDENTITY');
}

function alterTableCommand(out: EffectsBuilder, table: string, cmd: AlterTableCmd, context: PredictionContext): void {
  const subtype = cmd.subtype ?? '';
  const def = cmd.def;
  switch (subtype) {
    case 'AT_AddColumn': {
      out.lock(table, 'AccessExclusiveLock');
      if (!def || !('ColumnDef' in def)) return;
      if (addColumnRewrites(def.ColumnDef, context)) out.rewrite(table);
      for (const c of constraintsOf(def.ColumnDef.constraints)) {
        if (c.contype === 'CONSTR_FOREIGN' && newColumnForeignKeyUnchecked(def.ColumnDef)) addConstraint(out, table, { ...c, skip_validation: true });
        else if (c.contype === 'CONSTR_FOREIGN' || c.contype === 'CONSTR_CHECK' || c.contype === 'CONSTR_UNIQUE' || c.contype === 'CONSTR_PRIMARY') addConstraint(out, table, c);
      }
      return;
    }
    case 'AT_AlterColumnType':
      out.lock(table, 'AccessExclusiveLock');
      if (typeChangeRewrites(table, cmd, context)) out.rewrite(table);
      return;
    case 'AT_SetNotNull':
      out.lock(table, 'AccessExclusiveLock');
      if (setNotNullScans(table, cmd, context)) out.scan(table);
      return;
    case 'AT_AddConstraint':
      if (def && 'Constraint' in def) addConstraint(out, table, def.Constraint);
      return;
    case 'AT_AttachPartition': {
      out.lock(table, 'ShareUpdateExclusiveLock');
      const partition = def && 'PartitionCmd' in def ? relationName(def.PartitionCmd.name) : '';
      out.lock(partition, 'AccessExclusiveLock').scan(partition);
      return;
    }
    case 'AT_DetachPartition': {
      const concurrent = def && 'PartitionCmd' in def && def.PartitionCmd.concurrent === true;
      const partition = def && 'PartitionCmd' in def ? relationName(def.PartitionCmd.name) : '';
      const mode: LockMode = concurrent ? 'ShareUpdateExclusiveLock' : 'AccessExclusiveLock';
      out.lock(table, mode).lock(partition, mode);
      return;
    }
    default: {
      const effect = alterTableCommandEffect(subtype);
      out.lock(table, effect.mode);
      if (effect.rewrites) out.rewrite(table);
      if (effect.scans) out.scan(table);
    }
  }
}

type Predictor = (node: Node, out: EffectsBuilder, context: PredictionContext) => void;

const DROP_LOCKED = new Set(['OBJECT_TABLE', 'OBJECT_VIEW', 'OBJECT_MATVIEW', 'OBJECT_SEQUENCE', 'OBJECT_FOREIGN_TABLE']);

/** One predictor per statement type; statements not listed take no table lock worth reporting. */
const PREDICTORS: Readonly<Record<string, Predictor>> = {
  IndexStmt: (n, out) => {
    if (!('IndexStmt' in n)) return;
    const table = relationName(n.IndexStmt.relation);
    out.lock(table, n.IndexStmt.concurrent ? 'ShareUpdateExclusiveLock' : 'ShareLock');
    // ON ONLY a partitioned table makes an empty, invalid parent index and reads no partition
    // (written for partitioned tables: on a plain table PostgreSQL ignores ONLY and builds).
    if (n.IndexStmt.relation?.inh === true) out.scan(table);
  },
  DropStmt: (n, out, context) => {
    if (!('DropStmt' in n)) return;
    const stmt = n.DropStmt;
    const type = stmt.removeType ?? '';
    for (const object of stmt.objects ?? []) {
      const items = 'List' in object ? object.List.items : undefined;
      if (type === 'OBJECT_TRIGGER' || type === 'OBJECT_RULE' || type === 'OBJECT_POLICY') {
        out.lock(qualifiedListName(items?.slice(0, -1)), 'AccessExclusiveLock');
      } else if (type === 'OBJECT_INDEX') {
        // The index's table is locked as strongly as the index (measured on 13 to 18).
        const index = qualifiedListName(items);
        const table = context.schema?.tableOfIndex(index, context.order ?? Number.MAX_SAFE_INTEGER) ?? null;
        out.lockIndexAndTable(index, table, stmt.concurrent ? 'ShareUpdateExclusiveLock' : 'AccessExclusiveLock');
      } else if (DROP_LOCKED.has(type)) {
        out.lock(qualifiedListName(items), stmt.concurrent ? 'ShareUpdateExclusiveLock' : 'AccessExclusiveLock');
      }
    }
  },
  ReindexStmt: (n, out) => {
    if (!('ReindexStmt' in n)) return;
    const stmt = n.ReindexStmt;
    const name = relationName(stmt.relation);
    const concurrent = (stmt.params ?? []).some((p) => 'DefElem' in p && p.DefElem.defname === 'concurrently');
    if (concurrent) out.lock(name, 'ShareUpdateExclusiveLock');
    else if (stmt.kind === 'REINDEX_OBJECT_INDEX') out.lock(name, 'AccessExclusiveLock');
    else if (stmt.kind === 'REINDEX_OBJECT_TABLE') out.lock(name, 'ShareLock').lock(`indexes of ${name}`, 'AccessExclusiveLock');
    if (name) out.scan(name);
  },
  AlterTableStmt: (n, out, context) => {
    if (!('AlterTableStmt' in n)) return;
    const table = relationName(n.AlterTableStmt.relation);
    for (const item of n.AlterTableStmt.cmds ?? []) if ('AlterTableCmd' in item) alterTableCommand(out, table, item.AlterTableCmd, context);
  },
  CreateStmt: (n, out) => {
    if (!('CreateStmt' in n)) return;
    const stmt = n.CreateStmt;
    for (const element of stmt.tableElts ?? []) {
      const constraints = 'Constraint' in element ? [element.Constraint] : 'ColumnDef' in element ? constraintsOf(element.ColumnDef.constraints) : [];
      for (const c of constraints) if (c.contype === 'CONSTR_FOREIGN') out.lock(relationName(c.pktable), 'ShareRowExclusiveLock');
    }
    if (stmt.partbound) for (const parent of stmt.inhRelations ?? []) if ('RangeVar' in parent) out.lock(relationName(parent.RangeVar), 'AccessExclusiveLock');
  },
  CreateTrigStmt: (n, out) => {
    if ('CreateTrigStmt' in n) out.lock(relationName(n.CreateTrigStmt.relation), 'ShareRowExclusiveLock');
  },
  RenameStmt: (n, out) => {
    if (!('RenameStmt' in n)) return;
    const type = n.RenameStmt.renameType;
    out.lock(relationName(n.RenameStmt.relation), type === 'OBJECT_INDEX' ? 'ShareUpdateExclusiveLock' : 'AccessExclusiveLock');
  },
  // TRUNCATE gives the table new, empty storage: no row is read or copied, whatever its size.
  TruncateStmt: (n, out) => {
    if (!('TruncateStmt' in n)) return;
    for (const r of n.TruncateStmt.relations ?? []) if ('RangeVar' in r) out.lock(relationName(r.RangeVar), 'AccessExclusiveLock');
  },
  UpdateStmt: (n, out) => {
    if (!('UpdateStmt' in n)) return;
    const table = relationName(n.UpdateStmt.relation);
    out.lock(table, 'RowExclusiveLock');
    if (!n.UpdateStmt.whereClause) out.allRows(table).scan(table);
  },
  DeleteStmt: (n, out) => {
    if (!('DeleteStmt' in n)) return;
    const table = relationName(n.DeleteStmt.relation);
    out.lock(table, 'RowExclusiveLock');
    if (!n.DeleteStmt.whereClause) out.allRows(table).scan(table);
  },
  InsertStmt: (n, out) => {
    if ('InsertStmt' in n) out.lock(relationName(n.InsertStmt.relation), 'RowExclusiveLock');
  },
  LockStmt: (n, out) => {
    if (!('LockStmt' in n)) return;
    const mode = LOCK_STMT_MODES[n.LockStmt.mode ?? 8] ?? 'AccessExclusiveLock';
    for (const r of n.LockStmt.relations ?? []) if ('RangeVar' in r) out.lock(relationName(r.RangeVar), mode);
  },
  VacuumStmt: (n, out) => {
    if (!('VacuumStmt' in n)) return;
    const full = (n.VacuumStmt.options ?? []).some((o) => 'DefElem' in o && o.DefElem.defname === 'full');
    for (const r of n.VacuumStmt.rels ?? []) {
      const table = 'VacuumRelation' in r ? relationName(r.VacuumRelation.relation) : '';
      if (full) out.lock(table, 'AccessExclusiveLock').rewrite(table);
      else out.lock(table, 'ShareUpdateExclusiveLock').scan(table);
    }
  },
  ClusterStmt: (n, out) => {
    if (!('ClusterStmt' in n)) return;
    const table = relationName(n.ClusterStmt.relation);
    out.lock(table, 'AccessExclusiveLock').rewrite(table);
  },
  RefreshMatViewStmt: (n, out) => {
    if (!('RefreshMatViewStmt' in n)) return;
    const view = relationName(n.RefreshMatViewStmt.relation);
    out.lock(view, n.RefreshMatViewStmt.concurrent ? 'ExclusiveLock' : 'AccessExclusiveLock').rewrite(view);
  },
};

/** The locks, rewrites and scans a statement causes, predicted from its parse tree. */
export function predictStatementEffects(node: Node, context: PredictionContext): PredictedEffects {
  const out = new EffectsBuilder();
  const predictor = PREDICTORS[Object.keys(node)[0] ?? ''];
  if (predictor) predictor(node, out, context);
  return out.build();
}

