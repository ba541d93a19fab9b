// A statement probe measures or explains something about each statement: the statement loop calls
// every probe's `before` just before the statement is sent and its `after` once it finished (in
// order, after a failure too), and `finish` once the last statement succeeded. Statements for
// which every probe is quiet are sent together in one pipeline, and their hooks are called, in the
// same order, once the pipeline answered. A new measurement is a new probe, not a change to the loop.
import type { Session } from '../../db/backend';
import type { DrydockSettings } from '../../model/settings';
import type { ErrorReport, RunReport, StatementReport } from '../../model/report';
import type { RunModeSpec } from '../../model/runModes';
import type { ParsedStatement } from '../../parse/parseMigration';
import type { CatalogMeasurement } from '../../verify/measurement';

/** What a probe knows about the run it measures. */
export interface ProbeRun {
  readonly session: Session;
  readonly mode: RunModeSpec;
  readonly settings: DrydockSettings;
  /** The report being built (probes add to its statements' reports and to run-level fields). */
  readonly report: RunReport;
  /**
   * After a failure aborted the run's transaction: rolls it back and opens a fresh one with the
   * run's settings, first replaying the statements before `replayUpTo` (when given) so that a query
   * sees what the failing statement saw. Outside a transaction there is nothing to reopen. Resolves
   * false when that was not possible (then nothing may be asked of the session).
   */
  reopen(replayUpTo: ParsedStatement | null): Promise<boolean>;
  /** What the statements did to the declared objects, for verification to follow. */
  readonly measurement: CatalogMeasurement;
  /** The statements the run sends, in order (a probe may look at the next one). */
  readonly statements: readonly ParsedStatement[];
}

/** One statement as a probe sees it. */
export interface ProbedStatement {
  readonly statement: ParsedStatement;
  /** The statement's own report: probes add their measurements here. */
  readonly report: StatementReport;
}

/** How the statement ended, as `after` hooks see it. */
export interface StatementOutcome {
  /** The classified error when the statement failed. */
  error?: ErrorReport;
  /** True when the connection broke: nothing more can be asked of this session. */
  connectionLost: boolean;
  /** True when the session can still run queries in the run's transaction (or outside one). */
  sessionUsable: boolean;
}

/** A per-statement measurement. */
export interface StatementProbe {
  readonly name: string;
  /**
   * Asked once for every statement the run sends, in order, before that statement's `before`
   * (and before it is sent). True promises that neither `before` nor a successful statement's
   * `after` will use the session for it, whatever the statements asked about before it do: the
   * run may then send it in one pipeline with its neighbours and call its hooks once the pipeline
   * answered (after a failure the session is as the failing statement left it, pipeline or not).
   * 'before': only `before` may use the session; the run calls it first, then may send the
   * statement at the head of a pipeline (the statements after it are asked about once it ran).
   * False, or a probe without it: the statement goes on its own.
   */
  quietFor?(statement: ParsedStatement): boolean | 'before';
  before?(statement: ProbedStatement): Promise<void> | void;
  after?(statement: ProbedStatement, outcome: StatementOutcome): Promise<void> | void;
  /** Called once after the last statement when every statement succeeded (before verification). */
  finish?(): Promise<void> | void;
  /** Called once the run's transaction ended (committed or rolled back), with the time it ended (performance.now()). */
  close?(endedAt: number): void;
}

/** Makes a run's probes; each run gets fresh ones, so a probe may keep state between its hooks. */
export type ProbeFactory = (run: ProbeRun) => StatementProbe | null;
