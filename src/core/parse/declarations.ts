// What a statement does to the objects Drydock verifies: declares an index, constraint, trigger or
// function, validates or drops one, or renames an index. Read from the real parse tree.
import type { Constraint, CreateFunctionStmt, CreateTrigStmt, IndexStmt, Node, RangeVar, TypeName } from './pgTypes';
import type { DeclaredKind } from '../model/report';
import { triggerEvents, triggerTiming, type ConstraintType, type TriggerTiming } from '../sql/catalogCodes';
import { StatementText } from './statementText';

export type { ConstraintType };

interface Named {
  name: string;
  /** Schema when the file qualifies the name, else null (resolved through search_path). */
  schema: string | null;
}

export interface IndexDeclaration extends Named {
  kind: 'index';
  table: string;
  columns: string[];
  method: string;
  opclasses: (string | null)[];
  predicate: string | null;
  unique: boolean;
  concurrently: boolean;
}

export interface ConstraintDeclaration extends Named {
  kind: 'constraint';
  table: string;
  type: ConstraintType;
  expression: string | null;
  columns: string[];
  notValid: boolean;
  references: { table: string; schema: string | null; columns: string[] } | null;
  /** ADD CONSTRAINT … USING INDEX: the index that becomes the constraint (and is renamed to it). */
  usingIndex: string | null;
}

export interface TriggerDeclaration extends Named {
  kind: 'trigger';
  table: string;
  function: string;
  timing: TriggerTiming;
  events: string[];
  forEach: 'ROW' | 'STATEMENT';
}

export interface FunctionDeclaration extends Named {
  kind: 'function';
  args: string[];
  language: string | null;
  returnsTrigger: boolean;
  procedure: boolean;
}

export type Declaration = (IndexDeclaration | ConstraintDeclaration | TriggerDeclaration | FunctionDeclaration) & {
  /** Declared inside a DO block: its creation may depend on a condition. */
  guarded: boolean;
};

/** An effect on a verifiable object, in file order. */
export type SchemaEffect =
  | { action: 'declare'; declaration: Declaration }
  | { action: 'drop'; kind: DeclaredKind; name: string; table: string | null; guarded: boolean }
  | { action: 'validate'; name: string; table: string }
  | { action: 'rename-index'; from: string; to: string };

export interface StatementEffects {
  effects: SchemaEffect[];
  /** Tables (schema-qualified when the file qualifies them) the statement touches. */
  tables: string[];
}

function sval(node: Node | undefined): string {
  return node && 'String' in node ? node.String.sval ?? '' : '';
}

function names(list: Node[] | undefined): string[] {
  return (list ?? []).map(sval);
}

function qualified(range: RangeVar | undefined): { table: string; schema: string | null } {
  return { table: range?.relname ?? '', schema: range?.schemaname ?? null };
}

/** "schema.table" when qualified, else "table". */
export function qualifiedName(schema: string | null, name: string): string {
  return schema ? `${schema}.${name}` : name;
}

function typeNameText(type: TypeName | undefined): string {
  if (!type) return '';
  const parts = names(type.names).filter((n, i, all) => !(n === 'pg_catalog' && i === 0 && all.length > 1));
  return parts.join('.') + (type.arrayBounds?.length ? '[]' : '');
}

function indexDeclaration(stmt: IndexStmt, statementText: () => StatementText, stmtByteStart: number): IndexDeclaration {
  const { table, schema } = qualified(stmt.relation);
  const elems = (stmt.indexParams ?? []).map((p) => ('IndexElem' in p ? p.IndexElem : {}));
  // Plain column lists need no source text; expressions and predicates are read from the tokens.
  const needsText = stmt.whereClause !== undefined || elems.some((e) => !e.name);
  const text = needsText ? statementText() : null;
  const relationOffset = text ? text.offsetOfByte((stmt.relation?.location ?? stmtByteStart) - stmtByteStart) : 0;
  const open = text ? text.findToken('(', relationOffset) : -1;
  const close = text && open >= 0 ? text.closingParen(open) : -1;
  const items = text && close > open ? text.listItems(open, close) : [];
  let predicate: string | null = null;
  if (text && stmt.whereClause && close >= 0) {
    const where = text.findToken('WHERE', text.tokens[close]!.end, true);
    if (where >= 0) predicate = text.sql.slice(text.tokens[where]!.end).trim();
  }
  return {
    kind: 'index',
    name: stmt.idxname ?? '',
    schema,
    table,
    columns: elems.map((e, i) => e.name ?? items[i] ?? ''),
    method: stmt.accessMethod ?? 'btree',
    opclasses: elems.map((e) => (e.opclass?.length ? names(e.opclass).join('.') : null)),
    predicate,
    unique: stmt.unique === true,
    concurrently: stmt.concurrent === true,
  };
}

const CONSTRAINT_TYPES: Partial<Record<NonNullable<Constraint['contype']>, ConstraintType>> = {
  CONSTR_CHECK: 'check',
  CONSTR_UNIQUE: 'unique',
  CONSTR_PRIMARY: 'primary-key',
  CONSTR_FOREIGN: 'foreign-key',
  CONSTR_EXCLUSION: 'exclusion',
};

