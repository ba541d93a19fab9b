// What the files leave each declared object in: replays the statements' effects in file order —
// declarations, validations, drops and renames of the objects themselves and of what they hang on
// (their table, a column, a function, a schema) — so verification compares the catalog with the end
// state, and knows what a later statement dropped or renamed (and which one), instead of calling
// it missing.
import type { DeclaredKind } from '../model/report';
import type { Declaration } from '../parse/declarations';
import type { ParsedFile, ParsedStatement } from '../parse/parseMigration';
import type { SchemaEffect } from '../parse/schemaEffects';
import { objectName } from '../parse/autoNames';
import { columnsReferenced } from './declaredShape';

/** Where a statement is, for "dropped by file:line". */
export interface StatementPlace {
  file: string;
  statementIndex: number;
  line: number;
}

/** What a later statement did to a declared object. */
export interface Fate {
  action: 'dropped' | 'renamed';
  by: StatementPlace;
  /** How, in words: "with its table orders", "by DROP FUNCTION … CASCADE". */
  how: string;
  /** True when the drop names the object itself (DROP INDEX x), not what it hangs on. */
  explicit: boolean;
}

/** The state the files leave an object in, with where it was declared. */
export interface Expectation {
  kind: DeclaredKind;
  /** The name as declared. */
  name: string;
  /** The name it has after the files' renames. */
  currentName: string;
  /** Its table after the files' renames (null for functions). */
  table: string | null;
  schema: string | null;
  present: boolean;
  /** Dropped inside a DO block: whether it really went depends on a condition. */
  guardedDrop: boolean;
  /** null for an object the files only drop. */
  declaration: Declaration | null;
  validated: boolean;
  file: string;
  statementIndex: number;
  /** Columns of its table renamed after the declaration: declared name → name at the end. */
  columnRenames: Map<string, string>;
  /** The last thing a later statement did to it (a drop, or a rename). */
  fate: Fate | null;
  /** Dropped, then declared again under the same name: the catalog's object with that name is the later one's. */
  redeclared: boolean;
  /** A trigger's function under its current name (a later ALTER FUNCTION … RENAME TO renames it). */
  calls: string | null;
  /** A later statement ran code whose effects the files do not show (dynamic SQL in a DO block, CALL). */
  codeRanAfter: StatementPlace | null;
}

/** The key under which an object can be found: indexes and functions by name, the rest by table and name. */
export function keyOf(kind: DeclaredKind, name: string, table: string | null): string {
  return kind === 'index' || kind === 'function' ? `${kind}:${name}` : `${kind}:${table ?? ''}:${name}`;
}

function lastPart(name: string): string {
  return name.slice(name.lastIndexOf('.') + 1);
}

/** Two relation names as the files write them: equal, or equal once an unqualified one meets a qualified one. */
export function sameRelation(a: string | null, b: string | null): boolean {
  if (a === null || b === null) return a === b;
  if (a === b) return true;
  return (!a.includes('.') || !b.includes('.')) && lastPart(a) === lastPart(b);
}

/** The replay's state at a savepoint. */
interface ReplayMark {
  all: Expectation[];
  tables: Set<string>;
  dependsOn: Map<string, string[]>;
}

// Constraints that own an index of the same name: renaming or dropping one does the same to the other.
const INDEX_BACKED = new Set(['unique', 'primary-key', 'exclusion']);

class SchemaReplay {
  readonly all: Expectation[] = [];
  readonly tables = new Set<string>();
  /** relation → the relations it reads (views and materialized views). */
  private readonly dependsOn = new Map<string, string[]>();

  private live(): Expectation[] {
    return this.all.filter((e) => e.present);
  }

  /** The state at a SAVEPOINT, to return to at ROLLBACK TO SAVEPOINT (declarations kept by identity). */
  mark(): ReplayMark {
    return {
      all: this.all.map((e) => ({ ...e, columnRenames: new Map(e.columnRenames), fate: e.fate ? { ...e.fate } : null })),
      tables: new Set(this.tables),
      dependsOn: new Map(this.dependsOn),
    };
  }

