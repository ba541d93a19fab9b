// SQL that a DO block runs: its plain statements and `EXECUTE '<literal>'` strings, found through
// the real PL/pgSQL parser. Dynamic SQL built at run time (format(), concatenation) is not knowable.
import type { DoStmt, Node } from './pgTypes';
import { parsePlpgsql, parseSql } from './pgParser';

function doBody(stmt: DoStmt): { body: string; language: string } | null {
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

function dollarTagFor(body: string): string {
  let tag = '$drydock$';
  for (let i = 0; body.includes(tag); i++) tag = `$drydock${i}$`;
  return tag;
}

function literalSql(expression: string): string | null {
  try {
    const parsed = parseSql(`SELECT ${expression}`);
    const target = parsed.stmts?.[0]?.stmt;
    const value = target && 'SelectStmt' in target ? target.SelectStmt.targetList?.[0] : undefined;
    const val = value && 'ResTarget' in value ? value.ResTarget.val : undefined;
    return val && 'A_Const' in val && val.A_Const.sval ? val.A_Const.sval.sval ?? null : null;
  } catch {
    return null;
  }
}

function collectQueries(tree: unknown, out: string[]): void {
  if (Array.isArray(tree)) {
    for (const item of tree) collectQueries(item, out);
    return;
  }
  if (!tree || typeof tree !== 'object') return;
  const record = tree as Record<string, unknown>;
  const execsql = record.PLpgSQL_stmt_execsql as { sqlstmt?: { PLpgSQL_expr?: { query?: string } } } | undefined;
  if (execsql?.sqlstmt?.PLpgSQL_expr?.query) out.push(execsql.sqlstmt.PLpgSQL_expr.query);
  const dyn = record.PLpgSQL_stmt_dynexecute as { query?: { PLpgSQL_expr?: { query?: string } } } | undefined;
  const literal = dyn?.query?.PLpgSQL_expr?.query ? literalSql(dyn.query.PLpgSQL_expr.query) : null;
  if (literal) out.push(literal);
  for (const value of Object.values(record)) collectQueries(value, out);
}

/** The parse trees (with their SQL) of the statements a DO block runs, as far as they are knowable. */
export function statementsInDoBlock(stmt: DoStmt): { sql: string; node: Node }[] {
  const found = doBody(stmt);
  if (!found || found.language !== 'plpgsql') return [];
  const tag = dollarTagFor(found.body);
  const queries: string[] = [];
  try {
    collectQueries(parsePlpgsql(`CREATE FUNCTION drydock_do() RETURNS void LANGUAGE plpgsql AS ${tag}${found.body}${tag}`), queries);
  } catch {
    return []; // the server will report the body's own syntax error when it runs
  }
  const statements: { sql: string; node: Node }[] = [];
  for (const sql of queries) {
    try {
      for (const raw of parseSql(sql).stmts ?? []) if (raw.stmt) statements.push({ sql, node: raw.stmt });
    } catch {
      // PL/pgSQL-only syntax (e.g. INTO) or dynamic fragments: nothing to declare
    }
  }
  return statements;
}
