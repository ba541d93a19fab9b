// The one schema model the rules, the predictions, a run's measurement and `verify` read: every
// table, view, index, constraint, trigger, function, type and column gets an identity when it is
// created, and a name resolves to an identity as of each statement. Facts (names, columns,
// validation, what hangs on what, whether and how an object ended) are kept by identity and by
// statement order (timeline.ts), so a reader asks "as of this statement" and a later statement
// never changes what an earlier one saw. Drops cascade by dependency: a table's indexes,
// constraints, triggers and columns go with it, a partitioned table's partitions with it, and
// with CASCADE the views reading it and the foreign keys referencing it. Statements are read into
// it by recordStatement.ts.
import type { Declaration } from '../parse/declarations';
import type { ParsedStatement } from '../parse/parseMigration';
import { functionNameOf } from './functionKeys';
import { namedPerTable, schemaKey, SchemaNumbers } from './names';
import type { ColumnFacts, Fate, ObjectDetail, ObjectId, ObjectKind, Origin, SchemaObject } from './objects';

export type { ColumnFacts };
import { NameStore, Store, type ChangeListener, type Revertible } from './timeline';

/** The statement a change belongs to. */
export interface ChangeAt {
  order: number;
  /** The file's statement whose run makes the change. */
  by: ParsedStatement | null;
  /** The branches it runs in (see Origin.conditions). */
  conditions: readonly string[];
}

/** How an object ends. */
export interface Ending {
  how: string;
  explicit: boolean;
  /** Also drop what depends on it only through CASCADE (views reading it, foreign keys referencing it, triggers calling it). */
  cascade: boolean;
  /** For a partition dropped with its partitioned table: that table's name. */
  partitionOf?: string;
}

/** A declaration verification checks an object by, with the statement that made it. */
export interface Declared {
  declaration: Declaration;
  order: number;
  by: ParsedStatement | null;
}

interface Savepoint {
  name: string;
  order: number;
  /** The first identity minted after it. */
  nextId: ObjectId;
}

/** The schema the statements build, by identity. */
export class SchemaModel {
  private nextId: number;
  /** The objects by identity: the first ones shared with the model this one was forked from. */
  private readonly objects: SchemaObject[];
  private readonly inherited: SchemaModel | null;
  private readonly firstOwnId: ObjectId;
  private readonly changes: { store: Revertible; key: unknown; order: number }[] = [];
  private savepoints: Savepoint[];
  private readonly numbers: SchemaNumbers;
  /** Name → identity, per scope (a namespace with a schema or a table); null once the name is free again. */
  private readonly bindings: NameStore<ObjectId | null>;
  /** The schemas other than public a name was bound in, for an unqualified name (a log). */
  private readonly schemasOfName: NameStore<string>;
  /** The keys a function name was bound under (functionKeys.ts), for a reference without argument types (a log). */
  private readonly overloads: NameStore<string>;
  /** Names given by renames (an object's first name is its own). */
  private readonly names: Store<ObjectId, string>;
  private readonly fates: Store<ObjectId, Fate>;
  /** A partition's partitioned table (null once detached). */
  private readonly parents: Store<ObjectId, ObjectId | null>;
  /** What depends on an object, ever (a log): its indexes, constraints, triggers, columns, partitions, views, users of a column. */
  private readonly dependents: Store<ObjectId, ObjectId>;
  private readonly columns: Store<ObjectId, ColumnFacts>;
  private readonly validated: Store<ObjectId, boolean>;
  /** The order of the statement that declared it (when the reader gave the declarations). */
  orderOfDeclaration(declaration: Declaration): number | null {
    return this.declaredOrders.get(declaration) ?? null;
  }