  /**
   * ROLLBACK TO SAVEPOINT: back to the state at the savepoint; what was declared since is dropped
   * by this statement (a run measures the same: the objects vanish when it runs).
   */
  restore(mark: ReplayMark, at: StatementPlace): void {
    const undone = this.all.filter((e) => e.present && e.declaration !== null && !mark.all.some((m) => m.declaration === e.declaration));
    this.all.splice(0, this.all.length, ...mark.all.map((e) => ({ ...e, columnRenames: new Map(e.columnRenames), fate: e.fate ? { ...e.fate } : null })));
    this.tables.clear();
    for (const t of mark.tables) this.tables.add(t);
    this.dependsOn.clear();
    for (const [k, v] of mark.dependsOn) this.dependsOn.set(k, v);
    for (const e of undone) {
      this.drop(e, at, 'by ROLLBACK TO SAVEPOINT', true, false);
      this.all.push(e);
    }
  }

  private find(kind: DeclaredKind, name: string, table: string | null): Expectation | undefined {
    return this.live().find((e) => e.kind === kind && e.currentName === name && (table === null || e.table === null || sameRelation(e.table, table)));
  }

  private drop(e: Expectation, by: StatementPlace, how: string, explicit: boolean, guarded: boolean): void {
    e.present = false;
    e.guardedDrop = guarded;
    e.fate = { action: 'dropped', by, how, explicit };
  }

  apply(effect: SchemaEffect, at: StatementPlace): void {
    switch (effect.action) {
      case 'declare': return this.declare(effect.declaration, at);
      case 'validate': {
        const found = this.find('constraint', effect.name, effect.table);
        if (found) found.validated = true;
        return;
      }
      case 'drop': return this.dropObject(effect, at);
      case 'rename': return this.rename(effect.kind, effect.from, effect.to, effect.table, at);
      case 'drop-table': return this.dropRelation(effect.table, effect.cascade, effect.guarded, at);
      case 'drop-column': return this.dropColumn(effect, at);
      case 'rename-table': return this.renameRelation(effect.from, effect.to);
      case 'rename-column': return this.renameColumn(effect.table, effect.from, effect.to);
      case 'drop-dependents': return this.dropDependents(effect, at);
      case 'depends':
        this.dependsOn.set(effect.relation, effect.on);
        return;
      case 'runs-code':
        for (const e of this.live()) e.codeRanAfter ??= at;
        return;
    }
  }

  private declare(d: Declaration, at: StatementPlace): void {
    const table = d.kind === 'function' ? null : d.schema ? `${d.schema}.${d.table}` : d.table;
    // A second declaration of a live object (re-runnable migrations, CREATE OR REPLACE) is the same object.
    const previous = this.live().find((e) => e.kind === d.kind && e.currentName === d.name && (table === null || sameRelation(e.table, table)));
    if (previous) this.all.splice(this.all.indexOf(previous), 1);
    // Index names are unique per schema, whatever the table (a drop of one names no table, and
    // harbor drops idx_status on img_scan_job, then declares an idx_status on blob): the catalog's
    // index of that name is the later declaration's. Other objects are named per table.
    const sameSchema = (e: Expectation) => e.schema === null || d.schema === null || e.schema === d.schema;
    const sameName = (e: Expectation) => !e.present && e.kind === d.kind && e.currentName === d.name
      && (d.kind === 'index' ? sameSchema(e) : table === null || e.table === null || sameRelation(e.table, table));
    // An object the files dropped without declaring it, declared again: the new declaration speaks for the name.
    const dropped = this.all.findIndex((e) => e.declaration === null && sameName(e));
    if (dropped >= 0) this.all.splice(dropped, 1);
    for (const e of this.all) if (sameName(e)) e.redeclared = true;
    this.all.push({
      kind: d.kind, name: d.name, currentName: d.name, table, schema: d.schema, present: true, guardedDrop: false, declaration: d,
      validated: d.kind !== 'constraint' || !d.notValid, file: at.file, statementIndex: at.statementIndex, columnRenames: new Map(), fate: null, redeclared: false,
      calls: d.kind === 'trigger' ? lastPart(d.function) : null, codeRanAfter: null,
    });
  }

