// The result of `drydock audit`: a whole history replayed migration by migration on a shadow, each
// migration dry-run (and measured) against the state the migrations before it built, then applied
// as its tool applies it. Its findings are those of `drydock check` on the folder, each measurable
// claim confirmed or contradicted by what PostgreSQL did.
import type { Finding } from './findings';
import type { ErrorReport, RunOutcome, ServerInfo, StatementReport, VerificationCheck } from './report';

/** What happened to one migration of the history. */
export interface AuditedMigration {
  /** As the report names it (relative to the working directory in the CLI). */
  file: string;
  /** The version its tool records. */
  version: string;
  /** Its tool runs it outside a transaction. */
  noTransaction: boolean;
  /** The dry-run's outcome on the state before it ('refused': a runnability rule kept it from being sent). */
  dryRun: RunOutcome;
  /** Why the dry-run did not succeed. */
  dryRunError?: ErrorReport;
  /** True once it was applied as its tool applies it (the migrations after it ran on that state). */
  applied: boolean;
  /** Why its tool's way of applying it failed (the audit stops there). */
  applyError?: ErrorReport;
  /** Its statements as the dry-run ran them, and its findings. */
  statements: number;
  findings: number;
}

/** One rule's findings over the history, by what the measurement concluded. */
export interface ClaimCount {
  ruleId: string;
  /** What the rule claims that a run measures (a rewrite, a scan, a lock), or null: nothing measurable. */
  claim: 'rewrite' | 'scan' | 'lock' | null;
  findings: number;
  confirmed: number;
  contradicted: number;
  /** Claimed, but the statement was not measured (it did not run, ran outside the run's transaction, or an earlier statement held the lock). */
  notMeasured: number;
}

/**
 * An audit in the few figures a README quotes for a history: how much of it was measured, how many
 * findings, and how many of the measurable claims PostgreSQL confirmed or contradicted.
 */
export interface AuditSummary {
  migrations: number;
  /** Statements the dry-runs ran. */
  statements: number;
  /**
   * Of those, the ones whose effects were measured: run inside the dry-run's transaction on tables
   * that existed before it, each compared before and after (a statement on tables its own
   * migration creates has nothing to compare).
   */
  statementsMeasured: number;
  findings: number;
  /** Findings whose rule claims something a run measures (a rewrite, a scan, a lock). */
  measurableClaims: number;
  confirmed: number;
  contradicted: number;
  notMeasured: number;
  /** contradicted / measurableClaims, in percent (0 without measurable claims). */
  contradictedPercent: number;
}

/** The audit of one history. */
export interface AuditReport {
  auditVersion: 1;
  /** The migrations folder, as given. */
  folder: string;
  /** The tool whose order and transactions the replay followed. */
  tool: string;
  startedAt: string;
  /** The shadow's server; null when the shadow could not be made. */
  server: ServerInfo | null;
  /** "PGlite 18.7" or "shadow on host:port" (never with a password). */
  shadow: string;
  /** succeeded: every migration dry-ran and applied, and each declared object verified. */
  outcome: RunOutcome;
  /** The PostgreSQL major the findings were judged for (drydock.json's, else the shadow's). */
  judgedFor: number;
  migrations: AuditedMigration[];
  /** Every finding of the history (as `drydock check` reports it), with `evidence`. */
  diagnostics: Finding[];
  /** Every statement as its migration's dry-run ran and measured it. */
  statements: StatementReport[];
  /** Each migration's declared objects, verified in its dry-run. */
  verification: VerificationCheck[];
  /** The first failure: a migration its tool could not apply, or the shadow that could not be made. */
  error?: ErrorReport;
  /** Per rule: findings confirmed, contradicted, not measured. */
  claims: ClaimCount[];
  /** The whole audit in a few figures. */
  summary: AuditSummary;
  timings: { totalMs: number; dryRunMs: number; applyMs: number };
}