  /** An index-backed constraint's index, and that index's constraint. */
  private readonly partners: Store<ObjectId, ObjectId>;
  private readonly declarations: Store<ObjectId, Declared>;
  /** The identity each declaration was attached to, and the order of the statement that declared it. */
  private readonly declared: Map<Declaration, ObjectId>;
  private readonly declaredOrders: Map<Declaration, number>;
  /** A function's input argument types that are the files' tables (row types) or types, as last declared (null: another type). */
  private readonly argumentTypes: Store<ObjectId, readonly (ObjectId | null)[]>;
  /** A function's volatility as declared ('volatile', 'stable', 'immutable'). */
  private readonly volatility: Store<ObjectId, string>;
  /** Statements that ran SQL the files do not show (dynamic SQL, a procedure not in the files), a log. */
  private readonly codeRuns: Store<'', { by: ParsedStatement; order: number }>;

  constructor(parent: SchemaModel | null = null) {
    // Only ROLLBACK TO SAVEPOINT undoes changes: they are noted while a savepoint is set.
    const listen: ChangeListener = (store, key, order) => {
      if (this.savepoints.length > 0) this.changes.push({ store, key, order });
    };
    const stores = <K, V>(own: Store<K, V> | undefined, revertible: boolean) => (own ? own.fork(revertible ? listen : null) : new Store<K, V>(null, revertible ? listen : null));
    this.nextId = parent?.nextId ?? 1;
    this.numbers = parent?.numbers ?? new SchemaNumbers();
    this.inherited = parent;
    this.firstOwnId = this.nextId;
    this.objects = [];
    this.savepoints = [...(parent?.savepoints ?? [])];
    this.bindings = parent ? parent.bindings.fork(listen) : new NameStore(null, listen);
    this.schemasOfName = parent ? parent.schemasOfName.fork() : new NameStore();
    this.overloads = parent ? parent.overloads.fork() : new NameStore();
    this.names = stores(parent?.names, true);
    this.fates = stores(parent?.fates, true);
    this.parents = stores(parent?.parents, true);
    this.dependents = stores(parent?.dependents, false);
    this.columns = stores(parent?.columns, true);
    this.validated = stores(parent?.validated, true);
    this.partners = stores(parent?.partners, true);
    this.declarations = stores(parent?.declarations, true);
    this.declared = new Map(parent?.declared);
    this.declaredOrders = new Map(parent?.declaredOrders);
    this.volatility = stores(parent?.volatility, true);
    this.argumentTypes = stores(parent?.argumentTypes, true);
    this.codeRuns = stores(parent?.codeRuns, false);
  }

  /** A model that starts as this one and learns on its own; this one no longer changes. */
  fork(): SchemaModel {
    return new SchemaModel(this);
  }

  // ---- Reading ---------------------------------------------------------------------------------

  object(id: ObjectId): SchemaObject {
    const found = id >= this.firstOwnId ? this.objects[id - this.firstOwnId] : this.inherited?.object(id);
    if (!found) throw new Error(`no schema object ${id}`);
    return found;
  }

  /** Every identity, in the order they were minted. */
  *allObjects(): Generator<SchemaObject> {
    for (let id = 1; id < this.nextId; id++) yield this.object(id);
  }

  /**
   * The identity a name stands for as of `before` (statements ordered before it ran). A schema
   * given finds the object there only: `app.orders` is never the `orders` a file created without
   * a schema, which the default search_path puts in public (the two are told apart in the rules'
   * findings). None given finds the one in public (or created without one), else the latest bound
   * in another schema (a search_path). `scope`: the table, for kinds named per table (its schema
   * is not used).
   */
  resolve(kind: ObjectKind, schema: string | null, name: string, before: number, scope: ObjectId | null = null): ObjectId | null {
    const numbers = this.numbers;
    if (namedPerTable(kind)) return scope === null ? null : this.bindings.at(numbers.scope(kind, scope), name, before) ?? null;
    const own = schemaKey(schema);
    const found = this.bindings.at(numbers.scope(kind, own), name, before);
    if (found != null) return found;
    if (own !== '') return null;
    let latest: ObjectId | null = null;
    for (const other of this.schemasOfName.timeline(numbers.otherSchemas(kind), name)?.valuesBefore(before) ?? []) {
      latest = this.bindings.at(numbers.scope(kind, other), name, before) ?? latest;
    }
    return latest;
  }

