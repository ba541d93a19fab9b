// What the rules are told about the target beyond the files: the PostgreSQL version the migrations
// will run on, whether the tool runs each file in a transaction, and a severity per rule. Read
// from drydock.json (core/config) or given by the shell; every key has a default.
import type { Severity } from './findings';

/** A rule's configured severity, or 'off' (the rule does not run). */
export type RuleSetting = Severity | 'off';

/** Settings the rules judge with. */
export interface LintSettings {
  /** Major version of the PostgreSQL the migrations run on (e.g. 16). */
  pgVersion: number;
  /**
   * True when nobody said which version (no drydock.json pgVersion, no --pg-version): a run then
   * judges the files again by the connected server's version, the best knowledge there is.
   */
  pgVersionAssumed?: boolean;
  /**
   * Whether the migration tool runs each file inside a transaction. null: Drydock's own rule (a
   * file runs in one transaction unless it has a no-transaction directive), while rules that
   * follow Squawk's convention only treat an explicit BEGIN in the file as a transaction.
   */
  assumeInTransaction: boolean | null;
  /** Severity per rule id; rules not named keep their default. */
  rules: Readonly<Record<string, RuleSetting>>;
}

/**
 * The oldest PostgreSQL major still supported upstream when this was written: a safe guess when
 * neither drydock.json nor a connected server says which version the migrations target.
 */
export const DEFAULT_PG_VERSION = 14;

export const DEFAULT_LINT_SETTINGS: Readonly<LintSettings> = Object.freeze({
  pgVersion: DEFAULT_PG_VERSION,
  pgVersionAssumed: true,
  assumeInTransaction: null,
  rules: Object.freeze({}),
});
