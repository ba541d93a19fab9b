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

/** What a PL/pgSQL body runs: its plain statements and EXECUTE literals, and whether it EXECUTEs SQL built at run time. */
interface BodyQueries {
  queries: string[];
  dynamic: boolean;
}

function collectQueries(tree: unknown, out: BodyQueries): void {
  if (Array.isArray(tree)) {
    for (const item of tree) collectQueries(item, out);
    return;
  }
  if (!tree || typeof tree !== 'object') return;
  const record = tree as Record<string, unknown>;
  const execsql = record.PLpgSQL_stmt_execsql as { sqlstmt?: { PLpgSQL_expr?: { query?: string } } } | undefined;
  if (execsql?.sqlstmt?.PLpgSQL_expr?.query) out.queries.push(execsql.sqlstmt.PLpgSQL_expr.query);
  const dyn = record.PLpgSQL_stmt_dynexecute as { query?: { PLpgSQL_expr?: { query?: string } } } | undefined;
  const literal = dyn?.query?.PLpgSQL_expr?.query ? literalSql(dyn.query.PLpgSQL_expr.query) : null;
  if (literal) out.queries.push(literal);
  else if (dyn) out.dynamic = true;
  for (const value of Object.values(record)) collectQueries(value, out);
}

/** The body's queries, or null when it is not PL/pgSQL or does not parse. */
function bodyQueries(stmt: DoStmt): BodyQueries | null {
  const found = doBody(stmt);
  if (!found || found.language !== 'plpgsql') return null;
  const tag = dollarTagFor(found.body);
  const out: BodyQueries = { queries: [], dynamic: false };
  try {
    collectQueries(parsePlpgsql(`CREATE FUNCTION drydock_do() RETURNS void LANGUAGE plpgsql AS ${tag}${found.body}${tag}`), out);
  } catch {
    return null; // the server will report the body's own syntax error when it runs
  }
  return out;
}

/** True when the DO block EXECUTEs SQL built at run time (format(), concatenation): what it does cannot be read from the file. */
export function runsDynamicSql(stmt: DoStmt): boolean {
  return bodyQueries(stmt)?.dynamic ?? false;
}

/** The parse trees (with their SQL) of the statements a DO block runs, as far as they are knowable. */
export function statementsInDoBlock(stmt: DoStmt): { sql: string; node: Node }[] {
  const found = bodyQueries(stmt);
  if (!found) return [];
  const statements: { sql: string; node: Node }[] = [];
  for (const sql of found.queries) {
    try {
      for (const raw of parseSql(sql).stmts ?? []) if (raw.stmt) statements.push({ sql, node: raw.stmt });
    } catch {
      // PL/pgSQL-only syntax (e.g. INTO) or dynamic fragments: nothing to declare
    }
  }
  return statements;
}
