// What each statement did to the tables it touches, measured in one catalog query between
// statements: the locks it newly holds (pg_locks of this backend; held until the transaction
// ends, so the time each one is held runs to the end of the run), the relations it rewrote
// (relfilenode changed: the table, its indexes, its TOAST table), and the full scans it made
// (pg_stat_get_xact_numscans, counted within the transaction). Outside a transaction each
// statement releases its locks as it ends, so nothing is measured there. A statement that only
// touches relations created earlier in the run is not measured: nobody can be waiting for them,
// and pg_locks grows with every lock a long run holds.
import { performance } from 'node:perf_hooks';
import type { Session } from '../../db/backend';
import type { MeasuredLock, MeasuredRewrite, MeasuredScan, StatementReport } from '../../model/report';
import type { ParsedStatement } from '../../parse/parseMigration';
import { relationsCreated, relationsNamed, type NamedRelation } from '../../parse/relationsNamed';
import { callsFunction } from '../../parse/treeNames';
import { isLockMode, LOCK_MODES, strongestLock, whatLockBlocks, type LockMode } from '../../sql/lockModes';
import { relationSql } from '../../sql/quoting';
import type { ProbeFactory } from './probe';
import { scanReason } from './scanReasons';
import { pushAll } from '../../model/arrays';

// Relations (with their indexes and TOAST tables) looked at around a statement, and this backend's
// locks on relations that existed before the run ($2: the highest pg_class OID then) or that the
// statement names. A long run holds a lock on everything it created: listing those each time cost
// ~70 ms a query after 1,500 tables (13 ms with the filter); nobody can be waiting for them.
// Should OIDs wrap around during the run, a new relation passes the filter and is reported as
// created in the run, as before it: the filter never hides a lock on an existing relation.
const STATE_QUERY = `
WITH named AS (SELECT to_regclass(n) AS oid FROM jsonb_array_elements_text($1::jsonb) AS n),
rels AS (
  SELECT oid FROM named WHERE oid IS NOT NULL
  UNION SELECT i.indexrelid FROM pg_index i WHERE i.indrelid IN (SELECT oid FROM named)
  UNION SELECT c.reltoastrelid FROM pg_class c WHERE c.oid IN (SELECT oid FROM named) AND c.reltoastrelid <> 0)
SELECT json_build_object(
  'locks', (SELECT coalesce(json_agg(json_build_array(l.relation, l.mode, c.oid::regclass::text, c.relname, n.nspname)), '[]')
    FROM pg_locks l JOIN pg_class c ON c.oid = l.relation JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE l.pid = pg_backend_pid() AND l.locktype = 'relation' AND l.granted AND l.relation >= 16384
      AND (l.relation <= $2::oid OR l.relation IN (SELECT oid FROM rels)) AND c.relkind IN ('r', 'p', 'm', 'v', 'f', 'S')),
  'relations', (SELECT coalesce(json_agg(json_build_array(c.oid, c.relfilenode, c.oid::regclass::text, c.relkind,
      pg_stat_get_xact_numscans(c.oid), pg_stat_get_xact_tuples_returned(c.oid), c.relname, n.nspname,
      greatest(c.reltuples, 0), c.relpages::bigint * current_setting('block_size')::bigint)), '[]')
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid IN (SELECT oid FROM rels))
) AS answer`;

// PostgreSQL's first OID for objects not made by initdb: relations below it are its own.
const FIRST_NORMAL_OBJECT_ID = 16384;

type LockRow = [number, string, string, string, string];
type RelationRow = [number, number, string, string, number, number, string, string, number, number];

interface RelationState {
  relfilenode: number;
  display: string;
  relkind: string;
  scans: number;
  rows: number;
  name: string;
  schema: string;
  reltuples: number;
  bytes: number;
}

const REWRITE_KINDS: Record<string, MeasuredRewrite['kind']> = { r: 'table', p: 'table', i: 'index', I: 'index', t: 'toast', m: 'materialized view' };

// Statements whose relations cannot all be read from the text: they run code.
const RUNS_CODE = new Set(['DoStmt', 'CallStmt', 'ExecuteStmt']);

/** True when the statement runs code (a DO block, a CALL, a SELECT of functions), drops with CASCADE, or has no parse tree. */
function reachesUnnamed(statement: ParsedStatement): boolean {
  // Without a parse tree its relations are not known.
  if (statement.opaque) return true;
  const node = statement.node;
  if (RUNS_CODE.has(Object.keys(node)[0] ?? '')) return true;
  if ('SelectStmt' in node) return callsFunction(node);
  if ('DropStmt' in node) return node.DropStmt.behavior === 'DROP_CASCADE';
  return false;
}

function statementRelations(statement: ParsedStatement): readonly NamedRelation[] {
  return relationsNamed(statement.node);
}

