// The statements a DO block (or a PL/pgSQL function's body) runs, with their place in the file:
// plain SQL statements of the body and `EXECUTE '<literal>'` strings, so rules can judge them where
// they are written. Bodies are dollar-quoted in practice; their text is then the file's text, so an
// inner statement's offsets map one to one. Each statement carries the branches it runs in (an IF,
// a loop, a block with an EXCEPTION clause), so a reader knows what runs whenever the body does.
// Dynamic SQL built at run time (format(), ||) is not knowable: it is counted where it runs.
import type { DoStmt, Node } from './pgTypes';
import type { OffsetRange } from '../model/positions';
import { OffsetConverter } from '../model/lineIndex';
import { parsePlpgsql, parseSql } from './pgParser';

/** A statement inside a DO block. */
export interface InnerStatement {
  sql: string;
  node: Node;
  /** Where the statement is in the file (UTF-16); the whole DO statement when it cannot be placed exactly. */
  offsets: OffsetRange;
  /** File offset of `sql`'s first character when the text maps one to one to the file, else null. */
  sqlStart: number | null;
  /** 'body': a statement of the PL/pgSQL body; 'execute': the literal of an EXECUTE. */
  via: 'body' | 'execute';
  /**
   * The branches it runs in (an IF's THEN, a loop's body, a block with an EXCEPTION clause), outermost
   * first, each named uniquely within the body; empty when it runs whenever the body runs to its end.
   */
  conditions: readonly string[];
}

export interface BodyQuery {
  /** The query (or the EXECUTE's literal expression) as written in the body. */
  text: string;
  via: 'body' | 'execute';
  /** The branches it runs in (see InnerStatement.conditions). */
  conditions: readonly string[];
}

/** What a PL/pgSQL body runs, as far as its text tells. */
export interface StatementBody {
  /** False when the body is not PL/pgSQL or does not parse: what it runs is not knowable. */
  readable: boolean;
  /** Its SQL statements and EXECUTE literals, in body order. */
  statements: InnerStatement[];
  /** SQL built at run time that it EXECUTEs (format(), concatenation), where it runs. */
  dynamic: { conditions: readonly string[] }[];
  /** Queries written in the body that do not parse as SQL (PL/pgSQL's INTO): their effects are not read. */
  unread: number;
  /** The expressions it evaluates besides its statements (PERFORM, assignments, conditions, loop queries). */
  expressions: string[];
}

/** A DO statement's body and language (plpgsql unless it says otherwise). */
export function doBodyOf(stmt: DoStmt): { body: string; language: string } | null {
  let body: string | null = null;
  let language = 'plpgsql';
  for (const arg of stmt.args ?? []) {
    if (!('DefElem' in arg)) continue;
    const value = arg.DefElem.arg && 'String' in arg.DefElem.arg ? arg.DefElem.arg.String.sval ?? '' : '';
    if (arg.DefElem.defname === 'as') body = value;
    if (arg.DefElem.defname === 'language') language = value.toLowerCase();
  }
  return body === null ? null : { body, language };
}

/** Where a DO statement's body starts in its text (PL/pgSQL's line 1), or null when it is not one or its body is not written as it runs (a quoted string with escapes). */
export function doBodyStart(node: Node, statementSql: string): number | null {
  const found = 'DoStmt' in node ? doBodyOf(node.DoStmt) : null;
  if (!found || found.body === '') return null;
  // Right after its opening quote ($tag$ or ').
  for (let at = statementSql.indexOf(found.body); at >= 0; at = statementSql.indexOf(found.body, at + 1)) {
    if (at > 0 && (statementSql[at - 1] === '$' || statementSql[at - 1] === "'")) return at;
  }
  return null;
}

/** A CREATE FUNCTION / PROCEDURE's body and language (the body is the first item of its AS). */
function functionBodyOf(options: Node[] | undefined): { body: string; language: string } | null {
  let body: string | null = null;
  let language = '';
  for (const option of options ?? []) {
    if (!('DefElem' in option)) continue;
    const arg = option.DefElem.arg;
    if (option.DefElem.defname === 'as' && arg && 'List' in arg) {
      const first = arg.List.items?.[0];
      body = first && 'String' in first ? first.String.sval ?? null : null;
    }
    if (option.DefElem.defname === 'language' && arg && 'String' in arg) language = (arg.String.sval ?? '').toLowerCase();
  }
  return body === null ? null : { body, language };
}

