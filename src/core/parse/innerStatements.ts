// The statements a DO block (or a PL/pgSQL function's body) runs, with their place in the file:
// plain SQL statements of the body and `EXECUTE '<literal>'` strings, so rules can judge them where
// they are written. Bodies are dollar-quoted in practice; their text is then the file's text, so an
// inner statement's offsets map one to one. Dynamic SQL built at run time (format(), ||) is not knowable.
import type { DoStmt, Node } from './pgTypes';
import type { OffsetRange } from '../model/positions';
import { OffsetConverter } from '../model/lineIndex';
import { parsePlpgsql, parseSql } from './pgParser';
import { walkTree } from './treeWalk';

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
}

export interface BodyQuery {
  /** The query (or the EXECUTE's literal expression) as written in the body. */
  text: string;
  via: 'body' | 'execute';
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

function collectBodyQueries(tree: unknown, out: BodyQuery[]): void {
  walkTree(tree, (record) => {
    const execsql = record.PLpgSQL_stmt_execsql as { sqlstmt?: { PLpgSQL_expr?: { query?: string } } } | undefined;
    if (execsql?.sqlstmt?.PLpgSQL_expr?.query) out.push({ text: execsql.sqlstmt.PLpgSQL_expr.query, via: 'body' });
    const dynamic = record.PLpgSQL_stmt_dynexecute as { query?: { PLpgSQL_expr?: { query?: string } } } | undefined;
    if (dynamic?.query?.PLpgSQL_expr?.query) out.push({ text: dynamic.query.PLpgSQL_expr.query, via: 'execute' });
  });
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

/** The queries a PL/pgSQL body runs, in body order, or null when the body does not parse (the server reports that when it runs). */
export function plpgsqlQueries(body: string): BodyQuery[] | null {
  const tag = dollarTagFor(body);
  const queries: BodyQuery[] = [];
  try {
    collectBodyQueries(parsePlpgsql(`CREATE FUNCTION drydock_do() RETURNS void LANGUAGE plpgsql AS ${tag}${body}${tag}`), queries);
  } catch {
    return null;
  }
  return queries;
}

/**
 * The statements a DO statement, or a CREATE FUNCTION / PROCEDURE in PL/pgSQL, runs, in body
 * order. `statementSql` and `statementStart` are the statement's text and its file offset.
 */
export function innerStatementsOf(node: Node, statementSql: string, statementStart: number): InnerStatement[] {
  const found = 'DoStmt' in node ? doBodyOf(node.DoStmt) : 'CreateFunctionStmt' in node ? functionBodyOf(node.CreateFunctionStmt.options) : null;
  if (!found || found.language !== 'plpgsql') return [];
  const { body } = found;
  const queries = plpgsqlQueries(body);
  if (!queries) return [];
  const bodyAt = statementSql.indexOf(body);
  const bodyStart = bodyAt >= 0 ? statementStart + bodyAt : null;
  const whole: OffsetRange = { start: statementStart, end: statementStart + statementSql.length };
  const out: InnerStatement[] = [];
  let cursor = 0;
  for (const query of queries) {
    const at = body.indexOf(query.text, cursor);
    if (at >= 0) cursor = at + query.text.length;
    let sql = query.text;
    let sqlStart = bodyStart !== null && at >= 0 ? bodyStart + at : null;
    if (query.via === 'execute') {
      const value = literalValue(query.text);
      if (value === null) continue; // built at run time
      const offset = literalValueStart(query.text, value);
      sqlStart = sqlStart !== null && offset !== null ? sqlStart + offset : null;
      sql = value;
    }
    let parsed;
    try {
      parsed = parseSql(sql);
    } catch {
      continue; // PL/pgSQL-only syntax (INTO, variables): not a statement the rules can read
    }
    const toUtf16 = new OffsetConverter(sql, 'byte');
    for (const raw of parsed.stmts ?? []) {
      if (!raw.stmt) continue;
      const start = toUtf16.toUtf16(raw.stmt_location ?? 0);
      let end = raw.stmt_len ? toUtf16.toUtf16((raw.stmt_location ?? 0) + raw.stmt_len) : sql.length;
      while (end > start && /\s/.test(sql[end - 1] ?? '')) end -= 1;
      const offsets = sqlStart !== null ? { start: sqlStart + start, end: sqlStart + end } : whole;
      out.push({ sql, node: raw.stmt, offsets, sqlStart, via: query.via });
    }
  }
  return out;
}
