// What a statement's rewrites and scans would cost on a production-sized database, from a
// read-only reference connection. Only statistics are read there — pg_class's reltuples and
// relpages (no lock: pg_relation_size would take one), pg_stat_user_tables, and the sessions that
// hold locks on the tables now — in a READ ONLY transaction on a session that is read-only from its
// first statement, with a lock_timeout so short that nothing can ever queue. The estimate scales
// the dev run's measured time by the ratio of sizes (bytes, else rows) and is shown as a range.
import type { DatabaseBackend } from '../db/backend';
import { withSession } from '../db/withSession';
import type { MeasuredLock, RunReport, StatementImpact, StatementReport } from '../model/report';
import { bytesText, durationRangeText, durationText, rowsText } from '../model/quantities';
import { isLockMode, lockModeSql, LOCK_MODES, type LockMode } from '../sql/lockModes';
import { maxOf } from '../model/arrays';

const REFERENCE_QUERY = `
WITH wanted AS (SELECT n, to_regclass(n) AS oid FROM jsonb_array_elements_text($1::jsonb) AS n),
bs AS (SELECT current_setting('block_size')::bigint AS b)
SELECT json_build_object(
  'relations', (SELECT coalesce(json_agg(json_build_array(w.n,
      CASE WHEN c.reltuples >= 0 THEN c.reltuples ELSE coalesce(s.n_live_tup, 0) END,
      (c.relpages::bigint + coalesce(t.relpages, 0)) * (SELECT b FROM bs))), '[]')
    FROM wanted w JOIN pg_class c ON c.oid = w.oid LEFT JOIN pg_class t ON t.oid = c.reltoastrelid
    LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid),
  'holders', (SELECT coalesce(json_agg(json_build_array(w.n, a.pid, coalesce(a.state, ''),
      coalesce(extract(epoch FROM now() - a.xact_start) * 1000, 0), l.mode)), '[]')
    FROM wanted w JOIN pg_locks l ON l.locktype = 'relation' AND l.relation = w.oid AND l.granted
    JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.pid <> pg_backend_pid())
) AS answer`;

interface ReferenceRelation {
  rows: number;
  bytes: number;
}

interface Holder {
  pid: number;
  state: string;
  transactionAgeMs: number;
}

/** The reference's statistics for these relations (as the dev run names them) and who holds locks on them. */
export async function readReference(reference: DatabaseBackend, relations: readonly string[]): Promise<{ relations: Map<string, ReferenceRelation>; holders: Map<string, Holder[]> }> {
  return withSession(reference, async (session) => {
    await session.query('BEGIN READ ONLY');
    try {
      // Reading statistics never waits for a lock; should anything ever try, it fails at once instead of queueing.
      await session.query("SET LOCAL lock_timeout = '10ms'");
      const answer = (await session.query(REFERENCE_QUERY, [JSON.stringify(relations)])).rows[0]?.answer as {
        relations: [string, number, number][];
        holders: [string, number, string, number, string][];
      };
      const holders = new Map<string, Holder[]>();
      for (const [name, pid, state, age] of answer.holders) holders.set(name, [...holders.get(name) ?? [], { pid: Number(pid), state, transactionAgeMs: Number(age) }]);
      return { relations: new Map(answer.relations.map(([name, rows, bytes]) => [name, { rows: Number(rows), bytes: Number(bytes) }])), holders };
    } finally {
      await session.query('ROLLBACK').catch(() => undefined);
    }
  });
}

function strongest(locks: readonly MeasuredLock[], relation: string): MeasuredLock | null {
  const modes = locks.filter((l) => l.relation === relation && isLockMode(l.mode));
  return modes.sort((a, b) => LOCK_MODES.indexOf(b.mode as LockMode) - LOCK_MODES.indexOf(a.mode as LockMode))[0] ?? null;
}

/** The estimate for one rewrite or scan of `relation`, or null when the dev run's size is unknown. */
function estimate(statement: StatementReport, verb: string, relation: string, dev: { rows: number; bytes: number }, ref: ReferenceRelation, holders: Holder[]): StatementImpact | null {
  // Time scales with the bytes read and written; rows stand in when the dev table's pages are unknown (never analyzed).
  const ratio = dev.bytes > 0 && ref.bytes > 0 ? ref.bytes / dev.bytes : dev.rows > 0 ? ref.rows / dev.rows : null;
  if (ratio === null) return null;
  const middle = statement.durationMs * Math.max(ratio, 1);
  const low = middle / 2;
  const high = middle * 2;
  const lock = strongest(statement.locks, relation);
  const under = lock ? `under ${lockModeSql(lock.mode as LockMode)}` : 'under a lock taken earlier in the run';
  const waiting = lock ? `, during which ${lock.blocks} of ${relation} wait` : '';
  const queue = holders.length > 0
    ? `; it would queue behind ${holders.length} session(s) holding locks on it now (oldest transaction ${durationText(maxOf(holders.map((h) => h.transactionAgeMs)))})`
    : '';
  return {
    relation, rows: ref.rows, bytes: ref.bytes, estimateMs: { low, high }, lock: lock ? `${lockModeSql(lock.mode as LockMode)} (blocks ${lock.blocks})` : null, waitsBehind: holders,
    summary: `${verb} ${relation} (${rowsText(ref.rows)} rows, ${bytesText(ref.bytes)}) ${under}: ~${durationRangeText({ low, high })}${waiting}${queue}`,
  };
}

/** Fills each measured statement's `impact` from the reference's statistics. */
export async function estimateImpact(report: RunReport, reference: DatabaseBackend): Promise<void> {
  const measured = report.statements.filter((s) => s.rewrites.some((r) => r.kind === 'table' || r.kind === 'materialized view') || s.scans.length > 0);
  const relations = [...new Set(measured.flatMap((s) => [...s.rewrites.map((r) => r.relation), ...s.scans.map((sc) => sc.relation)]))];
  if (relations.length === 0) return;
  const { relations: stats, holders } = await readReference(reference, relations);
  for (const s of measured) {
    const impacts: StatementImpact[] = [];
    for (const r of s.rewrites.filter((w) => w.kind === 'table' || w.kind === 'materialized view')) {
      const ref = stats.get(r.relation);
      const found = ref ? estimate(s, 'rewrites', r.relation, r, ref, holders.get(r.relation) ?? []) : null;
      if (found) impacts.push(found);
    }
    for (const scan of s.scans.filter((sc) => !s.rewrites.some((r) => r.relation === sc.relation))) {
      const ref = stats.get(scan.relation);
      const found = ref ? estimate(s, `scans (${scan.reason})`, scan.relation, scan, ref, holders.get(scan.relation) ?? []) : null;
      if (found) impacts.push(found);
    }
    if (impacts.length > 0) s.impact = impacts;
  }
}