function createdMatches(created: readonly NamedRelation[], name: string, schema: string): boolean {
  return created.some((c) => c.name === name && (c.schema === null || c.schema === schema));
}

/** A lock held since a statement began, for the time it is held. */
interface HeldLock {
  lock: MeasuredLock;
  since: number;
  /** Position of the statement that took it among the statements that ran. */
  ranAt: number;
}

class RelationStateProbe {
  /** The strongest lock the run holds on each relation (OID) so far. */
  private readonly held = new Map<number, LockMode>();
  private readonly locks: HeldLock[] = [];
  private before = new Map<number, RelationState>();
  private readonly created: NamedRelation[] = [];
  /** Whether each statement planned so far is measured. */
  private readonly planned = new Map<ParsedStatement, boolean>();
  private started = 0;
  private ran = 0;
  /** True when `held` and `before` describe the moment before the statement about to run. */
  private fresh = false;

  /** The highest relation OID before the first statement ran (text: OIDs are unsigned 32-bit). */
  private existingUpTo: string | null = null;
  /**
   * True when the database held no relation of its own before the run (a whole history on an
   * empty database): no statement can then lock, rewrite or scan one that existed before it.
   */
  private onlySystemRelations = false;

  constructor(private readonly session: Session) {}

  /** Notes, once and before anything ran, the highest OID of the relations that exist before the run. */
  async noteExisting(): Promise<void> {
    if (this.existingUpTo !== null) return;
    const row = (await this.session.query('SELECT coalesce(max(oid), 0)::text AS upto FROM pg_class')).rows[0] as { upto: string } | undefined;
    this.existingUpTo = row?.upto ?? '0';
    this.onlySystemRelations = Number(this.existingUpTo) < FIRST_NORMAL_OBJECT_ID;
  }

  private async state(relations: readonly NamedRelation[]): Promise<{ locks: LockRow[]; relations: Map<number, RelationState> }> {
    const answer = (await this.session.query(STATE_QUERY, [JSON.stringify(relations.map((r) => relationSql(r.schema, r.name))), this.existingUpTo ?? '0'], 'drydock_relation_state')).rows[0]?.answer as { locks: LockRow[]; relations: RelationRow[] };
    const states = new Map<number, RelationState>();
    for (const [oid, relfilenode, display, relkind, scans, rows, name, schema, reltuples, bytes] of answer.relations) {
      states.set(Number(oid), { relfilenode: Number(relfilenode), display, relkind, scans: Number(scans), rows: Number(rows), name, schema, reltuples: Number(reltuples), bytes: Number(bytes) });
    }
    return { locks: answer.locks, relations: states };
  }

  /** True when the statement can lock, rewrite or scan a relation that existed before the run (given what ran before it). */
  private touchesExisting(statement: ParsedStatement): boolean {
    if (this.onlySystemRelations) return false;
    if (reachesUnnamed(statement)) return true;
    const own = relationsCreated(statement.node);
    return statementRelations(statement).some((r) => !createdMatches(this.created, r.name, r.schema ?? 'public') && !createdMatches(own, r.name, r.schema ?? 'public'));
  }

  /**
   * Called for each statement the run sends, in order, before it runs: decides whether it is
   * measured, then notes what it creates (what it creates exists for every statement after it).
   * True when nothing will be asked of the session for it: not measured, and the run's starting
   * point known (it is asked before the first statement).
   */
  plan(statement: ParsedStatement): boolean {
    const measured = this.touchesExisting(statement);
    this.planned.set(statement, measured);
    this.noteCreated(statement);
    return !measured && this.existingUpTo !== null;
  }

  /** True when `plan` chose to measure the statement (one not planned yet: as `plan` would decide now). */
  measures(statement: ParsedStatement): boolean {
    return this.planned.get(statement) ?? this.touchesExisting(statement);
  }

  /** What the statement created, and a created table renamed: still created in this run. */
  private noteCreated(statement: ParsedStatement): void {
    pushAll(this.created, relationsCreated(statement.node));
    for (const e of statement.effects) {
      if (e.action !== 'rename-table') continue;
      const [fromSchema, fromName] = e.from.includes('.') ? [e.from.split('.')[0]!, e.from.split('.')[1]!] : [null, e.from];
      if (createdMatches(this.created, fromName, fromSchema ?? 'public')) this.created.push({ schema: fromSchema, name: e.to.split('.').pop()! });
    }
  }

  async beforeStatement(statement: ParsedStatement): Promise<void> {
    // Usually the previous statement's measurement already gave the state before this one.
    if (!this.fresh) {
      const { locks, relations } = await this.state(statementRelations(statement));
      this.holdStrongest(locks);
      this.before = relations;
    }
    this.started = performance.now();
  }

  /** A statement that was not measured ran: the state is no longer fresh. */
  skipped(): void {
    this.fresh = false;
    this.ran += 1;
  }