  /**
   * An index created without a name takes one PostgreSQL chooses (<table>_<columns>_idx, a number
   * added when taken): a name the files dropped earlier may be it again (crates.io drops
   * api_tokens_token_idx, then runs CREATE UNIQUE INDEX ON api_tokens (token)). Such a drop is then
   * not checked by name: the catalog's index of that name may be the new one.
   */
  unnamedIndex(table: string, columns: readonly (string | null)[]): void {
    for (let i = this.all.length - 1; i >= 0; i--) {
      const e = this.all[i]!;
      if (e.kind === 'index' && !e.present && e.declaration === null && mayBeAutoIndexName(e.currentName, table, columns)) this.all.splice(i, 1);
    }
  }

  private dropObject(effect: Extract<SchemaEffect, { action: 'drop' }>, at: StatementPlace): void {
    const found = this.find(effect.kind, effect.name, effect.table);
    if (!found) {
      this.all.push({
        kind: effect.kind, name: effect.name, currentName: effect.name, table: effect.table, schema: null, present: false, guardedDrop: effect.guarded,
        declaration: null, validated: true, file: at.file, statementIndex: at.statementIndex, columnRenames: new Map(), fate: null, redeclared: false, calls: null, codeRanAfter: null,
      });
      return;
    }
    this.drop(found, at, '', true, effect.guarded);
    if (found.declaration?.kind === 'constraint' && INDEX_BACKED.has(found.declaration.type)) {
      const index = this.find('index', found.currentName, null);
      if (index) this.drop(index, at, `with constraint ${found.currentName}`, false, effect.guarded);
    }
  }

  private rename(kind: DeclaredKind, from: string, to: string, table: string | null, at: StatementPlace): void {
    const found = this.find(kind, from, table);
    if (found) {
      found.currentName = to;
      found.fate = { action: 'renamed', by: at, how: '', explicit: true };
    }
    // An index that backs a constraint and the constraint are renamed together.
    const partner = kind === 'index'
      ? this.live().find((e) => e.kind === 'constraint' && e.currentName === from && e.declaration?.kind === 'constraint' && INDEX_BACKED.has(e.declaration.type))
      : kind === 'constraint' && found?.declaration?.kind === 'constraint' && INDEX_BACKED.has(found.declaration.type) ? this.find('index', from, null) : undefined;
    if (partner) {
      partner.currentName = to;
      partner.fate = { action: 'renamed', by: at, how: `with its ${kind === 'index' ? 'index' : 'constraint'}`, explicit: false };
    }
    // Triggers call a function by its identity: they follow its new name.
    if (kind === 'function') for (const e of this.live()) if (e.calls === from) e.calls = to;
  }

  /** The relation and, with CASCADE, every view that reads it (transitively). */
  private withDependents(relation: string, cascade: boolean): string[] {
    const out = [relation];
    if (!cascade) return out;
    for (let i = 0; i < out.length; i++) {
      for (const [view, reads] of this.dependsOn) {
        if (!out.some((r) => sameRelation(r, view)) && reads.some((r) => sameRelation(r, out[i]!))) out.push(view);
      }
    }
    return out;
  }

  private dropRelation(relation: string, cascade: boolean, guarded: boolean, at: StatementPlace): void {
    for (const dropped of this.withDependents(relation, cascade)) {
      this.dependsOn.delete(dropped);
      for (const e of this.live()) {
        if (e.table !== null && sameRelation(e.table, dropped)) this.drop(e, at, `with ${dropped === relation ? 'its table' : 'the view'} ${dropped}`, false, guarded);
        const references = e.declaration?.kind === 'constraint' ? e.declaration.references : null;
        if (cascade && references && sameRelation(references.schema ? `${references.schema}.${references.table}` : references.table, dropped)) {
          this.drop(e, at, `by DROP … CASCADE of ${dropped}`, false, guarded);
        }
      }
    }
  }

  private dropColumn(effect: Extract<SchemaEffect, { action: 'drop-column' }>, at: StatementPlace): void {
    for (const e of this.live()) {
      if (e.table === null || !sameRelation(e.table, effect.table) || !e.declaration) continue;
      const uses = columnsReferenced(e.declaration, e.columnRenames);
      if (uses.has(effect.column)) this.drop(e, at, `with column ${effect.column}`, false, effect.guarded);
    }
    if (effect.cascade) {
      for (const view of this.withDependents(effect.table, true).slice(1)) this.dropRelation(view, true, effect.guarded, at);
    }
  }

