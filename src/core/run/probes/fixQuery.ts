// After a failure, the read-only query that shows why (duplicate keys, violating rows, NULLs,
// orphans, lock holders), run for the user with its rows attached to the error.
import type { Session } from '../../db/backend';
import { relationSql } from '../../sql/quoting';
import { buildCleanup, buildFixQuery, fixQueryFor, fixQueryListing, referencedTableNeedingKey } from '../fixQueries';
import type { ProbeFactory } from './probe';

const FIX_ROW_LIMIT = 100;

async function primaryKeyOf(session: Session, schema: string | null, table: string): Promise<string[] | null> {
  const result = await session.query(
    `SELECT array_agg(a.attname ORDER BY k.n)::text[] AS cols FROM pg_constraint c
     CROSS JOIN unnest(c.conkey) WITH ORDINALITY k(attnum, n) JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
     WHERE c.conrelid = to_regclass($1) AND c.contype = 'p'`, [relationSql(schema, table)]);
  return (result.rows[0]?.cols as string[] | null) ?? null;
}

export const fixQueryProbe: ProbeFactory = ({ session, settings, report: run, reopen }) => (!settings.runFixQueries ? null : {
  name: 'fix-query',
  // It asks only after a failure.
  quietFor: () => true,
  after: async ({ statement }, { error, sessionUsable, connectionLost }) => {
    const plan = error ? fixQueryFor(error.sqlstate) : null;
    if (!error || !plan || connectionLost) return;
    // The failure aborted the transaction: rebuild it, with the earlier statements' data when the query needs it.
    if (!sessionUsable && !(await reopen(plan.needsState ? statement : null))) return;
    const referenced = referencedTableNeedingKey(statement);
    const key = referenced ? await primaryKeyOf(session, referenced.schema, referenced.table) : null;
    const fixQuery = buildFixQuery(statement, error, key);
    if (!fixQuery) return;
    error.fixQuery = fixQuery;
    // Only now does the hint promise a fix query, saying what this one does.
    const lists = fixQueryListing(statement, error.sqlstate);
    error.hint = error.hint ? `${error.hint} ${lists}` : lists;
    if (run.transactional) {
      await session.query('SET LOCAL transaction_read_only = on');
      error.fixRows = (await session.query(`SELECT * FROM (${fixQuery}) AS fix LIMIT ${FIX_ROW_LIMIT}`)).rows;
    } else {
      await session.query('BEGIN READ ONLY');
      try {
        error.fixRows = (await session.query(`SELECT * FROM (${fixQuery}) AS fix LIMIT ${FIX_ROW_LIMIT}`)).rows;
      } finally {
        await session.query('ROLLBACK');
      }
    }
    // A cleanup is offered only for what the query found: no rows, no evidence, no fix.
    const cleanup = error.fixRows.length > 0 ? buildCleanup(statement, error) : null;
    if (cleanup) error.cleanup = cleanup;
  },
});
