// The objects of the schema model: each table, view, index, constraint, trigger, function, type,
// column and extension gets an identity when it is created (or, for one that existed before the files, when
// a statement first names it), and keeps it through renames and swaps. What never changes about
// an object is here; what changes (its name, whether it still exists) is kept by statement in the
// model (schemaModel.ts).
import type { ConstraintType } from '../sql/catalogCodes';
import type { ParsedStatement } from '../parse/parseMigration';
import type { TypeName } from '../parse/pgTypes';

export type ObjectId = number;

export type ObjectKind = 'table' | 'view' | 'index' | 'constraint' | 'trigger' | 'function' | 'type' | 'column' | 'extension';

/** Where an object was created. */
export interface Origin {
  /** The order of the statement that created it. */
  order: number;
  file: string;
  /** The file's statement whose run created it: the statement itself, the DO block, or the call of the function. */
  statement: ParsedStatement | null;
  /**
   * The branches of a DO block or function body it was created in (InnerStatement.conditions,
   * made unique per statement): it surely exists for a later statement only when these are a
   * prefix of that statement's. Empty when nothing conditional stands around it.
   */
  conditions: readonly string[];
}

/** What a statement did to an object after creating it: the last drop or rename. */
export interface Fate {
  action: 'dropped' | 'renamed';
  order: number;
  /** The file's statement whose run did it. */
  by: ParsedStatement | null;
  /** How, in words: "with its table orders", "by DROP FUNCTION touch CASCADE" ('' when it names the object itself). */
  how: string;
  /** True when the statement names the object itself (DROP INDEX x), not what it hangs on. */
  explicit: boolean;
  /** Done inside a branch of a DO block (an IF, a loop, an EXCEPTION block): it may not have happened. */
  conditional: boolean;
}

/** What the files say about a column, as of a statement. */
export interface ColumnFacts {
  /** The type as declared (null: not known). */
  type: TypeName | null;
  notNull: boolean;
  /** A validated `CHECK (col IS NOT NULL)` holds. */
  checked: boolean;
}

/** What is fixed about an object of each kind when it is created. */
export type ObjectDetail =
  /** `temporary`: CREATE TEMP TABLE (or in pg_temp): it lives in its session only, and nobody else sees or waits on it. */
  | { kind: 'table'; partitioned: boolean; temporary: boolean }
  | { kind: 'view'; materialized: boolean; reads: ObjectId[] }
  /**
   * `columns` as declared (an expression as '(expression)'); `uses`: every column it reads, by its
   * name when the object was created (the model resolves it to the column's identity then);
   * `unique`: a primary key's, a unique constraint's or a unique index (a lookup by all its columns finds one row at most).
   */
  | { kind: 'index'; columns: string[]; uses: string[]; unique: boolean }
  | {
    kind: 'constraint'; type: ConstraintType; uses: string[]; references: ObjectId | null;
    /** The column a `CHECK (col IS NOT NULL)` proves not null once validated. */
    provesNotNull: ObjectId | null;
  }
  | { kind: 'trigger'; calls: ObjectId | null }
  | { kind: 'function' }
  | { kind: 'type' }
  /** Named in the database, not in a schema: what the files create with it (btree_gin's operator classes) is what the rules ask about. */
  | { kind: 'extension' }
  /** `declared`: its facts as created (later changes are the model's); null for a column from before the files. */
  | { kind: 'column'; declared: ColumnFacts | null };

/** An object with its identity. */
export interface SchemaObject {
  readonly id: ObjectId;
  readonly kind: ObjectKind;
  /** The name it was created under (renames are kept by the model). */
  readonly name: string;
  /** The schema it was created in, as written (null: unqualified, or public). */
  readonly schema: string | null;
  /** The table an index, constraint, trigger or column belongs to. */
  readonly table: ObjectId | null;
  /** Null for an object that existed before the files (first met when a statement named it). */
  readonly origin: Origin | null;
  readonly detail: ObjectDetail;
}

/** True when `inner` runs whenever `outer`'s branch runs: `outer` is a prefix of `inner`. */
export function withinBranches(outer: readonly string[], inner: readonly string[]): boolean {
  if (outer.length > inner.length) return false;
  for (let i = 0; i < outer.length; i++) if (outer[i] !== inner[i]) return false;
  return true;
}
