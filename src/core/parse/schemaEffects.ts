// What a statement does to the objects Drydock verifies, in file order: declares one, validates or
// drops one, renames one, or drops or renames what they hang on (a table, a column, a function, a
// schema). Read from the real parse tree; verification replays these effects to know what the
// files leave behind.
import type { DeclaredKind } from '../model/report';
import { autoConstraintName } from './autoNames';
import { runsDynamicSql } from './innerStatements';
import {
  constraintDeclaration, functionDeclaration, indexDeclaration, names, qualified, qualifiedName, triggerDeclaration, type Declaration,
} from './declarations';
import type { DropStmt, Node, RenameStmt } from './pgTypes';
import { StatementText } from './statementText';
import { rangeVarsIn } from './treeNames';
import { pushAll } from '../model/arrays';

/** An effect on verifiable objects. Tables are "schema.table" when the file qualifies them, else "table". */
export type SchemaEffect =
  | { action: 'declare'; declaration: Declaration }
  | { action: 'drop'; kind: DeclaredKind; name: string; table: string | null; guarded: boolean }
  | { action: 'validate'; name: string; table: string }
  | { action: 'rename'; kind: DeclaredKind; from: string; to: string; table: string | null }
  | { action: 'drop-table'; table: string; cascade: boolean; guarded: boolean }
  | { action: 'drop-column'; table: string; column: string; cascade: boolean; guarded: boolean }
  | { action: 'rename-table'; from: string; to: string }
  | { action: 'rename-column'; table: string; from: string; to: string }
  /** DROP FUNCTION/SCHEMA … CASCADE: what hangs on it goes too (triggers calling the function, objects in the schema). */
  | { action: 'drop-dependents'; of: 'function' | 'schema'; name: string; guarded: boolean }
  /** A view or materialized view reads these relations; DROP … CASCADE of one of them drops it. */
  | { action: 'depends'; relation: string; on: string[] }
  /** Runs code whose effects the file does not show (a DO block's dynamic EXECUTE, CALL). */
  | { action: 'runs-code' };

export interface StatementEffects {
  effects: SchemaEffect[];
  /** Tables (schema-qualified when the file qualifies them) the statement touches. */
  tables: string[];
}

const DROP_KINDS: Partial<Record<string, DeclaredKind>> = {
  OBJECT_INDEX: 'index', OBJECT_TRIGGER: 'trigger', OBJECT_FUNCTION: 'function', OBJECT_PROCEDURE: 'function',
};

// Relations that indexes, constraints and triggers hang on.
const RELATION_TYPES = new Set(['OBJECT_TABLE', 'OBJECT_VIEW', 'OBJECT_MATVIEW', 'OBJECT_FOREIGN_TABLE']);

const RENAME_KINDS: Partial<Record<string, DeclaredKind>> = {
  OBJECT_INDEX: 'index', OBJECT_TABCONSTRAINT: 'constraint', OBJECT_TRIGGER: 'trigger', OBJECT_FUNCTION: 'function', OBJECT_PROCEDURE: 'function',
};

/** The relations a query reads (every RangeVar in it), qualified as written. */
function relationsRead(tree: unknown): Set<string> {
  return new Set(rangeVarsIn(tree).map((r) => qualifiedName(r.schema, r.name)));
}

function dropEffects(stmt: DropStmt, guarded: boolean): SchemaEffect[] {
  const cascade = stmt.behavior === 'DROP_CASCADE';
  const objects = (stmt.objects ?? []).map((o) => ('List' in o ? names(o.List.items) : 'ObjectWithArgs' in o ? names(o.ObjectWithArgs.objname) : 'String' in o ? [o.String.sval ?? ''] : []));
  const type = stmt.removeType ?? '';
  const effects: SchemaEffect[] = [];
  for (const parts of objects) {
    const name = parts[parts.length - 1] ?? '';
    if (!name) continue;
    if (RELATION_TYPES.has(type)) effects.push({ action: 'drop-table', table: parts.join('.'), cascade, guarded });
    const kind = DROP_KINDS[type];
    // DROP TRIGGER name ON table arrives as [table…, name]
    if (kind) effects.push({ action: 'drop', kind, name, table: kind === 'trigger' ? parts.slice(0, -1).join('.') || null : null, guarded });
    if (cascade && (type === 'OBJECT_FUNCTION' || type === 'OBJECT_PROCEDURE')) effects.push({ action: 'drop-dependents', of: 'function', name, guarded });
    if (cascade && type === 'OBJECT_SCHEMA') effects.push({ action: 'drop-dependents', of: 'schema', name, guarded });
  }
  return effects;
}

function renameEffects(stmt: RenameStmt): SchemaEffect[] {
  const to = stmt.newname;
  if (!to) return [];
  const relation = stmt.relation ? qualifiedName(stmt.relation.schemaname ?? null, stmt.relation.relname ?? '') : null;
  const type = stmt.renameType ?? '';
  if (RELATION_TYPES.has(type) && relation) {
    return [{ action: 'rename-table', from: relation, to: qualifiedName(stmt.relation?.schemaname ?? null, to) }];
  }
  if (type === 'OBJECT_COLUMN' && relation && stmt.subname) return [{ action: 'rename-column', table: relation, from: stmt.subname, to }];
  const kind = RENAME_KINDS[type];
  if (!kind) return [];
  if (kind === 'index') return stmt.relation?.relname ? [{ action: 'rename', kind, from: stmt.relation.relname, to, table: null }] : [];
  if (kind === 'function') {
    const object = stmt.object && 'ObjectWithArgs' in stmt.object ? names(stmt.object.ObjectWithArgs.objname) : [];
    const from = object[object.length - 1];
    return from ? [{ action: 'rename', kind, from, to, table: null }] : [];
  }
  return stmt.subname && relation ? [{ action: 'rename', kind, from: stmt.subname, to, table: relation }] : [];
}

