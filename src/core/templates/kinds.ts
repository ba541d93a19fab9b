// The five kinds of migration the templates write, as data: what each needs, how it names what it
// creates, and the values its template text (templates/<kind>.*.sql) is filled with.
import {
  deriveName, parseQualifiedName, parseTableName, quoteIdent, quoteLiteral, relationSql, type TableName,
} from './sqlText';
import { parserErrorOf, parseSql } from '../parse/pgParser';
import type { TemplateVars } from './templateText';

export const TEMPLATE_KINDS = ['index', 'gin', 'check', 'trigger', 'unique'] as const;
/** A kind of migration the templates can write. */
export type TemplateKind = (typeof TEMPLATE_KINDS)[number];

export type GinOperatorClass = 'jsonb_path_ops' | 'jsonb_ops';

/** What the author chose; only `table` is always required. */
export interface TemplateParams {
  /** Table name, optionally schema-qualified ("app.lessons"). */
  table: string;
  /** Indexed / constrained columns; the trigger's timestamp column (default updated_at). */
  columns?: readonly string[];
  /** Predicate of a partial index. */
  where?: string;
  /** Build indexes CONCURRENTLY (default true; ignored by guarded GIN). */
  concurrently?: boolean;
  /** GIN operator class (default jsonb_path_ops: smaller, serves @> containment). */
  opclass?: GinOperatorClass;
  /**
   * Create the index only when it can be: GIN only where the column really is jsonb, a B-tree index
   * only where the table exists. Guarded forms are DO blocks, so never CONCURRENTLY.
   */
  guarded?: boolean;
  /** Unique: attach the index as a UNIQUE constraint (default true) or keep a unique index only. */
  asConstraint?: boolean;
  /** CHECK as an enumeration: column IN (values). */
  values?: readonly string[];
  /** CHECK as a range: column BETWEEN min AND max (either bound alone gives >= / <=). */
  min?: number;
  max?: number;
  /** Overrides the derived index / constraint / trigger name. */
  objectName?: string;
  /**
   * Trigger: a function shared by several tables instead of the per-table
   * update_<table>_updated_at function. The migration calls it but neither creates, replaces nor
   * drops it, unless `createFunction` says this migration owns it.
   */
  functionName?: string;
  /** Trigger: create (and have the down drop) the function; default true only without functionName. */
  createFunction?: boolean;
}

/** An object a rendered migration creates, as verification will look for it. */
export interface DeclaredObject {
  kind: 'index' | 'constraint' | 'trigger' | 'function';
  name: string;
  table: string;
}

/** A kind filled in: template values plus what the migration means. */
export interface KindPlan {
  vars: TemplateVars;
  /** The up part cannot run inside a transaction (CONCURRENTLY). */
  noTransaction: boolean;
  /** What the up part creates. */
  declares: DeclaredObject[];
  /** A short description, used as the default migration name. */
  defaultName: string;
  /**
   * The same migration as separate steps, for tools that send a whole file as one query (where a
   * CONCURRENTLY build cannot share the query with anything): each step is one migration.
   */
  steps?: readonly KindStep[];
  /**
   * Steps that are separate migrations for every tool that keeps migrations apart, each in its own
   * transaction: VALIDATE CONSTRAINT after the ADD … NOT VALID, so that the validation scan does
   * not run under the lock the ADD took (held until its transaction commits).
   */
  transactions?: readonly KindStep[];
}

/** One step of a kind that can be split: its template values, and a word for its migration name. */
export interface KindStep {
  vars: TemplateVars;
  noTransaction: boolean;
  /** Appended to the migration's slug for every step after the first. */
  suffix: string;
}

function requireColumns(kind: TemplateKind, params: TemplateParams, exactlyOne: boolean): string[] {
  const columns = (params.columns ?? []).map((c) => c.trim()).filter((c) => c !== '');
  if (columns.length === 0) throw new Error(`${kind} needs at least one column`);
  if (exactlyOne && columns.length !== 1) throw new Error(`${kind} takes exactly one column, got ${columns.length}`);
  return columns;
}

const PLAIN_WHERE_KEYS = new Set(['targetList', 'whereClause', 'op', 'limitOption']);

