// The scratch shadow's defence in depth: what the parse could not see (SQL built at run time) is
// caught by comparing the server's shared state as the replay's transaction sees it with what a
// second session sees (the difference is exactly what that transaction would commit), before
// Drydock commits a migration; a migration that commits by itself is compared after each of its
// statements. The run's own changes pass: roles it created (recorded with their creation), and its
// scratch database's settings and privileges. Anything else stops the run, rolled back if it can be.
import type { Session } from '../db/backend';
import type { StatementLocation } from '../run/classify';
import { clusterChanges, describeChange, NON_TRANSACTIONAL_KINDS, readClusterState, stateOptions, type ClusterChange, type ClusterRow, type StateOptions } from './clusterState';
import type { HistoryMigration } from './history';
import { ShadowRefusal, type ReplayGuard } from './replay';
import { writeRecord, type ScratchRecord } from './scratchRecord';

const roleNameOf = (row: ClusterRow) => row.label.slice('role '.length);

/** Watches the server's shared state while the history replays into one scratch database. */
export class ClusterGuard implements ReplayGuard {
  /** Roles the run created, by oid. */
  private readonly ours = new Map<number, string>();
  /** Names the running migration may create roles under (it commits by itself). */
  private pending: string[] = [];
  /** The state after the last check of a migration that commits by itself. */
  private expected: ClusterRow[];
  /** What has been written to the record since the last write. */
  private written = '';
  /** The state query is kept planned on the replay's session until a migration deallocates it. */
  private preparedOnReplay = true;

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
    this.expected = await readClusterState(this.admin, this.options);
    const existing = new Set(this.expected.filter((r) => r.kind === 'role').map(roleNameOf));
    // Written before the migration runs: if the run dies after the role is created, a later run still finds it.
    this.pending = (this.createsRoles.get(m.file) ?? []).filter((name) => !existing.has(name));
    await this.writeRecord(this.admin);
  }

  async afterStatement(session: Session, where: StatementLocation | undefined): Promise<void> {
    const state = session.transactionState();
    if (state === 'in-transaction') return this.checkTransaction(session, where, false);
    if (state !== 'idle') return; // failed: the statement's error ends the migration, which is rolled back
    const now = await readClusterState(this.admin, this.options);
    const changes = clusterChanges(this.expected, now);
    for (const { before, after } of changes) {
      if (after?.kind === 'role' && !before && this.pending.includes(roleNameOf(after))) this.ours.set(Number(after.key), roleNameOf(after));
    }
    this.expected = now;
    await this.writeRecord(this.admin);
    const unexpected = changes.filter((c) => !this.isOurs(c));
    if (unexpected.length > 0) throw new ShadowRefusal(refusalReason(unexpected), where, false);
  }

  async beforeCommit(session: Session): Promise<void> {
    await this.checkTransaction(session, undefined, true);
  }

  async afterMigration(m: HistoryMigration): Promise<void> {
    if (this.pending.length === 0 && !this.createsRoles.has(m.file)) return;
    this.pending = [];
    await this.writeRecord(this.admin);
  }

  /**
   * Compares the transaction's view with a second session's: the difference is what it would
   * commit. Roles it created become the run's (recorded in the same transaction when `record`).
   */
  private async checkTransaction(session: Session, where: StatementLocation | undefined, record: boolean): Promise<void> {
    // Read at once: what commits between the two reads is another session's, and the race is short.
    const [ours, theirs] = await Promise.all([this.readInTransaction(session), readClusterState(this.admin, this.options)]);
    const changes = clusterChanges(theirs, ours);
    for (const { before, after } of changes) {
      if (after?.kind === 'role' && !before) this.ours.set(Number(after.key), roleNameOf(after));
    }
    const lasting = clusterChanges(this.baseline.filter(isNonTransactional), theirs.filter(isNonTransactional));
    const unexpected = [...changes.filter((c) => !this.isOurs(c)), ...lasting];
    if (unexpected.length > 0) throw new ShadowRefusal(refusalReason(unexpected), where, lasting.length === 0);
    if (record) await this.writeRecordInTransaction(session);
  }

  /** The state as the session's transaction sees it, read as Drydock (a savepoint undoes the settings it needs). */
  private async readInTransaction(session: Session): Promise<ClusterRow[]> {
    // The migration may have set a role, a search_path or a timeout: none of them may change this read.
    await session.execScript('SAVEPOINT drydock_seal; SET LOCAL SESSION AUTHORIZATION DEFAULT; SET LOCAL search_path = pg_catalog; SET LOCAL statement_timeout = 0; SET LOCAL lock_timeout = 0');
    try {
      return await readClusterState(session, this.options, this.preparedOnReplay);
    } catch (err) {
      // A migration's DEALLOCATE ALL removed the planned query: read it unplanned from now on.
      if ((err as { code?: string }).code !== '26000' || !this.preparedOnReplay) throw err;
      this.preparedOnReplay = false;
      await session.execScript('ROLLBACK TO SAVEPOINT drydock_seal');
      return await readClusterState(session, this.options, false);
    } finally {
      await session.execScript('ROLLBACK TO SAVEPOINT drydock_seal; RELEASE SAVEPOINT drydock_seal');
    }
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
    if (JSON.stringify(this.record()) === this.written) return;
    // Nothing of the migration runs after this: the LOCAL settings end with the COMMIT that follows.
    await session.execScript('SET LOCAL SESSION AUTHORIZATION DEFAULT; SET LOCAL search_path = pg_catalog');
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
