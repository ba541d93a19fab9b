// The scratch shadow's defence in depth: what the parse could not see (SQL built at run time) is
// caught before the transaction that made it commits. Right before each COMMIT Drydock sends (the
// migration's, one it opened around statements that would commit by themselves, or the file's
// own), the deferred triggers are fired and the session checked (replaySessionCheck.ts), then the
// shared catalogs as the transaction sees them are compared with what a second session sees: the
// difference is exactly what it would commit. A statement that must run on its own commits before
// anything can look: it is compared afterwards. The run's own changes pass: roles it created
// (recorded with their creation), and its scratch database's settings and privileges. What a
// rollback does not undo (replication slots) is compared with the run's start, and a slot the run
// created is dropped. Anything else stops the run, rolled back when it can be.
import type { Session } from '../db/backend';
import type { StatementLocation } from '../run/classify';
import { clusterChanges, describeChange, NON_TRANSACTIONAL_KINDS, readClusterState, stateOptions, type ClusterChange, type ClusterRow, type StateOptions } from './clusterState';
import type { HistoryMigration } from './history';
import { ShadowRefusal, type ReplayGuard } from './replay';
import { freshPlanName, readyForLook } from './replaySessionCheck';
import { dropRunSlot } from './runSlots';
import { writeRecord, type ScratchRecord } from './scratchRecord';

const roleNameOf = (row: ClusterRow) => row.label.slice('role '.length);

const HELD_CURSOR = 'it declared a cursor WITH HOLD, whose query runs when the transaction commits, after the shadow has looked at what the transaction changed';

/** Watches the server's shared state while the history replays into one scratch database. */
export class ClusterGuard implements ReplayGuard {
  /** Roles the run created, by oid. */
  private readonly ours = new Map<number, string>();
  /** Names the running migration may create roles under (it commits by itself). */
  private pending: string[] = [];
  /** The committed state as the run expects it: compared with after a statement that committed by itself. */
  private expected: ClusterRow[];
  /** What has been written to the record since the last write. */
  private written = '';
  /** The name the state query is planned under on the replay's session (null until the first read there). */
  private planName: string | null = null;

  private constructor(
    /** A session outside the replay's transaction (on the server's configured database). */
    private readonly admin: Session,
    private readonly scratch: { name: string; oid: number },
    private readonly owner: ScratchRecord['owner'],
    private readonly options: StateOptions,
    /** The state when the scratch database was ready: what a rollback does not undo is compared with it. */
    private readonly baseline: ClusterRow[],
    /** The roles each history file creates, by file (sealPlan.ts). */
    private readonly createsRoles: ReadonlyMap<string, readonly string[]>,
  ) {
    this.expected = baseline;
  }

  /** Starts watching: reads the state once the scratch database and its record exist. */
  static async start(admin: Session, scratch: string, owner: ScratchRecord['owner'], createsRoles: ReadonlyMap<string, readonly string[]>): Promise<ClusterGuard> {
    const found = await admin.query('SELECT d.oid FROM pg_catalog.pg_database d WHERE d.datname = $1', [scratch]);
    const row = found.rows[0];
    if (!row) throw new Error(`the scratch database ${scratch} is gone`);
    // The replay's session connects as the same role: it can read what this one can.
    const options = await stateOptions(admin);
    return new ClusterGuard(admin, { name: scratch, oid: Number(row.oid) }, owner, options, await readClusterState(admin, options), createsRoles);
  }

  /** The record as it stands. */
  record(): ScratchRecord {
    return { owner: this.owner, roles: [...this.ours].map(([oid, name]) => ({ oid, name })), pending: this.pending };
  }

  async beforeMigration(m: HistoryMigration, ownTransaction: boolean): Promise<void> {
    this.pending = [];
    if (ownTransaction) return;
    // The state as the run expects it now: every look since the start kept it current.
    const existing = new Set(this.expected.filter((r) => r.kind === 'role').map(roleNameOf));
    // Written before the migration runs: if the run dies after a statement that commits by itself created the role, a later run still finds it.
    this.pending = (this.createsRoles.get(m.file) ?? []).filter((name) => !existing.has(name));
    await this.writeRecord(this.admin);
  }

  async beforeCommit(session: Session, where: StatementLocation | undefined, readied = false): Promise<void> {
    await this.inspect(session, where, readied);
    // The record commits with the roles it names. Nothing of the migration runs in its write: an
    // event trigger never fires on a shared object's COMMENT.
    await this.writeRecordInTransaction(session);
  }