/**
 * A free-text boolean expression (a partial index predicate), checked with the real parser: it
 * must be one expression and nothing more, so it cannot end the statement it is pasted into.
 * Returned parenthesised, exactly as checked.
 */
export function checkedExpression(what: string, text: string): string {
  const sql = `SELECT 1 WHERE (${text})`;
  let stmts;
  try {
    stmts = parseSql(sql).stmts ?? [];
  } catch (err) {
    const parserError = parserErrorOf(err);
    if (!parserError) throw err;
    throw new Error(`${what} is not one SQL expression: ${parserError.message} (in ${JSON.stringify(text)})`);
  }
  const only = stmts.length === 1 ? stmts[0]?.stmt : undefined;
  const select = only && 'SelectStmt' in only ? only.SelectStmt : undefined;
  // A plain SELECT … WHERE: a text like "x) UNION (SELECT 1" would still be one statement.
  if (!select || select.op !== 'SETOP_NONE' || !Object.keys(select).every((key) => PLAIN_WHERE_KEYS.has(key))) {
    throw new Error(`${what} is not one SQL expression: ${JSON.stringify(text)}`);
  }
  return `(${text})`;
}

// The dollar-quote tags of the templates' DO blocks and function bodies: a parameter holding one
// would end the body early.
const TEMPLATE_DOLLAR_TAGS = ['$drydock$', '$function$'];

function refuseDollarTags(params: TemplateParams): void {
  const texts = [params.table, params.where, params.objectName, params.functionName, ...(params.columns ?? []), ...(params.values ?? [])];
  for (const text of texts) {
    const tag = TEMPLATE_DOLLAR_TAGS.find((t) => text?.includes(t));
    if (tag) throw new Error(`${JSON.stringify(text)} holds ${tag}, the dollar-quote tag the template uses`);
  }
}

/**
 * The CHECK predicate: enumeration, range, or "> 0" when neither is given. Listed values are
 * always string literals: an untyped literal takes the column's type, so '1' suits an int column
 * and a text column alike.
 */
export function checkPredicate(column: string, params: TemplateParams): string {
  const col = quoteIdent(column);
  if (params.values && params.values.length > 0) {
    return `${col} IN (${params.values.map(quoteLiteral).join(', ')})`;
  }
  const { min, max } = params;
  for (const [bound, value] of [['min', min], ['max', max]] as const) {
    // NaN or Infinity would be written as a bare word, which PostgreSQL reads as a column name.
    if (value !== undefined && !Number.isFinite(value)) throw new Error(`check ${bound} must be a finite number, got ${value}`);
  }
  if (min !== undefined && max !== undefined) {
    if (min > max) throw new Error(`check range is empty: min ${min} > max ${max}`);
    return `${col} BETWEEN ${min} AND ${max}`;
  }
  if (min !== undefined) return `${col} >= ${min}`;
  if (max !== undefined) return `${col} <= ${max}`;
  return `${col} > 0`;
}

const GIN_OPERATOR_CLASSES: readonly GinOperatorClass[] = ['jsonb_path_ops', 'jsonb_ops'];

function ginOperatorClass(opclass: string | undefined): GinOperatorClass {
  const found = GIN_OPERATOR_CLASSES.find((c) => c === (opclass ?? 'jsonb_path_ops'));
  if (!found) throw new Error(`the GIN operator class must be ${GIN_OPERATOR_CLASSES.join(' or ')}, got ${JSON.stringify(opclass)}`);
  return found;
}

function baseVars(table: TableName, name: string, concurrently: boolean): Record<string, string | boolean> {
  const qualifiedName = relationSql(table.schema, name);
  return {
    table: relationSql(table.schema, table.name),
    tableLiteral: quoteLiteral(relationSql(table.schema, table.name)),
    name: quoteIdent(name),
    nameLiteral: quoteLiteral(name),
    qualifiedName,
    qualifiedNameLiteral: quoteLiteral(qualifiedName),
    concurrently,
  };
}

type Planner = (table: TableName, params: TemplateParams) => KindPlan;

