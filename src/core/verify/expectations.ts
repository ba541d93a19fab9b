// What the files leave each declared object in, read from the schema model (core/schema) the
// files' statements build — DO blocks' and called functions' statements at their place — which
// follows every object by identity through renames, swaps and drops (with their cascades: a
// table's indexes, a partitioned table's partitions, what CASCADE takes). Verification compares
// the catalog with that end state, and knows what a later statement dropped or renamed (and which
// one), instead of calling it missing.
import type { DeclaredKind } from '../model/report';
import type { Declaration } from '../parse/declarations';
import type { ParsedFile, ParsedStatement } from '../parse/parseMigration';
import { schemaKey, spell } from '../schema/names';
import type { ObjectId, SchemaObject } from '../schema/objects';
import { relationSql } from '../sql/quoting';
import { schemaOfFiles } from '../schema/schemaOfFiles';
import type { SchemaModel } from '../schema/schemaModel';

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
  /**
   * For a dropped object, the name a dry-run sees it go under: its name before the statement that
   * dropped it. A DO block that renames and then drops it is one statement to the measurement, so
   * the rename inside it is not seen, and the prediction says what the measurement says.
   */
  droppedAs: string | null;
  /** Its table after the files' renames (null for functions). */
  table: string | null;
  schema: string | null;
  present: boolean;
  /** Dropped in a branch of a DO block (an IF, a loop, an EXCEPTION block): whether it really went depends on a condition. */
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
  /**
   * The first of those later statements whose text names the object (a DO block that EXECUTEs a drop
   * of a name it spells in a list): when it ran, what became of the object is its doing.
   */
  codeNamingItAfter: StatementPlace | null;
  /**
   * For a constraint PostgreSQL names itself, the name it chooses when the name the files' own
   * objects hold was freed by SQL built at run time before it (`codeRanBefore`): its first choice.
   */
  freedName: string | null;
  /** For a declaration PostgreSQL names itself: a statement before it that runs SQL built at run time (it may have freed or taken the name expected). */
  codeRanBefore: StatementPlace | null;
  /** A function's: each argument's type under its name at the end (as SQL), when it is a table or type of the files; else null. */
  argumentTypes: (string | null)[];
}

/**
 * The function's argument types as declared as of `declared`, each named as of `before` (as SQL)
 * when it is a table's row type or a type of the files (null for another type): a table's row
 * type follows the table's renames.
 */
export function argumentTypeNames(model: SchemaModel, fn: ObjectId, declared: number, before: number): (string | null)[] {
  return model.argumentTypesOf(fn, declared).map((type) => (type === null ? null : relationSql(model.object(type).schema, model.nameOf(type, before))));
}

const VERIFIED = new Set<string>(['index', 'constraint', 'trigger', 'function']);

/** True when the SQL text spells the name as a word of its own (any case: dynamic SQL may quote it or not). */
function spellsName(sql: string, name: string): boolean {
  if (name === '') return false;
  const text = sql.toLowerCase();
  const wanted = name.toLowerCase();
  const word = /[A-Za-z0-9_$]/;
  for (let i = text.indexOf(wanted); i >= 0; i = text.indexOf(wanted, i + 1)) {
    if (!word.test(text[i - 1] ?? ' ') && !word.test(text[i + wanted.length] ?? ' ')) return true;
  }
  return false;
}

function placeOf(statement: ParsedStatement): StatementPlace {
  return { file: statement.file, statementIndex: statement.index, line: statement.range.start.line };
}

/** The reading of one model's objects as expectations. */
class Reading {
  constructor(private readonly model: SchemaModel) {}

  /** The name of the table an object hangs on at the end, with the schema it was written with. */
  tableName(o: SchemaObject, declaredSchema: string | null): string | null {
    if (o.table === null) return null;
    return spell(declaredSchema ?? this.model.object(o.table).schema, this.model.nameOf(o.table));
  }

  /**
   * The key the catalog finds the object by at the end (an index or function by schema and name,
   * a constraint or trigger by table and name): two objects with one key are one to the catalog.
   */
  lookupKey(o: SchemaObject, schema: string | null): string {
    // A function's by its name alone: the catalog lookup of one declared without argument types finds any of that name.
    const name = this.model.displayName(o.id);
    if (o.table === null || o.kind === 'index') return `${o.kind}\u0000${schemaKey(schema)}\u0000${name}`;
    return `${o.kind}\u0000${schemaKey(this.model.object(o.table).schema)}.${this.model.nameOf(o.table)}\u0000${name}`;
  }

  /** Columns of its table the object uses, renamed after the declaration: declared name → name at the end. */
  columnRenames(o: SchemaObject, declaredAt: number): Map<string, string> {
    const renames = new Map<string, string>();
    for (const column of this.model.columnsUsed(o.id)) {
      if (column === null) continue;
      const declared = this.model.nameOf(column, declaredAt + 1);
      const now = this.model.nameOf(column);
      if (declared !== now) renames.set(declared, now);
    }
    return renames;
  }

  /** The object's name before the top-level statement that dropped it (renames by that same statement not counted); null unless dropped. */
  droppedAs(o: SchemaObject): string | null {
    const drop = this.model.fateOf(o.id);
    if (drop?.action !== 'dropped') return null;
    let first = drop;
    for (let earlier = this.model.fateOf(o.id, first.order); earlier?.action === 'renamed' && earlier.by !== null && earlier.by === drop.by; earlier = this.model.fateOf(o.id, first.order)) {
      first = earlier;
    }
    return this.model.displayName(o.id, first.order);
  }

