// Read-only queries that show why a statement failed: the duplicate keys, the rows violating a
// CHECK, the NULLs, the orphans, or the sessions holding the lock the migration waited for.
import type { ConstraintDeclaration, IndexDeclaration } from '../parse/declarations';
import type { ParsedStatement } from '../parse/parseMigration';
import { ROWS_TO_FILL, type ErrorReport } from '../model/report';
import { indexColumnSql, qualifiedSql, quoteIdent, quoteLiteral, relationSql } from '../sql/quoting';

const LIMIT = 100;

function declaredIndexes(statement: ParsedStatement): IndexDeclaration[] {
  return statement.effects.flatMap((e) => (e.action === 'declare' && e.declaration.kind === 'index' ? [e.declaration] : []));
}

function declaredConstraints(statement: ParsedStatement): ConstraintDeclaration[] {
  return statement.effects.flatMap((e) => (e.action === 'declare' && e.declaration.kind === 'constraint' ? [e.declaration] : []));
}

function keyColumnsOf(detail: string | undefined): string[] {
  const match = /^Key \((.*?)\)=/.exec(detail ?? '');
  return match?.[1] ? match[1].split(',').map((c) => c.trim()) : [];
}

function duplicatesQuery(statement: ParsedStatement, error: ErrorReport): string | null {
  const named = (d: { name: string }) => !error.constraint || d.name === error.constraint;
  const index = declaredIndexes(statement).find((d) => d.unique && named(d));
  const constraint = declaredConstraints(statement).find((d) => (d.type === 'unique' || d.type === 'primary-key') && named(d));
  const source = index ?? constraint;
  const table = source ? relationSql(source.schema, source.table) : error.table ? relationSql(error.schema ?? null, error.table) : null;
  const columns = source ? source.columns.map(indexColumnSql) : keyColumnsOf(error.detail);
  if (!table || columns.length === 0) return null;
  const list = columns.join(', ');
  const where = index?.predicate ? `\nWHERE ${index.predicate}` : '';
  return `SELECT ${list}, count(*) AS duplicates\nFROM ${table}${where}\nGROUP BY ${list}\nHAVING count(*) > 1\nORDER BY count(*) DESC, ${list}\nLIMIT ${LIMIT}`;
}

function checkViolationsQuery(statement: ParsedStatement, error: ErrorReport): string | null {
  const checks = declaredConstraints(statement).filter((d) => d.type === 'check' && d.expression);
  const check = checks.find((d) => d.name === error.constraint) ?? checks[0];
  if (!check?.expression) return null;
  // NOT (expr) is true only where the CHECK is false; NULL results pass a CHECK, and pass here too.
  return `SELECT *\nFROM ${relationSql(check.schema, check.table)}\nWHERE NOT (${check.expression})\nLIMIT ${LIMIT}`;
}

function addsColumn(statement: ParsedStatement): boolean {
  return 'AlterTableStmt' in statement.node && (statement.node.AlterTableStmt.cmds ?? []).some(
    (c) => 'AlterTableCmd' in c && c.AlterTableCmd.subtype === 'AT_AddColumn');
}

function nullsQuery(statement: ParsedStatement, error: ErrorReport): string | null {
  if (!error.table || !error.column) return null;
  const addsThatColumn = addsColumn(statement);
  // The new column does not exist yet: every row of the table is one to fill, so the query counts
  // them (the evidence a backfill plan sizes itself by: one UPDATE for a few rows, batches otherwise).
  if (addsThatColumn) return `SELECT count(*) AS ${ROWS_TO_FILL}\nFROM ${relationSql(error.schema ?? null, error.table)}`;
  return `SELECT *\nFROM ${relationSql(error.schema ?? null, error.table)}\nWHERE ${quoteIdent(error.column)} IS NULL\nLIMIT ${LIMIT}`;
}

function orphansQuery(statement: ParsedStatement, referencedKey: string[] | null): string | null {
  const fk = declaredConstraints(statement).find((d) => d.type === 'foreign-key' && d.references);
  if (!fk?.references) return null;
  const parentColumns = fk.references.columns.length > 0 ? fk.references.columns : referencedKey ?? [];
  if (parentColumns.length !== fk.columns.length || parentColumns.length === 0) return null;
  const notNull = fk.columns.map((c) => `c.${quoteIdent(c)} IS NOT NULL`).join(' AND ');
  const join = fk.columns.map((c, i) => `p.${quoteIdent(parentColumns[i]!)} = c.${quoteIdent(c)}`).join(' AND ');
  return `SELECT c.*\nFROM ${relationSql(fk.schema, fk.table)} c\nWHERE ${notNull}\n  AND NOT EXISTS (SELECT 1 FROM ${relationSql(fk.references.schema, fk.references.table)} p WHERE ${join})\nLIMIT ${LIMIT}`;
}