/** Dynamic queries: the statement type and the field holding the SQL text it builds at run time. */
const DYNAMIC_QUERIES: Record<string, string> = {
  PLpgSQL_stmt_dynexecute: 'query', PLpgSQL_stmt_dynfors: 'query', PLpgSQL_stmt_return_query: 'dynquery', PLpgSQL_stmt_open: 'dynquery',
};

/** The text of a PLpgSQL_expr field. */
function exprText(value: unknown): string | null {
  const query = (value as { PLpgSQL_expr?: { query?: string } } | undefined)?.PLpgSQL_expr?.query;
  return typeof query === 'string' ? query : null;
}

// The suffix of the branch that is a protected block's body (BEGIN … EXCEPTION … END).
const PROTECTED = ':try';
// Before the name an IF's THEN branch runs only when no object of that name exists.
const ABSENT = ':absent=';

// The existence tests of the guard idiom, each capturing the name it looks for:
// NOT EXISTS (SELECT … FROM pg_constraint WHERE conname = 'x' …), to_regclass('x') IS NULL.
const ABSENCE_TESTS = [
  /^\s*NOT\s+EXISTS\s*\(\s*SELECT\b[^;()]*?\bFROM\s+(?:pg_catalog\.)?(?:pg_constraint|pg_indexes|pg_class|pg_trigger|pg_proc|pg_type)\b[^;()]*?\bWHERE\s+(?:\w+\.)?(?:conname|indexname|relname|tgname|proname|typname)\s*=\s*'([^']+)'[^;()]*\)\s*$/i,
  /^\s*NOT\s+EXISTS\s*\(\s*SELECT\b[^;()]*?\bFROM\s+information_schema\.(?:table_constraints|triggers)\b[^;()]*?\bWHERE\s+(?:\w+\.)?(?:constraint_name|trigger_name)\s*=\s*'([^']+)'[^;()]*\)\s*$/i,
  /^\s*to_regclass\s*\(\s*'([^']+)'\s*\)\s+IS\s+NULL\s*$/i,
];

/** The name an IF's condition tests the absence of (the existence-guard idiom), or null for any other condition. */
function absenceTested(condition: string | null): string | null {
  // Only AND-ed further tests of the same row may follow the name: no OR, no second name.
  if (condition === null || /\bOR\b/i.test(condition)) return null;
  for (const test of ABSENCE_TESTS) {
    const name = test.exec(condition)?.[1];
    if (name !== undefined) return name;
  }
  return null;
}

/**
 * True when a declaration of `name` in these branches may not run although the object is absent:
 * a branch other than a protected block's body, or an existence guard of another name. Under
 * guards of its own name only, it runs whenever the object does not exist yet: absent at the end,
 * it is missing.
 */
export function mayNotCreate(conditions: readonly string[], name: string): boolean {
  return conditions.some((c) => !c.endsWith(PROTECTED) && !c.endsWith(`${ABSENT}${name}`));
}

/**
 * True when the branches include one that may not run at all (an IF's, a loop's body, a CASE's
 * arm, an exception handler). A protected block's body is not one: it always runs, and what it
 * declares is missing only when it failed (its handler then runs instead) or never ran.
 */
export function mayNotRun(conditions: readonly string[]): boolean {
  return conditions.some((c) => !c.endsWith(PROTECTED));
}

/**
 * The body's queries in body order with the branches they run in, and the expressions it
 * evaluates. A block without an EXCEPTION clause runs its statements in sequence; every other
 * statement list (an IF's branches, a loop's body, a CASE's arms, a protected block and its
 * handlers) is a branch of its own, named by a counter and the field holding it.
 */
