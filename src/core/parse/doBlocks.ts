// SQL that a DO block runs: its plain statements and `EXECUTE '<literal>'` strings, found through
// the real PL/pgSQL parser. Dynamic SQL built at run time (format(), concatenation) is not knowable.
import type { DoStmt, Node } from './pgTypes';
import { doBodyOf, literalValue, plpgsqlQueries } from './innerStatements';
import { parseSql } from './pgParser';

/** What a PL/pgSQL body runs: its plain statements and EXECUTE literals, and whether it EXECUTEs SQL built at run time. */
interface BodyQueries {
  queries: string[];
  dynamic: boolean;
}

/** The body's queries, or null when it is not PL/pgSQL or does not parse. */
function bodyQueries(stmt: DoStmt): BodyQueries | null {
  const found = doBodyOf(stmt);
  if (!found || found.language !== 'plpgsql') return null;
  const queries = plpgsqlQueries(found.body);
  if (!queries) return null;
  const out: BodyQueries = { queries: [], dynamic: false };
  for (const query of queries) {
    const sql = query.via === 'body' ? query.text : literalValue(query.text);
    if (sql) out.queries.push(sql);
    else out.dynamic = true;
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