  fate(o: SchemaObject): Fate | null {
    const fate = this.model.fateOf(o.id);
    return fate?.by ? { action: fate.action, by: placeOf(fate.by), how: fate.how, explicit: fate.explicit } : null;
  }

  expectation(o: SchemaObject, d: Declaration | null, declaredAt: number, place: StatementPlace, schema: string | null, taken: ReadonlySet<string>): Expectation {
    const present = this.model.exists(o.id);
    const fate = this.model.fateOf(o.id);
    const calls = o.detail.kind === 'trigger' && o.detail.calls !== null ? this.model.displayName(o.detail.calls) : null;
    const codeRuns = d ? this.model.codeRunsBetween(declaredAt, present || !fate ? Infinity : fate.order) : [];
    const codeRun = codeRuns[0] ?? null;
    const codeNamingIt = codeRuns.find((s) => spellsName(s.sql, this.model.displayName(o.id))) ?? null;
    // The last one before it: the likeliest to have freed or taken the name.
    const codeBefore = d && 'autoNamed' in d && d.autoNamed ? this.model.codeRunsBetween(-1, declaredAt).at(-1) ?? null : null;
    return {
      kind: o.kind as DeclaredKind, name: d?.name ?? this.model.displayName(o.id), currentName: this.model.displayName(o.id), droppedAs: this.droppedAs(o),
      table: o.kind === 'function' ? null : this.tableName(o, schema), schema, present,
      guardedDrop: !present && fate?.conditional === true, declaration: d,
      validated: o.kind !== 'constraint' || this.model.isValidated(o.id), file: place.file, statementIndex: place.statementIndex,
      columnRenames: d ? this.columnRenames(o, declaredAt) : new Map(), fate: this.fate(o),
      redeclared: !present && taken.has(this.lookupKey(o, schema)), calls, codeRanAfter: codeRun ? placeOf(codeRun) : null,
      codeNamingItAfter: codeNamingIt ? placeOf(codeNamingIt) : null, codeRanBefore: codeBefore ? placeOf(codeBefore) : null,
      freedName: codeBefore && d && d.name !== this.model.displayName(o.id) && fate?.action !== 'renamed' ? d.name : null,
      argumentTypes: o.kind === 'function' ? argumentTypeNames(this.model, o.id, declaredAt + 1, Infinity) : [],
    };
  }
}

/**
 * The files' end state for every object they declare (and every one they only drop by name), and
 * the tables they leave: the files' statements replayed into the schema model.
 */
export function expectedObjects(files: readonly ParsedFile[]): { expectations: Expectation[]; tables: string[] } {
  const { model } = schemaOfFiles(files, { declarations: true });
  const reading = new Reading(model);
  // What hangs on a temporary table goes with the session that made it: nothing to find afterwards.
  const verified = [...model.allObjects()].filter((o) => VERIFIED.has(o.kind) && !model.isTemporary(o.id));
  const schemaOf = (o: SchemaObject): string | null => {
    const declared = model.declarationOf(o.id)?.declaration;
    if (declared) return declared.schema;
    return o.schema ?? (o.table !== null ? model.object(o.table).schema : null);
  };
  // The keys the objects that exist at the end hold: an object gone whose key is held was declared again.
  const taken = new Set(verified.filter((o) => model.exists(o.id)).map((o) => reading.lookupKey(o, schemaOf(o))));
  // An unqualified name the files drop is looked up on the session's search_path, which a project's
  // runner may set (Supabase Storage's `storage`): an object of that kind and name at the end in any
  // schema may be the one the lookup finds.
  const heldAnywhere = new Set(verified.filter((o) => model.exists(o.id)).map((o) => `${o.kind}\u0000${model.displayName(o.id)}`));
  const takenAfterDrop = (o: SchemaObject) => taken.has(reading.lookupKey(o, schemaOf(o))) || (schemaOf(o) === null && heldAnywhere.has(`${o.kind}\u0000${model.displayName(o.id)}`));
  // Reported in the files' order: by the statement whose declaration (or drop) decides each check,
  // not by when the object was first made (a later file's IF NOT EXISTS re-declares an old index).
  const decided: { order: number; expectation: Expectation }[] = [];
  for (const o of verified) {
    const declared = model.declarationOf(o.id);
    const fate = model.fateOf(o.id);
    if (declared?.declaration.name && declared.by) {
      decided.push({ order: declared.order, expectation: reading.expectation(o, declared.declaration, declared.order, placeOf(declared.by), schemaOf(o), taken) });
    } else if (fate?.action === 'dropped' && fate.explicit && fate.how === '' && fate.by && !takenAfterDrop(o)) {
      // An object the files drop by name without declaring it: it must be gone (unless a later declaration took the name).
      decided.push({ order: fate.order, expectation: reading.expectation(o, null, fate.order, placeOf(fate.by), schemaOf(o), taken) });
    }
  }
  const expectations = decided.sort((a, b) => a.order - b.order).map((d) => d.expectation);
  const tables = new Set<string>();
  for (const o of model.allObjects()) if (o.kind === 'table' && model.exists(o.id)) tables.add(spell(o.schema, model.nameOf(o.id)));
  return { expectations, tables: [...tables] };
}
