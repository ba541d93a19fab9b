// How the model reads a name: the namespace an object's name lives in (relations share one per
// schema, as pg_class does; constraints, triggers and columns have one per table), and the one
// spelling of a schema (public and unqualified are the same). How a name resolves to an identity
// is the model's (schemaModel.ts).
import type { ObjectId, ObjectKind } from './objects';

/** The namespace each kind's names live in. */
const NAMESPACES: Record<ObjectKind, number> = {
  table: 0, view: 0, index: 0, constraint: 1, trigger: 2, function: 3, type: 4, column: 5, extension: 6,
};

/** True for kinds named within a table (constraints, triggers, columns), not within a schema. */
export function namedPerTable(kind: ObjectKind): boolean {
  return kind === 'constraint' || kind === 'trigger' || kind === 'column';
}

/** A schema as the model keys it: '' for public and for an unqualified name. */
export function schemaKey(schema: string | null | undefined): string {
  return schema && schema !== 'public' ? schema : '';
}

// Scopes are small integers (no string is built per lookup): a namespace times SCOPES, plus a
// table's identity or a schema's number.
const SCOPES = 2 ** 24;

/** Schemas as small numbers (public and unqualified are 0), shared by a model and its forks. */
export class SchemaNumbers {
  private readonly ids = new Map<string, number>([['', 0]]);

  private id(schema: string): number {
    if (schema === '') return 0;
    let id = this.ids.get(schema);
    if (id === undefined) this.ids.set(schema, (id = this.ids.size));
    return id;
  }

  /** The scope a name of this kind is bound in: its schema's, or its table's. */
  scope(kind: ObjectKind, schemaOrTable: string | ObjectId): number {
    return NAMESPACES[kind] * SCOPES + (typeof schemaOrTable === 'number' ? schemaOrTable : this.id(schemaOrTable));
  }

  /** The scope of the log of schemas (other than public) a name of this kind was bound in. */
  otherSchemas(kind: ObjectKind): number {
    return NAMESPACES[kind];
  }
}

/** A relation as the rules spell it ("schema.table", or "table" for public and unqualified names). */
export function spelledName(spelling: string): { schema: string | null; name: string } {
  const dot = spelling.lastIndexOf('.');
  return dot < 0 ? { schema: null, name: spelling } : { schema: spelling.slice(0, dot), name: spelling.slice(dot + 1) };
}

/** "schema.name" when the schema was written, else "name". */
export function spell(schema: string | null, name: string): string {
  return schema ? `${schema}.${name}` : name;
}