function constraintDeclaration(
  c: Constraint, table: string, schema: string | null, statementText: () => StatementText, stmtByteStart: number, column?: string,
): ConstraintDeclaration | null {
  const type = c.contype ? CONSTRAINT_TYPES[c.contype] : undefined;
  if (!type || !c.conname) return null;
  let expression: string | null = null;
  if (type === 'check') {
    const text = statementText();
    const from = text.offsetOfByte(Math.max((c.location ?? stmtByteStart) - stmtByteStart, 0));
    const check = text.findToken('CHECK', from);
    expression = check >= 0 ? text.parenthesisedFrom(text.tokens[check]!.end)?.inner ?? null : null;
  }
  const pk = qualified(c.pktable);
  return {
    kind: 'constraint',
    name: c.conname,
    schema,
    table,
    type,
    expression,
    columns: c.keys?.length ? names(c.keys) : c.fk_attrs?.length ? names(c.fk_attrs) : column ? [column] : [],
    notValid: c.skip_validation === true,
    references: type === 'foreign-key' ? { table: pk.table, schema: pk.schema, columns: names(c.pk_attrs) } : null,
    usingIndex: c.indexname ?? null,
  };
}

function triggerDeclaration(stmt: CreateTrigStmt): TriggerDeclaration {
  const { table, schema } = qualified(stmt.relation);
  const funcname = names(stmt.funcname);
  return {
    kind: 'trigger',
    name: stmt.trigname ?? '',
    schema,
    table,
    function: funcname.join('.'),
    // The parser uses pg_trigger.tgtype's bits for CreateTrigStmt.timing and .events.
    timing: triggerTiming(stmt.timing ?? 0),
    events: triggerEvents(stmt.events ?? 0),
    forEach: stmt.row ? 'ROW' : 'STATEMENT',
  };
}

function functionDeclaration(stmt: CreateFunctionStmt): FunctionDeclaration {
  const parts = names(stmt.funcname);
  const name = parts[parts.length - 1] ?? '';
  const language = (stmt.options ?? [])
    .map((o) => ('DefElem' in o ? o.DefElem : null))
    .find((d) => d?.defname === 'language');
  const inputArgs = (stmt.parameters ?? [])
    .map((p) => ('FunctionParameter' in p ? p.FunctionParameter : null))
    .filter((p) => p && p.mode !== 'FUNC_PARAM_OUT' && p.mode !== 'FUNC_PARAM_TABLE');
  return {
    kind: 'function',
    name,
    schema: parts.length > 1 ? parts[0] ?? null : null,
    args: inputArgs.map((p) => typeNameText(p?.argType)),
    language: language ? sval(language.arg) || null : null,
    returnsTrigger: /^(pg_catalog\.)?trigger$/.test(typeNameText(stmt.returnType)),
    procedure: stmt.is_procedure === true,
  };
}

const DROP_KINDS: Record<string, DeclaredKind> = {
  OBJECT_INDEX: 'index',
  OBJECT_TRIGGER: 'trigger',
  OBJECT_FUNCTION: 'function',
  OBJECT_PROCEDURE: 'function',
};

/** The schema effects and touched tables of one parsed statement. */
export function statementEffects(
  node: Node, sql: string, stmtByteStart: number, guarded = false, makeText: () => StatementText = () => new StatementText(sql),
): StatementEffects {
  const effects: SchemaEffect[] = [];
  const tables: string[] = [];
  const declare = (d: Omit<Declaration, 'guarded'> | null) => {
    if (d) effects.push({ action: 'declare', declaration: { ...d, guarded } as Declaration });
  };
  let scanned: StatementText | null = null;
  const text = () => (scanned ??= makeText());
  if ('IndexStmt' in node) {
    const d = indexDeclaration(node.IndexStmt, text, stmtByteStart);
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
    tables.push(qualifiedName(schema, table));
    for (const item of node.AlterTableStmt.cmds ?? []) {
      if (!('AlterTableCmd' in item)) continue;
      const cmd = item.AlterTableCmd;
      if ((cmd.subtype === 'AT_AddConstraint') && cmd.def && 'Constraint' in cmd.def) {
        const d = constraintDeclaration(cmd.def.Constraint, table, schema, text, stmtByteStart);
        // USING INDEX renames the index to the constraint's name; when the names are the same (the
        // uq_ convention) nothing is renamed and the index stays.
        if (d?.usingIndex && d.usingIndex !== d.name) effects.push({ action: 'rename-index', from: d.usingIndex, to: d.name });
        declare(d);
      } else if (cmd.subtype === 'AT_ValidateConstraint' && cmd.name) {
        effects.push({ action: 'validate', name: cmd.name, table: qualifiedName(schema, table) });
      } else if (cmd.subtype === 'AT_DropConstraint' && cmd.name) {
        effects.push({ action: 'drop', kind: 'constraint', name: cmd.name, table: qualifiedName(schema, table), guarded });
      }
    }
  } else if ('CreateTrigStmt' in node) {
    const d = triggerDeclaration(node.CreateTrigStmt);
    tables.push(qualifiedName(d.schema, d.table));
    declare(d);
  } else if ('CreateFunctionStmt' in node) {
    declare(functionDeclaration(node.CreateFunctionStmt));
  } else if ('DropStmt' in node) {
    const kind = DROP_KINDS[node.DropStmt.removeType ?? ''];
    for (const object of kind ? node.DropStmt.objects ?? [] : []) {
      const parts = 'List' in object ? names(object.List.items)
        : 'ObjectWithArgs' in object ? names(object.ObjectWithArgs.objname) : [];
      const name = parts[parts.length - 1] ?? '';
      // DROP TRIGGER name ON table arrives as [table…, name]
      const table = kind === 'trigger' ? parts.slice(0, -1).join('.') || null : null;
      if (kind && name) effects.push({ action: 'drop', kind, name, table, guarded });
    }
  } else if ('RenameStmt' in node && node.RenameStmt.renameType === 'OBJECT_INDEX' && node.RenameStmt.relation?.relname && node.RenameStmt.newname) {
    effects.push({ action: 'rename-index', from: node.RenameStmt.relation.relname, to: node.RenameStmt.newname });
  }
  return { effects, tables };
}
