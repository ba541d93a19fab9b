// How the model reads a name: the namespace an object's name lives in (relations share one per
// schema, as pg_class does; constraints, triggers and columns have one per table), and the one
// spelling of a schema (public and unqualified are the same). How a name resolves to an identity
// is the model's (schemaModel.ts).
import type { ObjectId, ObjectKind } from './objects';

/** The namespace each kind's names live in. */
const NAMESPACES: Record<ObjectKind, string> = {
  table: 'rel', view: 'rel', index: 'rel', constraint: 'con', trigger: 'trg', function: 'fn', type: 'type', column: 'col',
};

/** True for kinds named within a table (constraints, triggers, columns), not within a schema. */
export function namedPerTable(kind: ObjectKind): boolean {
  return kind === 'constraint' || kind === 'trigger' || kind === 'column';
}

/** A schema as the model keys it: '' for public and for an unqualified name. */
export function schemaKey(schema: string | null | undefined): string {
  return schema && schema !== 'public' ? schema : '';
}

/** Where a name is bound: its namespace, its schema (or table) and the name. */
export function bindingKey(kind: ObjectKind, scope: string | ObjectId, name: string): string {
  return `${NAMESPACES[kind]}\u0000${scope}\u0000${name}`;
}

/** The key of the schemas a name was bound in (for an unqualified name, found in any of them). */
export function schemasKey(kind: ObjectKind, name: string): string {
  return `${NAMESPACES[kind]}\u0000${name}`;
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