  /**
   * The function of this name whichever its argument types, for a reference that gives none (`DROP
   * FUNCTION f`, a call in a DEFAULT): the one created last of those that still stand.
   */
  resolveFunction(schema: string | null, name: string, before: number): ObjectId | null {
    let latest: ObjectId | null = null;
    for (const key of new Set(this.overloads.timeline(0, name)?.valuesBefore(before) ?? [])) {
      const found = this.resolve('function', schema, key, before);
      if (found !== null && (latest === null || found > latest)) latest = found;
    }
    return latest;
  }

  /** Its name as users write it: a function's without its argument types. */
  displayName(id: ObjectId, before = Infinity): string {
    const name = this.nameOf(id, before);
    return this.object(id).kind === 'function' ? functionNameOf(name) : name;
  }

  /** The object's name as of `before` (its last name, by default). */
  nameOf(id: ObjectId, before = Infinity): string {
    const renamed = this.names.timeline(id);
    if (renamed) {
      const name = renamed.at(before);
      if (name !== undefined) return name;
    }
    return this.object(id).name;
  }

  /** What last happened to the object before `before`: dropped or renamed (undefined: neither). */
  fateOf(id: ObjectId, before = Infinity): Fate | undefined {
    return this.fates.at(id, before);
  }

  /** True when the object exists as of `before` (created before it, not dropped since). */
  exists(id: ObjectId, before = Infinity): boolean {
    const origin = this.object(id).origin;
    if (origin && origin.order >= before) return false;
    return this.fates.at(id, before)?.action !== 'dropped';
  }

  /** True for a temporary table (its session's own), or an index, constraint or trigger of one. */
  isTemporary(id: ObjectId): boolean {
    const o = this.object(id);
    const table = o.table !== null ? this.object(o.table) : o;
    return table.detail.kind === 'table' && table.detail.temporary;
  }

  /** A partition's partitioned table as of `before`. */
  parentOf(id: ObjectId, before = Infinity): ObjectId | null {
    return this.parents.at(id, before) ?? null;
  }

  /** A partitioned table's partitions as of `before`, theirs too. */
  partitionsOf(table: ObjectId, before = Infinity): ObjectId[] {
    const found: ObjectId[] = [];
    for (let i = -1, at = table; i < found.length; at = found[++i]!) {
      for (const d of this.dependentsOf(at, before)) {
        if (this.object(d).kind === 'table' && this.parentOf(d, before) === at && this.exists(d, before) && !found.includes(d)) found.push(d);
      }
      if (i + 1 >= found.length) break;
    }
    return found;
  }

  /** The columns an index or constraint uses, by identity (null for a name that stood for none). */
  columnsUsed(id: ObjectId): (ObjectId | null)[] {
    const o = this.object(id);
    if ((o.detail.kind !== 'index' && o.detail.kind !== 'constraint') || o.table === null) return [];
    const created = (o.origin?.order ?? 0) + 1;
    return o.detail.uses.map((name) => this.resolve('column', null, name, created, o.table));
  }

  /** True when the index or constraint uses the column. */
  usesColumn(id: ObjectId, column: ObjectId): boolean {
    return this.columnsUsed(id).includes(column);
  }

  /** Everything ever made to depend on the object (indexes, constraints, partitions, …), existing or not. */
  dependentsOf(id: ObjectId, before = Infinity): ObjectId[] {
    return [...(this.dependents.timeline(id)?.valuesBefore(before) ?? [])];
  }

  /** What the files say about the column as of `before` (undefined: nothing). */
  columnFacts(column: ObjectId, before: number): ColumnFacts | undefined {
    const changed = this.columns.timeline(column)?.at(before);
    if (changed) return changed;
    const detail = this.object(column).detail;
    return detail.kind === 'column' ? detail.declared ?? undefined : undefined;
  }