  async afterStatement(statement: ParsedStatement, report: StatementReport, next: ParsedStatement | undefined): Promise<void> {
    const mine = statementRelations(statement);
    const { locks, relations } = await this.state([...mine, ...(next ? statementRelations(next) : [])]);
    const simulated = report.status === 'simulated';
    // Per relation only the strongest new lock counts, and only when it is stronger than the run held already.
    for (const [oid, mode, display, name, schema] of this.strongestPerRelation(locks)) {
      const was = this.held.get(oid);
      if (was && LOCK_MODES.indexOf(was) >= LOCK_MODES.indexOf(mode)) continue;
      this.held.set(oid, mode);
      // Above the highest OID before the run: created by it (whatever its name, e.g. a serial's sequence).
      const createdInRun = createdMatches(this.created, name, schema) || oid > Number(this.existingUpTo ?? Infinity);
      // A simulated CONCURRENTLY statement ran without CONCURRENTLY: the real one takes SHARE UPDATE EXCLUSIVE.
      const realMode: LockMode = simulated && !createdInRun ? 'ShareUpdateExclusiveLock' : mode;
      const lock: MeasuredLock = { relation: display, mode: realMode, blocks: whatLockBlocks(realMode), heldMs: 0, heldWhile: 0 };
      if (createdInRun) lock.createdInRun = true;
      if (simulated && !createdInRun) lock.simulated = true;
      report.locks.push(lock);
      this.locks.push({ lock, since: this.started, ranAt: this.ran });
    }
    const compared: string[] = [];
    for (const [oid, after] of relations) {
      // An index rebuilt by the statement (a column type change) comes back under a new OID with its old name.
      const was = this.before.get(oid) ?? (after.relkind === 'i' ? [...this.before.values()].find((b) => b.relkind === 'i' && b.name === after.name && b.schema === after.schema) : undefined);
      if (!was || createdMatches(this.created, after.name, after.schema)) continue;
      if (after.relkind === 'r' || after.relkind === 'p' || after.relkind === 'm') compared.push(after.display);
      const kind = REWRITE_KINDS[after.relkind];
      if (kind && was.relfilenode !== after.relfilenode && !('TruncateStmt' in statement.node)) {
        report.rewrites.push({ relation: after.display, kind, rows: was.reltuples, bytes: was.bytes });
      }
      // TRUNCATE rebuilds the indexes of the new, empty storage: a scan of no rows, not of the table.
      if ((after.relkind === 'r' || after.relkind === 'p' || after.relkind === 'm') && after.scans > was.scans && !('TruncateStmt' in statement.node)) {
        const scan: MeasuredScan = { relation: after.display, reason: scanReason(statement.node), rows: after.rows - was.rows, bytes: was.bytes };
        report.scans.push(scan);
      }
    }
    report.measuredRelations = compared;
    this.before = relations;
    this.fresh = next !== undefined;
    this.ran += 1;
  }

  private strongestPerRelation(rows: LockRow[]): [number, LockMode, string, string, string][] {
    const byRelation = new Map<number, [number, LockMode, string, string, string]>();
    for (const [oid, mode, display, name, schema] of rows) {
      if (!isLockMode(mode)) continue;
      const current = byRelation.get(Number(oid));
      if (!current || strongestLock([current[1], mode]) === mode) byRelation.set(Number(oid), [Number(oid), mode, display, name, schema]);
    }
    return [...byRelation.values()];
  }

  private holdStrongest(rows: LockRow[]): void {
    for (const [oid, mode] of this.strongestPerRelation(rows)) this.held.set(oid, mode);
  }

  /** The transaction ended: each lock was held from its statement's start until now. */
  close(endedAt: number): void {
    for (const { lock, since, ranAt } of this.locks) {
      lock.heldMs = Math.max(0, endedAt - since);
      lock.heldWhile = this.ran - ranAt - 1;
    }
  }
}

export const relationStateProbe: ProbeFactory = ({ session, report: run, statements }) => {
  if (!run.transactional) return null;
  const probe = new RelationStateProbe(session);
  let failed = false;
  return {
    name: 'relation-state',
    quietFor: (statement) => probe.plan(statement),
    before: async ({ statement }) => {
      await probe.noteExisting();
      if (probe.measures(statement)) await probe.beforeStatement(statement);
    },
    after: async ({ statement, report }, outcome) => {
      if (outcome.error) {
        failed = true;
        return;
      }
      if (!probe.measures(statement)) {
        probe.skipped();
        return;
      }
      const next = statements[statements.indexOf(statement) + 1];
      await probe.afterStatement(statement, report, next && probe.measures(next) ? next : undefined);
    },
    close: (endedAt) => {
      if (!failed) probe.close(endedAt);
    },
  };
};
