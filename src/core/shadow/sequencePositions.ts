// Where every sequence stands. nextval() and setval() are not undone by a rollback, so a dry-run
// on the kept-alive PGlite shadow would move its sequences for every later run; the shadow puts
// them back where the replay left them when the run ends.
import type { Session } from '../db/backend';

/** Each sequence's last value (null: never called), by oid, as JSON. */
export type SequencePositions = string;

/** Reads where every sequence of the database stands. */
export async function readSequencePositions(session: Session): Promise<SequencePositions> {
  const result = await session.query(
    `SELECT coalesce(pg_catalog.json_agg(pg_catalog.json_build_object('oid', c.oid, 'last', pg_catalog.pg_sequence_last_value(c.oid)))::text, '[]') AS positions
     FROM pg_catalog.pg_class c WHERE c.relkind = 'S' AND c.relpersistence <> 't'`);
  return String(result.rows[0]?.positions ?? '[]');
}

/** Puts every sequence that still exists back where it stood (a never-called one back to its start). */
export async function restoreSequencePositions(session: Session, positions: SequencePositions): Promise<void> {
  await session.query(
    `SELECT pg_catalog.setval(s.seqrelid, coalesce(v.last, s.seqstart), v.last IS NOT NULL)
     FROM pg_catalog.json_to_recordset($1::json) AS v(oid oid, last bigint)
     JOIN pg_catalog.pg_sequence s ON s.seqrelid = v.oid
     WHERE pg_catalog.pg_sequence_last_value(s.seqrelid) IS DISTINCT FROM v.last`, [positions]);
}