function collectBody(tree: unknown, queries: BodyQuery[], expressions: string[]): void {
  let branches = 0;
  const visit = (item: unknown, conditions: readonly string[]): void => {
    if (Array.isArray(item)) {
      for (const value of item) visit(value, conditions);
      return;
    }
    if (item === null || typeof item !== 'object') return;
    for (const [type, value] of Object.entries(item as Record<string, unknown>)) {
      if (value === null || typeof value !== 'object') continue;
      const record = value as Record<string, unknown>;
      if (type === 'PLpgSQL_stmt_execsql') {
        const text = exprText(record.sqlstmt);
        if (text) queries.push({ text, via: 'body', conditions });
      } else if (type in DYNAMIC_QUERIES) {
        const field = DYNAMIC_QUERIES[type]!;
        const text = exprText(record[field]);
        if (text) queries.push({ text, via: 'execute', conditions });
        const branch = [...conditions, `${++branches}:body`];
        for (const [key, child] of Object.entries(record)) if (key !== field) visit(child, key === 'body' ? branch : conditions);
      } else if (type === 'PLpgSQL_expr') {
        const text = exprText(item);
        if (text) expressions.push(text);
      } else if (type === 'PLpgSQL_stmt_block') {
        const id = ++branches;
        visit(record.body, record.exceptions ? [...conditions, `${id}${PROTECTED}`] : conditions);
        visit(record.exceptions, [...conditions, `${id}:catch`]);
      } else if (type.startsWith('PLpgSQL_stmt_') || type === 'PLpgSQL_if_elsif' || type === 'PLpgSQL_case_when' || type === 'PLpgSQL_exception') {
        // Its expressions are evaluated where it stands; its statement lists are branches. An IF
        // that only tests that an object of a name does not exist marks its THEN branch with it.
        const id = ++branches;
        const absent = type === 'PLpgSQL_stmt_if' ? absenceTested(exprText(record.cond)) : null;
        for (const [key, child] of Object.entries(record)) {
          const branch = `${id}:${key}${absent !== null && key === 'then_body' ? `${ABSENT}${absent}` : ''}`;
          visit(child, isStatementList(child) ? [...conditions, branch] : conditions);
        }
      } else {
        visit(value, conditions);
      }
    }
  };
  visit(tree, []);
}

/** True for a list of PL/pgSQL statements (a branch), not an expression or a list of them. */
function isStatementList(value: unknown): boolean {
  return Array.isArray(value) && value.some((v) => v !== null && typeof v === 'object' && Object.keys(v).some((k) => k.startsWith('PLpgSQL_stmt_') || k === 'PLpgSQL_if_elsif' || k === 'PLpgSQL_case_when' || k === 'PLpgSQL_exception'));
}

/** The string a constant expression spells ('…', E'…', $$…$$), or null for anything else. */
export function literalValue(expression: string): string | null {
  try {
    const target = parseSql(`SELECT ${expression}`).stmts?.[0]?.stmt;
    const value = target && 'SelectStmt' in target ? target.SelectStmt.targetList?.[0] : undefined;
    const val = value && 'ResTarget' in value ? value.ResTarget.val : undefined;
    return val && 'A_Const' in val && val.A_Const.sval ? val.A_Const.sval.sval ?? null : null;
  } catch {
    return null;
  }
}

/** Where a literal's value starts inside its expression, when the value is the written text itself. */
function literalValueStart(expression: string, value: string): number | null {
  const dollar = /^\$[A-Za-z_0-9]*\$/.exec(expression);
  if (dollar) return dollar[0].length;
  if (expression.startsWith("'") && expression.slice(1, 1 + value.length) === value) return 1;
  return null;
}

function dollarTagFor(body: string): string {
  let tag = '$drydock$';
  for (let i = 0; body.includes(tag); i++) tag = `$drydock${i}$`;
  return tag;
}

/** The queries and expressions of a PL/pgSQL body, or null when the body does not parse (the server reports that when it runs). */
export function readPlpgsqlBody(body: string): { queries: BodyQuery[]; expressions: string[] } | null {
  const tag = dollarTagFor(body);
  const queries: BodyQuery[] = [];
  const expressions: string[] = [];
  try {
    collectBody(parsePlpgsql(`CREATE FUNCTION drydock_do() RETURNS void LANGUAGE plpgsql AS ${tag}${body}${tag}`), queries, expressions);
  } catch {
    return null;
  }
  return { queries, expressions };
}

/** The queries a PL/pgSQL body runs, in body order, or null when the body does not parse. */
export function plpgsqlQueries(body: string): BodyQuery[] | null {
  return readPlpgsqlBody(body)?.queries ?? null;
}

/** The body a DO statement, or a CREATE FUNCTION / PROCEDURE, runs (null for any other statement). */
function runnableBodyOf(node: Node): { body: string; language: string } | null {
  return 'DoStmt' in node ? doBodyOf(node.DoStmt) : 'CreateFunctionStmt' in node ? functionBodyOf(node.CreateFunctionStmt.options) : null;
}

const UNREADABLE: StatementBody = Object.freeze({ readable: false, statements: [], dynamic: [], unread: 0, expressions: [] });

/**
 * What a DO statement, or a CREATE FUNCTION / PROCEDURE in PL/pgSQL, runs: its statements in body
 * order with their places and branches, the SQL it builds at run time, and its other expressions.
 * Null for a statement that has no body. `statementSql` and `statementStart` are the statement's
 * text and its file offset.
 */
