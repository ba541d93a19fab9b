// The objects Drydock verifies as a statement declares them: an index, a constraint, a trigger or a
// function, read from the real parse tree. What statements do to them later is schemaEffects.ts.
import type { Constraint, CreateFunctionStmt, CreateTrigStmt, IndexStmt, Node, RangeVar, TypeName } from './pgTypes';
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
  /** The CREATE INDEX statement as written, which verification compares with the catalog's definition. */
  definition: string;
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
  /** Declared without a name: `name` is the one PostgreSQL is expected to choose (autoNames.ts). */
  autoNamed?: true;
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
  /** Each input argument's type as SQL (names quoted as the parser read them: "Rl", "MyInt"[]), '' when not knowable (%TYPE). */
  args: string[];
  language: string | null;
  returnsTrigger: boolean;
  procedure: boolean;
}

export type Declaration = (IndexDeclaration | ConstraintDeclaration | TriggerDeclaration | FunctionDeclaration) & {
  /**
   * Declared in a branch of a DO block or function body that may not run (an IF, a loop, an
   * exception handler): its creation depends on a condition. Not for a protected block's body
   * (BEGIN … EXCEPTION WHEN duplicate_object …), which always runs: absent, it failed or never ran.
   */
  guarded: boolean;
};

/** A String node's text. */
export function sval(node: Node | undefined): string {
  return node && 'String' in node ? node.String.sval ?? '' : '';
}

/** The texts of a list of String nodes (a qualified name). */
export function names(list: Node[] | undefined): string[] {
  return (list ?? []).map(sval);
}

/** A relation's name and schema (null when the file does not qualify it). */
export function qualified(range: RangeVar | undefined): { table: string; schema: string | null } {
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

/**
 * An argument's type as SQL that reads back as the same type: every part double-quoted as the
 * parser gave it (a quoted "Rl" keeps its case; "char" stays the one-byte type, not char(1)). A
 * column's type (t.col%TYPE) is not knowable from the text: ''.
 */
function argumentTypeSql(type: TypeName | undefined): string {
  if (!type || type.pct_type) return '';
  const parts = names(type.names).filter((n, i, all) => !(n === 'pg_catalog' && i === 0 && all.length > 1));
  return parts.map((p) => `"${p.replace(/"/g, '""')}"`).join('.') + (type.arrayBounds?.length ? '[]' : '');
}

/** The index a CREATE INDEX declares. */
export function indexDeclaration(stmt: IndexStmt, statementText: () => StatementText, stmtByteStart: number, sql: string): IndexDeclaration {
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
    definition: sql,
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

/**
 * The constraint a Constraint node declares; unnamed ones only when `autoName` gives the name
 * PostgreSQL will choose (else null).
 */
export function constraintDeclaration(
  c: Constraint, table: string, schema: string | null, statementText: () => StatementText, stmtByteStart: number, column?: string,
  autoName?: (type: ConstraintType, columns: string[], expression: Node | undefined) => string,
): ConstraintDeclaration | null {
  const type = c.contype ? CONSTRAINT_TYPES[c.contype] : undefined;
  if (!type || (!c.conname && !autoName)) return null;
  let expression: string | null = null;
  if (type === 'check') {
    const text = statementText();
    const from = text.offsetOfByte(Math.max((c.location ?? stmtByteStart) - stmtByteStart, 0));
    const check = text.findToken('CHECK', from);
    expression = check >= 0 ? text.parenthesisedFrom(text.tokens[check]!.end)?.inner ?? null : null;
  }
  const pk = qualified(c.pktable);
  const columns = c.keys?.length ? names(c.keys) : c.fk_attrs?.length ? names(c.fk_attrs) : column ? [column] : [];
  const declaration: ConstraintDeclaration = {
    kind: 'constraint',
    name: c.conname ?? autoName!(type, columns, c.raw_expr),
    schema,
    table,
    type,
    expression,
    columns,
    notValid: c.skip_validation === true,
    references: type === 'foreign-key' ? { table: pk.table, schema: pk.schema, columns: names(c.pk_attrs) } : null,
    usingIndex: c.indexname ?? null,
  };
  if (!c.conname) declaration.autoNamed = true;
  return declaration;
}

/** The trigger a CREATE TRIGGER declares. */
export function triggerDeclaration(stmt: CreateTrigStmt): TriggerDeclaration {
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

/** The function or procedure a CREATE FUNCTION declares. */
export function functionDeclaration(stmt: CreateFunctionStmt): FunctionDeclaration {
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
    args: inputArgs.map((p) => argumentTypeSql(p?.argType)),
    language: language ? sval(language.arg) || null : null,
    returnsTrigger: /^(pg_catalog\.)?trigger$/.test(typeNameText(stmt.returnType)),
    procedure: stmt.is_procedure === true,
  };
}
