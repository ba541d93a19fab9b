// The mutable state of one run, shared by the transaction flow (runner.ts) and the statement loop:
// the report being built, the session, and what happened to the run from outside (cancel, a
// broken connection).
import type { Session } from '../db/backend';
import { OwnQuerySession } from './ownQueries';
import type { ErrorReport, RunReport } from '../model/report';
import type { RunModeSpec } from '../model/runModes';
import type { DrydockSettings } from '../model/settings';

export class RunState {
  session: Session | null = null;
  /** The user asked to stop. */
  cancelled = false;
  /** A statement of the files is on the wire (a cancel must reach the server). */
  running = false;
  connectionLost: Error | null = null;
  /** A statement of the migration was sent, so settings may have changed: Drydock's own queries guard theirs (ownQueries.ts). */
  settingsTouched = false;
  /** How many statements that drop prepared statements (DEALLOCATE, DISCARD) were sent: Drydock's own prepared statements are made anew after one. */
  deallocations = 0;

  constructor(
    readonly report: RunReport,
    readonly mode: RunModeSpec,
    readonly settings: DrydockSettings,
    /** Secrets to mask in every message the run reports. */
    readonly secrets: readonly string[],
  ) {}

  /** The open session (after connecting). */
  get openSession(): Session {
    if (!this.session) throw new Error('the run has no session yet');
    return this.session;
  }

  /** The session as Drydock's own queries use it (probes, verification): guarded once settings may have changed. */
  get ownSession(): Session {
    return new OwnQuerySession(this.openSession, () => this.settingsTouched, () => this.deallocations);
  }

  /** Records a failure: the first one becomes the run's error. */
  fail(error: ErrorReport): void {
    this.report.outcome = this.cancelled ? 'cancelled' : 'failed';
    this.report.error ??= error;
  }
}