export function bodyOf(node: Node, statementSql: string, statementStart: number): StatementBody | null {
  const found = runnableBodyOf(node);
  if (!found) return null;
  if (found.language !== 'plpgsql') return UNREADABLE;
  const { body } = found;
  const read = readPlpgsqlBody(body);
  if (!read) return UNREADABLE;
  const bodyAt = statementSql.indexOf(body);
  const bodyStart = bodyAt >= 0 ? statementStart + bodyAt : null;
  const whole: OffsetRange = { start: statementStart, end: statementStart + statementSql.length };
  const out: StatementBody = { readable: true, statements: [], dynamic: [], unread: 0, expressions: read.expressions };
  let cursor = 0;
  for (const query of read.queries) {
    const at = body.indexOf(query.text, cursor);
    if (at >= 0) cursor = at + query.text.length;
    let sql = query.text;
    let sqlStart = bodyStart !== null && at >= 0 ? bodyStart + at : null;
    if (query.via === 'execute') {
      const value = literalValue(query.text);
      if (value === null) {
        out.dynamic.push({ conditions: query.conditions });
        continue;
      }
      const offset = literalValueStart(query.text, value);
      sqlStart = sqlStart !== null && offset !== null ? sqlStart + offset : null;
      sql = value;
    }
    let parsed;
    try {
      parsed = parseSql(sql);
    } catch {
      out.unread += 1; // PL/pgSQL-only syntax (INTO, variables): not a statement the rules can read
      continue;
    }
    const toUtf16 = new OffsetConverter(sql, 'byte');
    for (const raw of parsed.stmts ?? []) {
      if (!raw.stmt) continue;
      const start = toUtf16.toUtf16(raw.stmt_location ?? 0);
      let end = raw.stmt_len ? toUtf16.toUtf16((raw.stmt_location ?? 0) + raw.stmt_len) : sql.length;
      while (end > start && /\s/.test(sql[end - 1] ?? '')) end -= 1;
      const offsets = sqlStart !== null ? { start: sqlStart + start, end: sqlStart + end } : whole;
      out.statements.push({ sql, node: raw.stmt, offsets, sqlStart, via: query.via, conditions: query.conditions });
    }
  }
  return out;
}

/**
 * The statements a DO statement, or a CREATE FUNCTION / PROCEDURE in PL/pgSQL, runs, in body
 * order. `statementSql` and `statementStart` are the statement's text and its file offset.
 */
export function innerStatementsOf(node: Node, statementSql: string, statementStart: number): InnerStatement[] {
  return bodyOf(node, statementSql, statementStart)?.statements ?? [];
}

/** True when the DO block EXECUTEs SQL built at run time (format(), concatenation): what it does cannot be read from the file. */
export function runsDynamicSql(node: Node): boolean {
  return 'DoStmt' in node && (bodyOf(node, '', 0)?.dynamic.length ?? 0) > 0;
}

/**
 * The first COMMIT or ROLLBACK a DO block's PL/pgSQL body holds, with its line in the body (line 1
 * is the one the body starts on), or null. PostgreSQL refuses it (2D000) when the DO block runs
 * inside a transaction block; outside one, it commits the work done so far.
 */
export function transactionEndInDo(node: Node): { kind: 'COMMIT' | 'ROLLBACK'; bodyLine: number } | null {
  const found = 'DoStmt' in node ? doBodyOf(node.DoStmt) : null;
  if (!found || found.language !== 'plpgsql' || !/\b(?:commit|rollback)\b/i.test(found.body)) return null;
  const tag = dollarTagFor(found.body);
  let tree: unknown;
  try {
    tree = parsePlpgsql(`CREATE FUNCTION drydock_do() RETURNS void LANGUAGE plpgsql AS ${tag}${found.body}${tag}`);
  } catch {
    return null;
  }
  // Its own stack: a body may nest deeper than the call stack allows.
  const pending: unknown[] = [tree];
  let first: { kind: 'COMMIT' | 'ROLLBACK'; bodyLine: number } | null = null;
  while (pending.length > 0) {
    const item = pending.pop();
    if (item === null || typeof item !== 'object') continue;
    for (const [key, value] of Object.entries(item as Record<string, unknown>)) {
      if (key === 'PLpgSQL_stmt_commit' || key === 'PLpgSQL_stmt_rollback') {
        const bodyLine = Number((value as { lineno?: number }).lineno ?? 1);
        if (!first || bodyLine < first.bodyLine) first = { kind: key === 'PLpgSQL_stmt_commit' ? 'COMMIT' : 'ROLLBACK', bodyLine };
      }
      if (value !== null && typeof value === 'object') pending.push(value);
    }
  }
  return first;
}