/**
 * The schema effects and touched tables of one parsed statement. `runsDynamic`: whether a DO
 * block EXECUTEs SQL built at run time (its body read by the caller, when it has it).
 */
export function statementEffects(
  node: Node, sql: string, stmtByteStart: number, guarded = false, makeText: () => StatementText = () => new StatementText(sql),
  runsDynamic: () => boolean = () => runsDynamicSql(node),
): StatementEffects {
  const effects: SchemaEffect[] = [];
  const tables: string[] = [];
  const declare = (d: Omit<Declaration, 'guarded'> | null) => {
    if (d) effects.push({ action: 'declare', declaration: { ...d, guarded } as Declaration });
  };
  let scanned: StatementText | null = null;
  const text = () => (scanned ??= makeText());
  if ('IndexStmt' in node) {
    const d = indexDeclaration(node.IndexStmt, text, stmtByteStart, sql);
    tables.push(qualifiedName(d.schema, d.table));
    if (d.name) declare(d);
  } else if ('CreateStmt' in node) {
    const { table, schema } = qualified(node.CreateStmt.relation);
    tables.push(qualifiedName(schema, table));
    for (const elt of node.CreateStmt.tableElts ?? []) {
      if ('Constraint' in elt) declare(constraintDeclaration(elt.Constraint, table, schema, text, stmtByteStart));
      if ('ColumnDef' in elt) {
        for (const c of elt.ColumnDef.constraints ?? []) {
          if ('Constraint' in c) declare(constraintDeclaration(c.Constraint, table, schema, text, stmtByteStart, elt.ColumnDef.colname));
        }
      }
    }
  } else if ('AlterTableStmt' in node) {
    const { table, schema } = qualified(node.AlterTableStmt.relation);
    const qualifiedTable = qualifiedName(schema, table);
    tables.push(qualifiedTable);
    // A constraint an ALTER TABLE adds without a name gets PostgreSQL's choice of name.
    const autoName = (type: Parameters<typeof autoConstraintName>[1], columns: string[], expression: Node | undefined) => autoConstraintName(table, type, columns, expression);
    for (const item of node.AlterTableStmt.cmds ?? []) {
      if (!('AlterTableCmd' in item)) continue;
      const cmd = item.AlterTableCmd;
      if ((cmd.subtype === 'AT_AddConstraint') && cmd.def && 'Constraint' in cmd.def) {
        const d = constraintDeclaration(cmd.def.Constraint, table, schema, text, stmtByteStart, undefined, autoName);
        // USING INDEX renames the index to the constraint's name; when the names are the same (the
        // uq_ convention) nothing is renamed and the index stays.
        if (d?.usingIndex && d.usingIndex !== d.name) effects.push({ action: 'rename', kind: 'index', from: d.usingIndex, to: d.name, table: null });
        declare(d);
      } else if (cmd.subtype === 'AT_AddColumn' && cmd.def && 'ColumnDef' in cmd.def) {
        const column = cmd.def.ColumnDef;
        for (const c of column.constraints ?? []) {
          if ('Constraint' in c) declare(constraintDeclaration(c.Constraint, table, schema, text, stmtByteStart, column.colname, autoName));
        }
      } else if (cmd.subtype === 'AT_ValidateConstraint' && cmd.name) {
        effects.push({ action: 'validate', name: cmd.name, table: qualifiedTable });
      } else if (cmd.subtype === 'AT_DropConstraint' && cmd.name) {
        effects.push({ action: 'drop', kind: 'constraint', name: cmd.name, table: qualifiedTable, guarded });
      } else if (cmd.subtype === 'AT_DropColumn' && cmd.name) {
        effects.push({ action: 'drop-column', table: qualifiedTable, column: cmd.name, cascade: cmd.behavior === 'DROP_CASCADE', guarded });
      }
    }
  } else if ('CreateTrigStmt' in node) {
    const d = triggerDeclaration(node.CreateTrigStmt);
    tables.push(qualifiedName(d.schema, d.table));
    declare(d);
  } else if ('CreateFunctionStmt' in node) {
    // A function in pg_temp goes with the session that made it: nothing to find afterwards.
    const d = functionDeclaration(node.CreateFunctionStmt);
    if (d.schema?.toLowerCase() !== 'pg_temp') declare(d);
  } else if ('DropStmt' in node) {
    pushAll(effects, dropEffects(node.DropStmt, guarded));
  } else if ('RenameStmt' in node) {
    pushAll(effects, renameEffects(node.RenameStmt));
  } else if (('DoStmt' in node && runsDynamic()) || 'CallStmt' in node) {
    effects.push({ action: 'runs-code' });
  } else if ('ViewStmt' in node && node.ViewStmt.view?.relname) {
    const view = qualified(node.ViewStmt.view);
    effects.push({ action: 'depends', relation: qualifiedName(view.schema, view.table), on: [...relationsRead(node.ViewStmt.query)] });
  } else if ('CreateTableAsStmt' in node && node.CreateTableAsStmt.objtype === 'OBJECT_MATVIEW' && node.CreateTableAsStmt.into?.rel?.relname) {
    const into = qualified(node.CreateTableAsStmt.into.rel);
    effects.push({ action: 'depends', relation: qualifiedName(into.schema, into.table), on: [...relationsRead(node.CreateTableAsStmt.query)] });
  }
  return { effects, tables };
}