  /** False while a constraint added NOT VALID is not validated. */
  isValidated(constraint: ObjectId, before = Infinity): boolean {
    return this.validated.at(constraint, before) ?? true;
  }

  /** The declaration verification checks the object by (its latest), when the reader gave them. */
  declarationOf(id: ObjectId, before = Infinity): Declared | undefined {
    return this.declarations.at(id, before);
  }

  /** The identity a declaration declares (when the reader gave the declarations). */
  identityOf(declaration: Declaration): ObjectId | null {
    return this.declared.get(declaration) ?? null;
  }

  /** An index-backed constraint's index, or an index's constraint, as of `before`. */
  partnerOf(id: ObjectId, before = Infinity): ObjectId | null {
    return this.partners.at(id, before) ?? null;
  }

  /** The function's input argument types as declared last before `before`: the identity of each that is a table's row type or a type of the files. */
  argumentTypesOf(fn: ObjectId, before = Infinity): readonly (ObjectId | null)[] {
    return this.argumentTypes.at(fn, before) ?? [];
  }

  volatilityOf(fn: ObjectId, before: number): string | undefined {
    return this.volatility.at(fn, before);
  }

  /** The first statement after `after` and before `before` that ran SQL the files do not show. */
  codeRunBetween(after: number, before: number): ParsedStatement | null {
    return this.codeRunsBetween(after, before)[0] ?? null;
  }

  /** Every statement between the two orders that runs SQL the files do not show, in order. */
  codeRunsBetween(after: number, before: number): ParsedStatement[] {
    return [...this.codeRuns.timeline('')?.valuesBefore(before) ?? []].filter((run) => run.order > after).map((run) => run.by);
  }

  // ---- Changing (recordStatement.ts) --------------------------------------------------------------

  /** Creates an object under a name (binding it); `table` for what hangs on a table. */
  create(kind: ObjectKind, schema: string | null, name: string, table: ObjectId | null, detail: ObjectDetail, origin: Origin | null, at: number): ObjectId {
    const id = this.nextId++;
    this.objects.push({ id, kind, name, schema: namedPerTable(kind) ? null : schema, table, origin, detail });
    this.bind(kind, schema, name, table, id, at);
    if (table !== null) this.addDependent(table, id, at);
    return id;
  }

  /** The identity a name stands for now, or one minted for an object that existed before the files (first named here). */
  refer(kind: ObjectKind, schema: string | null, name: string, at: number, table: ObjectId | null = null): ObjectId {
    const found = this.resolve(kind, schema, name, at + 1, table);
    if (found !== null) return found;
    // Bound from the start when the name was never bound, so that every statement sees the same object.
    const never = this.bindings.timeline(this.numbers.scope(kind, namedPerTable(kind) ? table ?? 0 : schemaKey(schema)), name)?.empty ?? true;
    const detail = DETAILS[kind]();
    return this.create(kind, schema, name, table, detail, null, never ? 0 : at);
  }

  addDependent(on: ObjectId, dependent: ObjectId, at: number): void {
    this.dependents.set(on, at, dependent);
  }

  private bind(kind: ObjectKind, schema: string | null, name: string, table: ObjectId | null, id: ObjectId | null, at: number): void {
    const scope = namedPerTable(kind) ? table ?? 0 : schemaKey(schema);
    this.bindings.set(this.numbers.scope(kind, scope), name, at, id);
    if (typeof scope === 'string' && scope !== '' && id !== null) this.schemasOfName.set(this.numbers.otherSchemas(kind), name, at, scope);
    if (kind === 'function' && id !== null) this.overloads.set(0, functionNameOf(name), at, name);
  }

  /** Frees the object's current name, when it still stands for the object. */
  private unbind(id: ObjectId, at: number): void {
    const o = this.object(id);
    const name = this.nameOf(id, at + 1);
    const scope = namedPerTable(o.kind) ? o.table ?? 0 : schemaKey(o.schema);
    const number = this.numbers.scope(o.kind, scope);
    if (this.bindings.at(number, name, at + 1) === id) this.bindings.set(number, name, at, null);
  }