  private renameRelation(from: string, to: string): void {
    for (const e of this.all) {
      if (e.table !== null && sameRelation(e.table, from)) e.table = to;
    }
    const reads = this.dependsOn.get(from);
    if (reads) {
      this.dependsOn.delete(from);
      this.dependsOn.set(to, reads);
    }
    for (const [view, relations] of this.dependsOn) this.dependsOn.set(view, relations.map((r) => (sameRelation(r, from) ? to : r)));
    if ([...this.tables].some((t) => sameRelation(t, from))) this.tables.add(to);
  }

  private renameColumn(table: string, from: string, to: string): void {
    for (const e of this.live()) {
      if (e.table === null || !sameRelation(e.table, table)) continue;
      let renamed = false;
      for (const [declared, current] of e.columnRenames) {
        if (current === from) {
          e.columnRenames.set(declared, to);
          renamed = true;
        }
      }
      if (!renamed && ![...e.columnRenames.keys()].includes(from)) e.columnRenames.set(from, to);
    }
  }

  private dropDependents(effect: Extract<SchemaEffect, { action: 'drop-dependents' }>, at: StatementPlace): void {
    for (const e of this.live()) {
      const hangsOn = effect.of === 'function'
        ? e.calls === effect.name
        : e.schema === effect.name || (e.table !== null && e.table.startsWith(`${effect.name}.`));
      if (hangsOn) this.drop(e, at, `by DROP ${effect.of.toUpperCase()} ${effect.name} CASCADE`, false, effect.guarded);
    }
  }
}

/**
 * True when PostgreSQL may give an unnamed index on `table` with these columns (null: an
 * expression) this name. ChooseIndexName makes <table>_<columns>_idx, shortened to 63 bytes; when
 * that is taken it tries the labels idx1, idx2, … An expression column is named by the expression
 * (a function's name, or "expr"), not worked out here: then any such name starting with the table's.
 */
function mayBeAutoIndexName(name: string, table: string, columns: readonly (string | null)[]): boolean {
  const label = /_(idx\d*)$/.exec(name)?.[1];
  if (!label) return false;
  if (columns.every((c) => c !== null)) return name === objectName(table, columns.length > 0 ? columns.join('_') : null, label);
  // The table's part is shortened only when the whole is over 63 bytes: compare what is always kept.
  return name.startsWith(table.slice(0, 20));
}

function placeOf(statement: ParsedStatement): StatementPlace {
  return { file: statement.file, statementIndex: statement.index, line: statement.range.start.line };
}

/** Replays the files' effects in order: every declared object's end state, and the tables the files touch. */
export function expectedObjects(files: readonly ParsedFile[]): { expectations: Expectation[]; tables: string[] } {
  const replay = new SchemaReplay();
  // Savepoints in the order they were set (a name set again hides the earlier one until released).
  const savepoints: { name: string; mark: ReplayMark }[] = [];
  for (const file of files) {
    for (const statement of file.statements) {
      statement.tables.forEach((t) => replay.tables.add(t));
      const at = placeOf(statement);
      const control = 'TransactionStmt' in statement.node ? statement.node.TransactionStmt : null;
      if (control?.kind === 'TRANS_STMT_SAVEPOINT') savepoints.push({ name: control.savepoint_name ?? '', mark: replay.mark() });
      const named = control ? savepoints.map((p) => p.name).lastIndexOf(control.savepoint_name ?? '') : -1;
      if (control?.kind === 'TRANS_STMT_ROLLBACK_TO' && named >= 0) {
        savepoints.splice(named + 1);
        replay.restore(savepoints[named]!.mark, at);
      }
      if (control?.kind === 'TRANS_STMT_RELEASE' && named >= 0) savepoints.splice(named);
      for (const effect of statement.effects) replay.apply(effect, at);
      const node = statement.node;
      if ('IndexStmt' in node && !node.IndexStmt.idxname && node.IndexStmt.relation?.relname) {
        const columns = (node.IndexStmt.indexParams ?? []).map((p) => ('IndexElem' in p ? p.IndexElem.name ?? null : null));
        replay.unnamedIndex(node.IndexStmt.relation.relname, columns);
      }
    }
  }
  return { expectations: replay.all.filter((e) => e.name !== ''), tables: [...replay.tables] };
}
