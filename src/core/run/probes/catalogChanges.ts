// Measures what the statements really do to the objects the files declare, by OID. A declared
// object is looked up once after its statement ran; a statement that can drop or rename (DROP,
// RENAME, ALTER TABLE … DROP/TYPE, DO, CALL, …) reaches some of them, and those are looked up by
// OID again before anything else can touch them: what vanished or changed its name was dropped or
// renamed by that statement, since only such statements drop or rename. The catalog is asked only
// when a statement is about to touch objects an earlier one reached, or declarations not yet looked
// up, and once at the end. Verification then follows what really happened, cascades, dynamic SQL
// and names PostgreSQL chose included (verify/measurement.ts). Which objects a statement can reach
// is read from the schema model (core/schema) by identity: the tables and indexes it names as of
// when it runs (a partitioned table with its partitions), what its DO block's statements name (a
// DO block that only computes reaches nothing), and the names declarations have once their
// statement ran (a DO block may create an index and rename it).
import type { Session } from '../../db/backend';
import type { DeclaredKind } from '../../model/report';
import type { Declaration } from '../../parse/declarations';
import type { ParsedBody, ParsedStatement } from '../../parse/parseMigration';
import { parseSql } from '../../parse/pgParser';
import type { AlterTableCmd, Node } from '../../parse/pgTypes';
import { callsFunction } from '../../parse/treeNames';
import type { ObjectId } from '../../schema/objects';
import { schemaOfStatements, type StatementsSchema } from '../../schema/schemaOfFiles';
import { StatementWalker } from '../../schema/statementsRun';
import { contypeOf } from '../../sql/catalogCodes';
import { relationSql } from '../../sql/quoting';
import { functionSignature, regprocedureSql, signatureArguments } from '../../verify/catalogQuery';
import { argumentTypeNames, type StatementPlace } from '../../verify/expectations';
import type { CatalogMeasurement, MeasuredObject } from '../../verify/measurement';
import type { ProbeFactory } from './probe';

interface Tracked {
  declaration: Declaration;
  kind: DeclaredKind;
  oid: number;
  /** The table it hangs on (0 for functions). */
  relation: number;
  /** Its identity in the schema model (null when the model did not place the declaration). */
  identity: ObjectId | null;
  measured: MeasuredObject;
}

/** What a statement can drop or rename, as its text names it: objects on some relations, indexes, functions, or anything. */
type NamedReach = 'all' | {
  relations: string[];
  indexes: string[];
  functions: boolean;
  /**
   * Set when all the statement drops on its relations is these constraints (ALTER TABLE … DROP
   * CONSTRAINT without CASCADE) and the index behind each. Of the declarations not looked up yet,
   * it can then reach only those: constraints of these names, constraints PostgreSQL named itself
   * (their real names are not known yet), and indexes (one may have become a constraint's).
   */
  droppedConstraints?: string[];
};

/** What a statement can drop or rename, by identity: tables (with their partitions) and indexes, functions, or anything. */
type Reach = 'all' | { objects: Set<ObjectId>; functions: boolean; droppedConstraints?: string[] };

const RELATION_TYPES = new Set(['OBJECT_TABLE', 'OBJECT_VIEW', 'OBJECT_MATVIEW', 'OBJECT_FOREIGN_TABLE']);
// ALTER TABLE commands that drop objects or rebuild them under new OIDs (a type change rebuilds indexes).
const ALTERS_OBJECTS = new Set(['AT_DropColumn', 'AT_DropConstraint', 'AT_AlterColumnType', 'AT_DetachPartition', 'AT_DetachPartitionFinalize', 'AT_AttachPartition']);

/** True when the ALTER TABLE command drops, rebuilds or renames objects (ADD CONSTRAINT … USING INDEX gives the index the constraint's name). */
function altersObjects(command: AlterTableCmd): boolean {
  if (ALTERS_OBJECTS.has(command.subtype ?? '')) return true;
  return command.subtype === 'AT_AddConstraint' && command.def !== undefined && 'Constraint' in command.def && Boolean(command.def.Constraint.indexname);
}