  /** Renames the object (its index-backed constraint's index, or index's constraint, with it). */
  rename(id: ObjectId, to: string, at: ChangeAt, how = '', explicit = true): void {
    const o = this.object(id);
    this.unbind(id, at.order);
    this.names.set(id, at.order, to);
    this.bind(o.kind, o.schema, to, o.table, id, at.order);
    this.fates.set(id, at.order, { action: 'renamed', order: at.order, by: at.by, how, explicit, conditional: at.conditions.length > 0 });
    const partner = this.partnerOf(id, at.order + 1);
    if (explicit && partner !== null && this.exists(partner, at.order + 1) && this.nameOf(partner, at.order + 1) !== to) {
      this.rename(partner, to, at, `with its ${o.kind}`, false);
    }
  }

  /** Drops the object and what goes with it. */
  drop(id: ObjectId, at: ChangeAt, ending: Ending): void {
    if (!this.exists(id, at.order + 1)) return;
    const o = this.object(id);
    const name = this.nameOf(id, at.order + 1);
    this.unbind(id, at.order);
    this.fates.set(id, at.order, { action: 'dropped', order: at.order, by: at.by, how: ending.how, explicit: ending.explicit, conditional: at.conditions.length > 0 });
    // What hangs on it goes "with" it, before its columns take what uses them "with" them; a
    // column takes its table's indexes and constraints that use it.
    const dependents = o.kind === 'column' ? this.dependentsOf(o.table ?? 0, at.order + 1).filter((d) => this.usesColumn(d, id))
      : this.dependentsOf(id, at.order + 1);
    const ordered = [...dependents.filter((d) => this.object(d).kind !== 'column'), ...dependents.filter((d) => this.object(d).kind === 'column')];
    for (const dependent of ordered) {
      if (!this.exists(dependent, at.order + 1)) continue;
      const d = this.object(dependent);
      const how = this.cascadeReason(o, name, ending, d, at.order + 1);
      if (how === null) continue;
      const partitionOf = d.kind === 'table' && d.table === null && o.kind === 'table' ? name : undefined;
      this.drop(dependent, at, { how, explicit: false, cascade: ending.cascade, ...(partitionOf !== undefined && how.startsWith('with its partitioned') ? { partitionOf } : {}) });
    }
  }

  /** Why a dependent goes when `o` is dropped, or null when it stays (or the drop fails without CASCADE). */
  private cascadeReason(o: SchemaObject, name: string, ending: Ending, d: SchemaObject, now: number): string | null {
    if (d.table === o.id) {
      if (d.kind === 'column') return '';
      return `with its ${o.kind === 'view' ? 'view' : 'table'} ${name}${ending.partitionOf !== undefined ? `, a partition of ${ending.partitionOf}` : ''}`;
    }
    if (o.kind === 'column' && this.usesColumn(d.id, o.id)) return `with column ${name}`;
    if (o.kind === 'constraint' && this.partnerOf(o.id, now) === d.id) return `with constraint ${name}`;
    if (d.kind === 'table' && this.parentOf(d.id, now) === o.id) return `with its partitioned table ${name}`;
    if (!ending.cascade) return null;
    if (d.detail.kind === 'view' && d.detail.reads.includes(o.id)) return `with the view ${this.nameOf(d.id, now)}`;
    if (d.detail.kind === 'constraint' && d.detail.references === o.id) return `by DROP … CASCADE of ${name}`;
    if (d.detail.kind === 'trigger' && d.detail.calls === o.id) return `by DROP FUNCTION ${functionNameOf(name)} CASCADE`;
    if (d.kind === 'function' && this.argumentTypesOf(d.id, now).includes(o.id)) return `its argument's type goes with ${name}, by DROP … CASCADE`;
    return null;
  }

  setParent(partition: ObjectId, parent: ObjectId | null, at: number): void {
    this.parents.set(partition, at, parent);
    if (parent !== null) this.addDependent(parent, partition, at);
  }