  async afterStatement(session: Session, where: StatementLocation | undefined, atCommit = false): Promise<void> {
    // Failed: the statement's error ends the migration, which is rolled back. (A COMMIT AND CHAIN committed and goes on in a transaction.)
    if (!atCommit && session.transactionState() !== 'idle') return;
    const now = await readClusterState(this.admin, this.options);
    const changes = clusterChanges(this.expected, now);
    for (const { before, after } of changes) {
      if (after?.kind === 'role' && !before && this.pending.includes(roleNameOf(after))) this.ours.set(Number(after.key), roleNameOf(after));
    }
    this.expected = now;
    await this.writeRecord(this.admin);
    const unexpected = changes.filter((c) => !this.isOurs(c));
    if (unexpected.length > 0) throw new ShadowRefusal(refusalReason(unexpected), where, { committed: true, atCommit, ...await this.undo(unexpected) });
  }

  async afterMigration(m: HistoryMigration): Promise<void> {
    if (this.pending.length === 0 && !this.createsRoles.has(m.file)) return;
    this.pending = [];
    await this.writeRecord(this.admin);
  }

  /**
   * Looks at the open transaction right before its COMMIT: its deferred triggers fired first (they
   * would run at COMMIT), then its view of the shared state against a second session's: the
   * difference is what it would commit. Roles it created become the run's. What a rollback does
   * not undo is compared with the run's start.
   */
  private async inspect(session: Session, where: StatementLocation | undefined, readied: boolean): Promise<void> {
    const check = await readyForLook(session, this.planName, readied);
    if (check.holdsCursor) throw new ShadowRefusal(HELD_CURSOR, where, { committed: false, dropped: [], stays: [] });
    // Gone or replaced (DEALLOCATE, PREPARE): planned anew under a name the migration cannot know.
    if (!check.planned) this.planName = freshPlanName();
    const [ours, theirs] = await Promise.all([readClusterState(session, this.options, this.planName), readClusterState(this.admin, this.options)]);
    const changes = clusterChanges(theirs, ours);
    for (const { before, after } of changes) {
      if (after?.kind === 'role' && !before) this.ours.set(Number(after.key), roleNameOf(after));
    }
    const lasting = clusterChanges(this.baseline.filter(isNonTransactional), theirs.filter(isNonTransactional));
    const unexpected = [...changes.filter((c) => !this.isOurs(c)), ...lasting];
    if (unexpected.length > 0) throw new ShadowRefusal(refusalReason(unexpected), where, { committed: false, ...await this.undo(lasting) });
    // Once committed, the state is what the transaction saw (another session's commit meanwhile aside).
    this.expected = ours;
  }

  /**
   * Undoes what the run can of changes a rollback did not undo: a replication slot it created is
   * dropped (on the second session). Returns what was dropped and what stays.
   */
  private async undo(changes: readonly ClusterChange[]): Promise<{ dropped: string[]; stays: string[] }> {
    const dropped: string[] = [];
    const stays: string[] = [];
    for (const change of changes) {
      const slot = change.after?.kind === 'slot' && !change.before ? change.after.key : null;
      const gone = slot !== null && await dropRunSlot(this.admin, slot, this.scratch.name);
      if (gone) dropped.push(`replication slot ${slot}`);
      else stays.push(describeChange(change));
    }
    return { dropped, stays };
  }

  /** A change the run may make: to its own roles (and what belongs to them) or to its scratch database. */
  private isOurs(change: ClusterChange): boolean {
    return [change.before, change.after].some((row) => row !== undefined && !isNonTransactional(row)
      && (row.database === this.scratch.oid || row.roles.some((oid) => this.ours.has(oid))));
  }

  private async writeRecord(session: Session): Promise<void> {
    const text = JSON.stringify(this.record());
    if (text === this.written) return;
    await writeRecord(session, this.scratch.name, this.record());
    this.written = text;
  }

  /** Writes the record in the migration's transaction, as the user who owns the scratch database, right before its COMMIT. */
  private async writeRecordInTransaction(session: Session): Promise<void> {
    // As Drydock's role: the look set it (LOCAL: it ends with the COMMIT that follows).
    await this.writeRecord(session);
  }
}

function isNonTransactional(row: ClusterRow): boolean {
  return NON_TRANSACTIONAL_KINDS.has(row.kind);
}

/** The refusal's reason: what changed, a few of them named. */
function refusalReason(changes: readonly ClusterChange[]): string {
  const named = changes.slice(0, 3).map(describeChange).join(', ');
  const more = changes.length > 3 ? ` and ${changes.length - 3} more` : '';
  return `it changed the server outside the scratch database (${named}${more}), which the parse of the file could not see (SQL built at run time)`;
}