const PLANNERS: Readonly<Record<TemplateKind, Planner>> = {
  index(table, params) {
    const columns = requireColumns('index', params, false);
    const name = params.objectName ?? deriveName('idx', table.name, columns);
    const guarded = params.guarded ?? false;
    const concurrently = !guarded && (params.concurrently ?? true);
    const where = params.where?.trim() ? checkedExpression('the partial index predicate (where)', params.where.trim()) : '';
    return {
      vars: { ...baseVars(table, name, concurrently), columns: columns.map(quoteIdent).join(', '), partial: where !== '', where, guarded },
      noTransaction: concurrently,
      declares: [{ kind: 'index', name, table: table.name }],
      defaultName: `add_${name}`,
    };
  },
  gin(table, params) {
    const [column = ''] = requireColumns('gin', params, true);
    const name = params.objectName ?? deriveName('idx', table.name, [column]);
    const guarded = params.guarded ?? false;
    const concurrently = !guarded && (params.concurrently ?? true);
    return {
      vars: {
        ...baseVars(table, name, concurrently),
        column: quoteIdent(column),
        columnLiteral: quoteLiteral(column),
        opclass: ginOperatorClass(params.opclass),
        guarded,
      },
      noTransaction: concurrently,
      declares: [{ kind: 'index', name, table: table.name }],
      defaultName: `add_${name}`,
    };
  },
  check(table, params) {
    const [column = ''] = requireColumns('check', params, true);
    const name = params.objectName ?? deriveName('chk', table.name, [column]);
    // add: the NOT VALID constraint; validate: VALIDATE CONSTRAINT, a migration of its own after it.
    const vars = { ...baseVars(table, name, false), column: quoteIdent(column), predicate: checkPredicate(column, params), add: true, validate: true };
    return {
      vars,
      noTransaction: false,
      declares: [{ kind: 'constraint', name, table: table.name }],
      defaultName: `add_${name}`,
      transactions: [
        { vars: { ...vars, validate: false }, noTransaction: false, suffix: '' },
        { vars: { ...vars, add: false }, noTransaction: false, suffix: 'validate' },
      ],
    };
  },
  trigger(table, params) {
    const column = params.columns?.[0]?.trim() || 'updated_at';
    const triggerName = params.objectName ?? deriveName('update', table.name, [column]);
    const ownsFunction = params.createFunction ?? params.functionName === undefined;
    const shared = params.functionName === undefined ? null : parseQualifiedName(params.functionName, 'function');
    const functionName = shared?.name ?? triggerName;
    const functionSql = shared ? relationSql(shared.schema, shared.name) : relationSql(table.schema, functionName);
    return {
      vars: {
        ...baseVars(table, triggerName, false),
        column: quoteIdent(column),
        triggerName: quoteIdent(triggerName),
        triggerNameLiteral: quoteLiteral(triggerName),
        functionName: functionSql,
        ownsFunction,
      },
      noTransaction: false,
      declares: [
        ...(ownsFunction ? [{ kind: 'function' as const, name: functionName, table: table.name }] : []),
        { kind: 'trigger', name: triggerName, table: table.name },
      ],
      defaultName: `add_${triggerName}_trigger`,
    };
  },
  unique(table, params) {
    const columns = requireColumns('unique', params, false);
    const name = params.objectName ?? deriveName('uq', table.name, columns);
    const concurrently = params.concurrently ?? true;
    const asConstraint = params.asConstraint ?? true;
    // build: the CREATE UNIQUE INDEX; attach: the DO block that makes it the constraint.
    const vars = { ...baseVars(table, name, concurrently), columns: columns.map(quoteIdent).join(', '), asConstraint, build: true, attach: asConstraint };
    return {
      vars,
      noTransaction: concurrently,
      declares: [{ kind: asConstraint ? 'constraint' : 'index', name, table: table.name }],
      defaultName: `add_${name}`,
      ...(concurrently && asConstraint ? {
        steps: [
          { vars: { ...vars, attach: false }, noTransaction: true, suffix: '' },
          { vars: { ...vars, build: false }, noTransaction: false, suffix: 'attach' },
        ],
      } : {}),
    };
  },
};

/** True for the kinds the templates know. */
export function isTemplateKind(value: string): value is TemplateKind {
  return (TEMPLATE_KINDS as readonly string[]).includes(value);
}

/** The template values and meaning of one kind (after `loadParser()`); throws on missing or unsafe parameters. */
export function planKind(kind: TemplateKind, params: TemplateParams): KindPlan {
  refuseDollarTags(params);
  return PLANNERS[kind](parseTableName(params.table), params);
}