  setColumn(column: ObjectId, at: number, facts: ColumnFacts): void {
    this.columns.set(column, at, facts);
  }

  setValidated(constraint: ObjectId, at: number, validated: boolean): void {
    this.validated.set(constraint, at, validated);
  }

  declare(id: ObjectId, declared: Declared): void {
    this.declarations.set(id, declared.order, declared);
    this.declared.set(declared.declaration, id);
    this.declaredOrders.set(declared.declaration, declared.order);
  }

  /** Makes the index the constraint's (created with it, or given to it by ADD CONSTRAINT … USING INDEX). */
  pair(constraint: ObjectId, index: ObjectId, at: number): void {
    this.partners.set(constraint, at, index);
    this.partners.set(index, at, constraint);
    this.addDependent(constraint, index, at);
  }

  /** What the function's arguments are of (a table's row type, a type): it depends on each, and a DROP … CASCADE of one takes it. */
  setArgumentTypes(fn: ObjectId, at: number, types: readonly (ObjectId | null)[]): void {
    this.argumentTypes.set(fn, at, types);
    for (const type of types) if (type !== null) this.addDependent(type, fn, at);
  }

  setVolatility(fn: ObjectId, at: number, volatility: string): void {
    this.volatility.set(fn, at, volatility);
  }

  /** A statement ran SQL the files do not show. */
  ranCode(by: ParsedStatement, at: number): void {
    this.codeRuns.set('', at, { by, order: at });
  }

  // ---- Savepoints ---------------------------------------------------------------------------------

  savepoint(name: string, at: number): void {
    this.savepoints.push({ name, order: at, nextId: this.nextId });
  }

  release(name: string): void {
    const found = this.savepoints.map((s) => s.name).lastIndexOf(name);
    if (found >= 0) this.savepoints.splice(found);
    if (this.savepoints.length === 0) this.changes.length = 0;
  }

  /** ROLLBACK TO SAVEPOINT: every change since returns to what it was; what was created since is dropped by it. */
  rollbackTo(name: string, at: ChangeAt): void {
    const found = this.savepoints.map((s) => s.name).lastIndexOf(name);
    if (found < 0) return;
    const mark = this.savepoints[found]!;
    this.savepoints.splice(found + 1);
    const undone = new Map<Revertible, Set<unknown>>();
    for (const change of this.changes) {
      if (change.order <= mark.order) continue;
      let keys = undone.get(change.store);
      if (!keys) undone.set(change.store, (keys = new Set()));
      keys.add(change.key);
    }
    const created = [...this.allObjects()].filter((o) => o.id >= mark.nextId && this.exists(o.id, at.order + 1));
    for (const [store, keys] of undone) {
      for (const key of keys) {
        // What was created since keeps its facts (its name, its declaration): it is dropped, not forgotten.
        if (typeof key === 'number' && key >= mark.nextId) continue;
        store.revert(key, at.order, mark.order + 1);
      }
    }
    for (const o of created) this.fates.set(o.id, at.order, { action: 'dropped', order: at.order, by: at.by, how: 'by ROLLBACK TO SAVEPOINT', explicit: true, conditional: at.conditions.length > 0 });
  }
}

/** The detail of an object that existed before the files: nothing is known of it. */
const DETAILS: Record<ObjectKind, () => ObjectDetail> = {
  table: () => ({ kind: 'table', partitioned: false, temporary: false }),
  view: () => ({ kind: 'view', materialized: false, reads: [] }),
  index: () => ({ kind: 'index', columns: [], uses: [], unique: false }),
  constraint: () => ({ kind: 'constraint', type: 'check', uses: [], references: null, provesNotNull: null }),
  trigger: () => ({ kind: 'trigger', calls: null }),
  function: () => ({ kind: 'function' }),
  type: () => ({ kind: 'type' }),
  extension: () => ({ kind: 'extension' }),
  column: () => ({ kind: 'column', declared: null }),
};