function lockHoldersQuery(statement: ParsedStatement): string | null {
  if (statement.tables.length === 0) return null;
  const relations = statement.tables.map((t) => `to_regclass(${quoteLiteral(qualifiedSql(t))})`).join(', ');
  return 'SELECT a.pid, a.state, a.usename AS user, a.application_name, l.mode, a.xact_start AS since,\n'
    + '       now() - a.xact_start AS held_for, a.query\n'
    + 'FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid\n'
    + `WHERE l.granted AND l.pid <> pg_backend_pid() AND l.relation = ANY (ARRAY[${relations}])\n`
    + 'ORDER BY a.xact_start';
}

/** `DELETE` of the rows a CHECK rejects: exactly those the violations query lists. */
function checkCleanup(statement: ParsedStatement, error: ErrorReport): string | null {
  const checks = declaredConstraints(statement).filter((d) => d.type === 'check' && d.expression);
  const check = checks.find((d) => d.name === error.constraint) ?? checks[0];
  return check?.expression ? `DELETE FROM ${relationSql(check.schema, check.table)}\nWHERE NOT (${check.expression})` : null;
}

/**
 * `DELETE` of every row but the first (by physical position) of each duplicate key; only for plain
 * columns and no partial predicate, where "duplicate" means exactly what the unique index rejects.
 */
function duplicatesCleanup(statement: ParsedStatement, error: ErrorReport): string | null {
  const named = (d: { name: string }) => !error.constraint || d.name === error.constraint;
  const index = declaredIndexes(statement).find((d) => d.unique && named(d));
  const constraint = declaredConstraints(statement).find((d) => (d.type === 'unique' || d.type === 'primary-key') && named(d));
  const source = index ?? constraint;
  if (!source || index?.predicate || source.columns.length === 0 || !source.columns.every((c) => /^[A-Za-z_][A-Za-z0-9_$]*$/.test(c))) return null;
  const table = relationSql(source.schema, source.table);
  const same = source.columns.map((c) => `a.${quoteIdent(c)} = b.${quoteIdent(c)}`).join(' AND ');
  return `DELETE FROM ${table} a\nUSING ${table} b\nWHERE a.ctid > b.ctid AND ${same}`;
}

/** The statement that removes what the fix query of `error` lists, where Drydock can write it exactly. */
export function buildCleanup(statement: ParsedStatement, error: ErrorReport): string | null {
  if (error.sqlstate === '23514') return checkCleanup(statement, error);
  if (error.sqlstate === '23505') return duplicatesCleanup(statement, error);
  return null;
}

/** The foreign-key declaration whose referenced key must be looked up, if the fix query needs one. */
export function referencedTableNeedingKey(statement: ParsedStatement): { schema: string | null; table: string } | null {
  const fk = declaredConstraints(statement).find((d) => d.type === 'foreign-key' && d.references && d.references.columns.length === 0);
  return fk?.references ? { schema: fk.references.schema, table: fk.references.table } : null;
}

interface FixQuery {
  /** The sentence the error's hint gains when the query was built: what it lists. */
  lists: string;
  /**
   * The query looks at the data as the failing statement found it (the rows the migration's
   * earlier statements left), not only at other sessions.
   */
  needsState: boolean;
  build(statement: ParsedStatement, error: ErrorReport, referencedKey: string[] | null): string | null;
  /** What this statement's query does, when it is not what `lists` says. */
  listsFor?(statement: ParsedStatement): string | null;
}

const FIX_QUERIES: Readonly<Record<string, FixQuery>> = {
  '23505': { needsState: true, lists: 'The fix query lists the duplicate groups.', build: (s, e) => duplicatesQuery(s, e) },
  '23514': { needsState: true, lists: 'The fix query lists the violating rows.', build: (s, e) => checkViolationsQuery(s, e) },
  '23502': {
    needsState: true, lists: 'The fix query lists the rows with NULL.', build: (s, e) => nullsQuery(s, e),
    listsFor: (s) => (addsColumn(s) ? 'The fix query counts the rows the new column must fill.' : null),
  },
  '23503': { needsState: true, lists: 'The fix query lists the orphan rows.', build: (s, _e, key) => orphansQuery(s, key) },
  '55P03': { needsState: false, lists: 'The fix query lists the sessions holding the lock.', build: (s) => lockHoldersQuery(s) },
};

/** Whether a fix query exists for this SQLSTATE, whether it needs the failing transaction's data, and what it lists. */
export function fixQueryFor(sqlstate: string): { needsState: boolean; lists: string } | null {
  const found = FIX_QUERIES[sqlstate];
  return found ? { needsState: found.needsState, lists: found.lists } : null;
}

/** The sentence the hint gains for the fix query built for `statement`. */
export function fixQueryListing(statement: ParsedStatement, sqlstate: string): string {
  const found = FIX_QUERIES[sqlstate];
  return found?.listsFor?.(statement) ?? found?.lists ?? '';
}

/** A read-only query that finds what made `statement` fail with `error`, or null when none helps. */
export function buildFixQuery(statement: ParsedStatement, error: ErrorReport, referencedKey: string[] | null = null): string | null {
  return FIX_QUERIES[error.sqlstate]?.build(statement, error, referencedKey) ?? null;
}
