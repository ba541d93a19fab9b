// What the files leave each declared object in: replays the statements' effects (declare, validate,
// drop, rename) in order, so verification compares the catalog with the end state, not with every
// declaration.
import { qualifiedName, type Declaration } from '../parse/declarations';
import type { ParsedFile } from '../parse/parseMigration';
import type { DeclaredKind } from '../model/report';

/** The state the files leave an object in, with where it was declared. */
export interface Expectation {
  kind: DeclaredKind;
  name: string;
  table: string | null;
  schema: string | null;
  present: boolean;
  /** Dropped inside a DO block: whether it really went depends on a condition. */
  guardedDrop: boolean;
  declaration: Declaration | null;
  validated: boolean;
  file: string;
  statementIndex: number;
}

export function keyOf(kind: DeclaredKind, name: string, table: string | null): string {
  return kind === 'index' || kind === 'function' ? `${kind}:${name}` : `${kind}:${table ?? ''}:${name}`;
}

/** Replays the files' effects in order to find what should exist (or not) at the end. */
export function expectedObjects(files: ParsedFile[]): { expectations: Expectation[]; tables: string[] } {
  const byKey = new Map<string, Expectation>();
  const tables = new Set<string>();
  const findByName = (kind: DeclaredKind, name: string, table: string | null) =>
    byKey.get(keyOf(kind, name, table)) ?? [...byKey.values()].find((e) => e.kind === kind && e.name === name && (table === null || e.table === table || e.table?.endsWith(`.${table}`) === true));
  for (const file of files) {
    for (const statement of file.statements) {
      statement.tables.forEach((t) => tables.add(t));
      for (const effect of statement.effects) {
        if (effect.action === 'declare') {
          const d = effect.declaration;
          const table = d.kind === 'function' ? null : qualifiedName(d.schema, d.table);
          byKey.set(keyOf(d.kind, d.name, table), {
            kind: d.kind, name: d.name, table, schema: d.schema, present: true, guardedDrop: false, declaration: d,
            validated: d.kind !== 'constraint' || !d.notValid, file: file.file, statementIndex: statement.index,
          });
        } else if (effect.action === 'validate') {
          const found = findByName('constraint', effect.name, effect.table);
          if (found) found.validated = true;
        } else if (effect.action === 'drop' || effect.action === 'rename-index') {
          const kind = effect.action === 'drop' ? effect.kind : 'index';
          const name = effect.action === 'drop' ? effect.name : effect.from;
          const table = effect.action === 'drop' ? effect.table : null;
          const guardedDrop = effect.action === 'drop' && effect.guarded;
          const found = findByName(kind, name, table);
          if (found) {
            found.present = false;
            found.guardedDrop = guardedDrop;
          } else if (effect.action === 'drop') {
            byKey.set(keyOf(kind, name, table), {
              kind, name, table, schema: null, present: false, guardedDrop, declaration: null, validated: true, file: file.file, statementIndex: statement.index,
            });
          }
        }
      }
    }
  }
  return { expectations: [...byKey.values()].filter((e) => e.name !== ''), tables: [...tables] };
}