// Objects whose DROP (without CASCADE) removes nothing else the files declare. Not an extension:
// its member functions go with it.
const DROPS_ONLY_ITSELF = new Set(['OBJECT_TYPE', 'OBJECT_DOMAIN', 'OBJECT_SEQUENCE', 'OBJECT_POLICY', 'OBJECT_RULE', 'OBJECT_PUBLICATION', 'OBJECT_STATISTIC_EXT', 'OBJECT_SCHEMA']);
// Statements whose reach cannot be read from their text: they run code. (A DO block's is its statements'.)
const RUNS_CODE = new Set(['CallStmt', 'ExecuteStmt', 'DropOwnedStmt', 'AlterExtensionStmt', 'AlterExtensionContentsStmt', 'ReindexStmt', 'AlterObjectSchemaStmt']);

function tableOf(range: { relname?: string; schemaname?: string } | undefined): string {
  return range?.relname ? (range.schemaname ? `${range.schemaname}.${range.relname}` : range.relname) : '';
}

function namesOf(objects: Node[] | undefined): string[][] {
  return (objects ?? []).map((o) => ('List' in o ? o.List.items ?? [] : []).map((n) => ('String' in n ? n.String.sval ?? '' : '')));
}

/** True when an expression of a PL/pgSQL body (a PERFORM, an assignment, a condition) calls a function, or cannot be read. */
function expressionCallsFunction(text: string): boolean {
  if (!text.includes('(')) return false;
  // An assignment's expression follows its target.
  const assigned = /^[^'"(]*?(:=|=)/.exec(text);
  const expression = assigned ? text.slice(assigned[0].length) : text;
  try {
    return callsFunction(parseSql(/^\s*(select|with)\b/i.test(expression) ? expression : `SELECT ${expression}`));
  } catch {
    return true;
  }
}

/** True when what a DO block's body does is its statements' doing: it runs no SQL built at run time and calls no function. */
function bodyReadable(body: ParsedBody | null): boolean {
  return body !== null && body.readable && body.dynamic.length === 0 && body.unread === 0 && !body.expressions.some(expressionCallsFunction);
}

/** What one statement can drop or rename, as written, or null when it can do neither. */
function namedReach(node: Node): NamedReach | null {
  const type = Object.keys(node)[0] ?? '';
  if (RUNS_CODE.has(type)) return 'all';
  // ROLLBACK TO SAVEPOINT undoes whatever ran since the savepoint.
  if ('TransactionStmt' in node && node.TransactionStmt.kind === 'TRANS_STMT_ROLLBACK_TO') return 'all';
  if ('SelectStmt' in node) return callsFunction(node) ? 'all' : null;
  if ('AlterTableStmt' in node) {
    const commands = (node.AlterTableStmt.cmds ?? []).flatMap((c) => ('AlterTableCmd' in c ? [c.AlterTableCmd] : []));
    if (!commands.some(altersObjects)) return null;
    if (commands.some((c) => c.behavior === 'DROP_CASCADE')) return 'all';
    const reach = { relations: [tableOf(node.AlterTableStmt.relation)], indexes: [], functions: false };
    const dropsOnlyConstraints = commands.every((c) => c.subtype === 'AT_DropConstraint' || !altersObjects(c));
    const names = commands.filter((c) => c.subtype === 'AT_DropConstraint').map((c) => c.name ?? '');
    return dropsOnlyConstraints && names.every((n) => n !== '') ? { ...reach, droppedConstraints: names } : reach;
  }
  if ('DropStmt' in node) {
    const drop = node.DropStmt;
    if (drop.behavior === 'DROP_CASCADE') return 'all';
    const objects = namesOf(drop.objects);
    if (RELATION_TYPES.has(drop.removeType ?? '')) return { relations: objects.map((o) => o.join('.')), indexes: [], functions: false };
    if (drop.removeType === 'OBJECT_INDEX') return { relations: [], indexes: objects.map((o) => o.join('.')), functions: false };
    if (drop.removeType === 'OBJECT_TRIGGER') return { relations: objects.map((o) => o.slice(0, -1).join('.')), indexes: [], functions: false };
    if (drop.removeType === 'OBJECT_FUNCTION' || drop.removeType === 'OBJECT_PROCEDURE') return { relations: [], indexes: [], functions: true };
    // Without CASCADE these drop only themselves: an index, constraint, trigger or function that
    // depends on one (a column of the type, a default on the sequence) makes the DROP fail.
    if (DROPS_ONLY_ITSELF.has(drop.removeType ?? '')) return null;
    return 'all';
  }
  if ('DoStmt' in node) return 'all';
  if ('RenameStmt' in node) {
    const rename = node.RenameStmt;
    if (rename.renameType === 'OBJECT_INDEX') return { relations: [], indexes: [tableOf(rename.relation)], functions: false };
    // A type's new name is the new name of functions' argument types: they are looked up by it.
    if (rename.renameType === 'OBJECT_FUNCTION' || rename.renameType === 'OBJECT_PROCEDURE' || rename.renameType === 'OBJECT_TYPE' || rename.renameType === 'OBJECT_DOMAIN') {
      return { relations: [], indexes: [], functions: true };
    }
    // A column's new name changes no index's, constraint's or trigger's name or OID. (A dropped
    // constraint is not narrowed to its name the same way: a name the run has not looked up since
    // an earlier rename, ADD CONSTRAINT … USING INDEX say, would not be recognised.)
    if (rename.renameType === 'OBJECT_COLUMN') return null;
    return rename.relation ? { relations: [tableOf(rename.relation)], indexes: [], functions: false } : null;
  }
  return null;
}

/** The tables (with their partitions) and indexes a statement names, resolved as of when it runs. */
function resolveReach(named: NamedReach | null, schema: StatementsSchema, order: number): Reach | null {
  if (named === null || named === 'all') return named;
  const { model } = schema;
  const objects = new Set<ObjectId>();
  const split = (spelled: string) => {
    const dot = spelled.lastIndexOf('.');
    return dot < 0 ? { schema: null, name: spelled } : { schema: spelled.slice(0, dot), name: spelled.slice(dot + 1) };
  };
  for (const relation of named.relations) {
    const { schema: s, name } = split(relation);
    const id = model.resolve('table', s, name, order);
    if (id === null) continue;
    objects.add(id);
    for (const partition of model.partitionsOf(id, order)) objects.add(partition);
  }
  for (const index of named.indexes) {
    const { schema: s, name } = split(index);
    const id = model.resolve('index', s, name, order);
    if (id !== null) objects.add(id);
  }
  return { objects, functions: named.functions, ...(named.droppedConstraints ? { droppedConstraints: named.droppedConstraints } : {}) };
}

function mergeReach(a: Reach | null, b: Reach | null): Reach | null {
  if (a === null) return b;
  if (b === null) return a;
  if (a === 'all' || b === 'all') return 'all';
  const droppedConstraints = a.droppedConstraints && b.droppedConstraints ? [...a.droppedConstraints, ...b.droppedConstraints] : undefined;
  return { objects: new Set([...a.objects, ...b.objects]), functions: a.functions || b.functions, ...(droppedConstraints ? { droppedConstraints } : {}) };
}

/** What the statement can drop or rename, or null when it can do neither: a DO block's reach is its statements'. */
export function reachOf(statement: ParsedStatement, schema: StatementsSchema): Reach | null {
  // Without a parse tree, or outside what the model read, nothing can be ruled out.
  const orders = schema.orders.get(statement);
  if (statement.opaque || !orders) return 'all';
  if (!('DoStmt' in statement.node)) return resolveReach(namedReach(statement.node), schema, orders.first);
  const body = statement.body;
  if (!body || !bodyReadable(body)) return 'all';
  let reach: Reach | null = null;
  body.statements.forEach((inner, i) => {
    reach = mergeReach(reach, resolveReach(namedReach(inner.node), schema, orders.first + 1 + i));
  });
  return reach;
}

// One round trip: which tracked objects still exist under their OIDs, with their names now (set
// lookups: one index scan per catalog), and the new declarations by name.
const TRACK_QUERY = `
WITH input AS (SELECT $1::jsonb AS j),
res AS (SELECT * FROM jsonb_to_recordset((SELECT j->'resolve' FROM input)) AS x(i int, kind text, name text, rel text, signature text, args jsonb, nsp text, contype text)),
ids AS (SELECT kind, array_agg(value::oid) AS oids FROM input, jsonb_each(j->'check') AS k(kind, list), jsonb_array_elements_text(list) GROUP BY kind)
SELECT json_build_object(
  'present', (SELECT coalesce(json_agg(json_build_array(oid, name)), '[]') FROM (
      SELECT oid, relname::text AS name FROM pg_class WHERE oid = ANY ((SELECT oids FROM ids WHERE kind = 'index')::oid[])
      UNION ALL SELECT oid, conname::text FROM pg_constraint WHERE oid = ANY ((SELECT oids FROM ids WHERE kind = 'constraint')::oid[])
      UNION ALL SELECT oid, tgname::text FROM pg_trigger WHERE oid = ANY ((SELECT oids FROM ids WHERE kind = 'trigger')::oid[])
      UNION ALL SELECT oid, proname::text FROM pg_proc WHERE oid = ANY ((SELECT oids FROM ids WHERE kind = 'function')::oid[])) found),
  'resolve', (SELECT coalesce(json_agg(json_build_object('i', res.i, 'oid', f.oid, 'relation', f.relation, 'name', f.name)), '[]') FROM res
    JOIN LATERAL (
      SELECT c.oid, i.indrelid AS relation, c.relname::text AS name FROM pg_class c JOIN pg_index i ON i.indexrelid = c.oid WHERE res.kind = 'index' AND c.oid = to_regclass(res.rel)
      UNION ALL SELECT oid, conrelid, conname::text FROM pg_constraint WHERE res.kind = 'constraint' AND conrelid = to_regclass(res.rel) AND (conname = res.name OR contype = res.contype)
      UNION ALL SELECT oid, tgrelid, tgname::text FROM pg_trigger WHERE res.kind = 'trigger' AND tgrelid = to_regclass(res.rel) AND tgname = res.name AND NOT tgisinternal
      UNION ALL SELECT oid, 0::oid, proname::text FROM pg_proc WHERE res.kind = 'function' AND res.signature IS NOT NULL AND oid = ${regprocedureSql('res.signature', 'res.args')}
      UNION ALL (SELECT p.oid, 0::oid, p.proname::text FROM pg_proc p WHERE res.kind = 'function' AND res.signature IS NULL AND p.proname = res.name
                 AND (res.nsp IS NULL AND pg_function_is_visible(p.oid) OR p.pronamespace::regnamespace::text = res.nsp) ORDER BY p.oid DESC LIMIT 1)
    ) f ON true)
) AS answer`;

// Objects gone under their OIDs, looked up by name on their table: rebuilt in place (a column type
// change rebuilds its indexes, REINDEX CONCURRENTLY swaps them) they are still the same object.
const REBUILT_QUERY = `
SELECT coalesce(json_agg(json_build_object('i', v.i, 'oid', found.oid)), '[]') AS answer
FROM jsonb_to_recordset($1::jsonb) AS v(i int, kind text, name text, relation oid)
JOIN LATERAL (
  SELECT i.indexrelid AS oid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE v.kind = 'index' AND i.indrelid = v.relation AND c.relname = v.name
  UNION ALL SELECT oid FROM pg_constraint WHERE v.kind = 'constraint' AND conrelid = v.relation AND conname = v.name
  UNION ALL SELECT oid FROM pg_trigger WHERE v.kind = 'trigger' AND tgrelid = v.relation AND tgname = v.name
  LIMIT 1) found ON true`;

interface TrackAnswer {
  present: [number, string][];
  resolve: { i: number; oid: number; relation: number; name: string }[];
}

/** A declaration to look up once its statement ran, under the names the model gives it and its table then. */
interface Pending {
  declaration: Declaration;
  at: StatementPlace;
  identity: ObjectId | null;
  name: string;
  table: string;
  /** A function's argument types under their names once its statement ran (functionSignature's `types`). */
  argumentTypes: (string | null)[];
}

function lookupOf(p: Pending, i: number): Record<string, unknown> {
  const d = p.declaration;
  switch (d.kind) {
    case 'index': return { i, kind: 'index', rel: relationSql(d.schema, p.name) };
    case 'constraint': return { i, kind: 'constraint', name: p.name, rel: relationSql(d.schema, p.table), contype: d.autoNamed ? contypeOf(d.type) : null };
    case 'trigger': return { i, kind: 'trigger', name: p.name, rel: relationSql(d.schema, p.table) };
    case 'function': return { i, kind: 'function', name: p.name, nsp: d.schema, signature: functionSignature(d, p.argumentTypes, p.name), args: signatureArguments(d, p.argumentTypes) };
  }
}

/** True when the statement's own effects drop this object by name (then a same-named successor is another object). */
function dropsByName(statement: ParsedStatement, t: Tracked): boolean {
  return statement.effects.some((e) => (e.action === 'drop' && e.kind === t.kind && e.name === t.measured.name) || e.action === 'drop-table' || e.action === 'drop-column');
}

const NOTHING_REACHED: ReadonlySet<Tracked> = new Set();

/** A statement that reached tracked objects and ran, not yet checked. */
interface Unchecked {
  statement: ParsedStatement;
  place: StatementPlace;
  reached: ReadonlySet<Tracked>;
}

class CatalogTracker {
  private readonly tracked: Tracked[] = [];
  private pending: Pending[] = [];
  private unchecked: Unchecked[] = [];
  /** Statements that must have the catalog asked before they run (decided when they were planned), with what they can reach. */
  private readonly measureFirst = new Map<ParsedStatement, Reach>();
  /** The run's statements in the schema model: what each names, by identity, as of when it runs. */
  private schemaRead: StatementsSchema | null = null;
  /** One walk per file, in step with the statements planned: the declarations each runs (a called function's too). */
  private readonly walkers = new Map<string, StatementWalker>();

  constructor(private readonly session: Session, private readonly measurement: CatalogMeasurement, private readonly statements: readonly ParsedStatement[]) {}

  private get schema(): StatementsSchema {
    return (this.schemaRead ??= schemaOfStatements(this.statements, { declarations: true }));
  }

  /**
   * Called for each statement in order before it runs (StatementProbe.quietFor). True when the
   * catalog need not be asked before it: then its bookkeeping is done now, as if it had run, so
   * that a statement planned after it sees what it declares and reaches, which is what it will
   * see when both have run (after a failure nothing more is measured). 'before' when the catalog
   * must be asked first: the bookkeeping then waits for the answer, in `before`.
   */
  plan(statement: ParsedStatement): true | 'before' {
    const reach = reachOf(statement, this.schema);
    if (reach === null) {
      this.account(statement, NOTHING_REACHED);
      return true;
    }
    const reached = this.reachedTracked(reach);
    if (this.mustMeasureFirst(reach, reached)) {
      this.measureFirst.set(statement, reach);
      return 'before';
    }
    this.account(statement, reached);
    return true;
  }

  /** Just before a statement runs: the catalog, when the plan said so, then its bookkeeping. */
  async before(statement: ParsedStatement): Promise<void> {
    const reach = this.measureFirst.get(statement);
    if (reach === undefined) return;
    this.measureFirst.delete(statement);
    await this.measure();
    // The answer tracks the declarations it looked up: the statement may reach those too.
    this.account(statement, this.reachedTracked(reach));
  }

  /** True when objects the statement may drop or rename must be known first: an earlier statement reached them, or they were not looked up yet. */
  private mustMeasureFirst(reach: Reach, reached: ReadonlySet<Tracked>): boolean {
    // After an unchecked rename, the renamed objects' names are not known yet: a later statement
    // naming any of them by its new name would not be seen to reach it.
    return this.pending.some((p) => this.reachesPending(reach, p)) || this.unchecked.some((u) => [...reached].some((t) => u.reached.has(t)))
      || this.unchecked.some((u) => 'RenameStmt' in u.statement.node && u.reached.size > 0);
  }

  /** What the statement will have done: reached tracked objects (checked later), declared new ones (looked up later). */
  private account(statement: ParsedStatement, reached: ReadonlySet<Tracked>): void {
    const at = placeOf(statement);
    if (reached.size > 0) this.unchecked.push({ statement, place: at, reached });
    let walker = this.walkers.get(statement.file);
    if (!walker) this.walkers.set(statement.file, (walker = new StatementWalker()));
    const after = (this.schema.orders.get(statement)?.last ?? Infinity) + 1;
    const { model } = this.schema;
    for (const run of walker.runsOf(statement)) {
      for (const e of run.effects) {
        if (e.action !== 'declare' || !e.declaration.name) continue;
        const d = e.declaration;
        const identity = model.identityOf(d);
        const o = identity === null ? null : model.object(identity);
        const fate = identity === null ? undefined : model.fateOf(identity, after);
        // Created and dropped by the same statement (a DO block's work): there was never anything to look up between statements.
        if (identity !== null && !model.exists(identity, after) && fate?.action === 'dropped' && fate.order >= (this.schema.orders.get(statement)?.first ?? 0) && !fate.conditional) {
          this.measurement.set(d, { oid: null, name: model.displayName(identity, after), droppedBy: at, renamedBy: null });
          continue;
        }
        const name = identity === null ? d.name : model.displayName(identity, after);
        const table = o?.table != null ? model.nameOf(o.table, after) : 'table' in d ? d.table : '';
        const declaredAt = model.orderOfDeclaration(d);
        const argumentTypes = identity !== null && declaredAt !== null && d.kind === 'function' ? argumentTypeNames(model, identity, declaredAt + 1, after) : [];
        this.pending.push({ declaration: d, at, identity, name, table, argumentTypes });
      }
    }
  }

  private live(): Tracked[] {
    return this.tracked.filter((t) => !t.measured.droppedBy);
  }

  /** True when the reach takes in the object: its table, itself, or (an index-backed constraint) its index. */
  private reaches(reach: Reach, kind: DeclaredKind, identity: ObjectId | null): boolean {
    if (reach === 'all') return true;
    // A function is reached by a rename or drop of its argument's type (a table's row type follows the table).
    if (kind === 'function') return reach.functions || (identity !== null && this.schema.model.argumentTypesOf(identity).some((t) => t !== null && reach.objects.has(t)));
    // Not placed in the model: where it hangs is not known, so it may be reached.
    if (identity === null) return true;
    const { model } = this.schema;
    const table = model.object(identity).table;
    const partner = model.partnerOf(identity);
    return (table !== null && reach.objects.has(table)) || reach.objects.has(identity) || (partner !== null && reach.objects.has(partner));
  }

  private reachesPending(reach: Reach, p: Pending): boolean {
    const d = p.declaration;
    if (!this.reaches(reach, d.kind, p.identity)) return false;
    if (reach === 'all' || !reach.droppedConstraints) return true;
    if (d.kind === 'index') return true;
    return d.kind === 'constraint' && (d.autoNamed === true || reach.droppedConstraints.includes(p.name));
  }

  private reachedTracked(reach: Reach): Set<Tracked> {
    return new Set(this.live().filter((t) => this.reaches(reach, t.kind, t.identity)));
  }

  /** After the last statement: what the unchecked statements did, and the declarations not looked up yet. */
  async finish(): Promise<void> {
    if (this.unchecked.length > 0 || this.pending.length > 0) await this.measure();
  }

  /** Checks what the unchecked statements did to the objects they reached, and looks up the pending declarations. */
  private async measure(): Promise<void> {
    const checks = this.unchecked.flatMap((u) => [...u.reached].filter((t) => !t.measured.droppedBy).map((t) => ({ t, by: u })));
    const pending = this.pending;
    const check: Partial<Record<DeclaredKind, number[]>> = {};
    for (const { t } of checks) (check[t.kind] ??= []).push(t.oid);
    const input = { check, resolve: pending.map((p, i) => lookupOf(p, i)) };
    const answer = (await this.session.query(TRACK_QUERY, [JSON.stringify(input)], 'drydock_track')).rows[0]?.answer as TrackAnswer;
    await this.applyChecks(checks, new Map(answer.present.map(([oid, name]) => [Number(oid), name])));
    this.applyResolved(pending, answer.resolve);
    this.pending = [];
    this.unchecked = [];
  }

  private async applyChecks(checks: { t: Tracked; by: Unchecked }[], present: Map<number, string>): Promise<void> {
    // Gone under its OID but not dropped by name: perhaps rebuilt in place (a type change, REINDEX CONCURRENTLY).
    const maybeRebuilt = checks.filter(({ t, by }) => !present.has(t.oid) && t.kind !== 'function' && !dropsByName(by.statement, t));
    const rebuilt = new Set<Tracked>();
    if (maybeRebuilt.length > 0) {
      const lookups = maybeRebuilt.map(({ t }, i) => ({ i, kind: t.kind, name: t.measured.name, relation: t.relation }));
      const rows = (await this.session.query(REBUILT_QUERY, [JSON.stringify(lookups)], 'drydock_rebuilt')).rows[0]?.answer as { i: number; oid: number }[];
      for (const row of rows) {
        const { t } = maybeRebuilt[row.i]!;
        t.oid = Number(row.oid);
        t.measured.oid = t.oid;
        rebuilt.add(t);
      }
    }
    for (const { t, by } of checks) {
      if (rebuilt.has(t)) continue;
      const name = present.get(t.oid);
      if (name === undefined) t.measured.droppedBy = by.place;
      else if (name !== t.measured.name) {
        t.measured.name = name;
        t.measured.renamedBy = by.place;
      }
    }
  }

  private applyResolved(pending: Pending[], rows: TrackAnswer['resolve']): void {
    const candidatesOf = new Map<number, TrackAnswer['resolve']>();
    for (const row of rows) {
      const list = candidatesOf.get(row.i);
      if (list) list.push(row);
      else candidatesOf.set(row.i, [row]);
    }
    // The live tracked objects by kind and OID, kept up to date as this batch adds to them
    // (a batch resolves hundreds of declarations against hundreds of tracked objects).
    const liveByKind = new Map<DeclaredKind, Map<number, Tracked>>();
    const liveOf = (kind: DeclaredKind): Map<number, Tracked> => {
      let byOid = liveByKind.get(kind);
      if (!byOid) liveByKind.set(kind, (byOid = new Map()));
      return byOid;
    };
    for (const t of this.live()) {
      const byOid = liveOf(t.kind);
      if (!byOid.has(t.oid)) byOid.set(t.oid, t);
    }
    pending.forEach((p, i) => {
      const d = p.declaration;
      const candidates = candidatesOf.get(i) ?? [];
      const taken = liveOf(d.kind);
      // A constraint PostgreSQL named itself: the predicted name, else the newest constraint of its type that nothing tracks yet.
      const found = candidates.find((r) => r.name === p.name)
        ?? (d.kind === 'constraint' && d.autoNamed ? candidates.filter((r) => !taken.has(Number(r.oid))).sort((a, b) => Number(b.oid) - Number(a.oid))[0] : undefined);
      // Renamed by its own statement (a DO block that creates an index, then renames it): by that statement.
      const renamedBy = found && found.name !== d.name ? p.at : null;
      const measured: MeasuredObject = { oid: found ? Number(found.oid) : null, name: found?.name ?? d.name, droppedBy: null, renamedBy };
      this.measurement.set(d, measured);
      if (!found) return;
      // A second declaration of the same object (CREATE OR REPLACE, IF NOT EXISTS) takes over its tracking.
      const oid = Number(found.oid);
      const previous = taken.get(oid);
      if (previous) this.tracked.splice(this.tracked.indexOf(previous), 1);
      const tracked: Tracked = { declaration: d, kind: d.kind, oid, relation: Number(found.relation), identity: p.identity, measured };
      this.tracked.push(tracked);
      taken.set(oid, tracked);
    });
  }
}

function placeOf(statement: ParsedStatement): StatementPlace {
  return { file: statement.file, statementIndex: statement.index, line: statement.range.start.line };
}

export const catalogChangesProbe: ProbeFactory = ({ session, measurement, statements }) => {
  const tracker = new CatalogTracker(session, measurement, statements);
  return {
    name: 'catalog-changes',
    quietFor: (statement) => tracker.plan(statement),
    before: ({ statement }) => tracker.before(statement),
    finish: async () => {
      await tracker.finish();
      measurement.complete = true;
    },
  };
};
