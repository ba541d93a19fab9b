// The shape of a rule: an id (also its docs page, docs/rules/<id>.md), a default severity, a
// category, a one-line summary, the safe alternative, and a check that reports findings through
// its context.
import type { FileAnalysis } from '../analyse/fileAnalysis';
import type { Fix, Severity } from '../model/findings';
import type { OffsetRange } from '../model/positions';
import type { RunModeSpec } from '../model/runModes';
import type { ParsedFile } from '../parse/parseMigration';

/** What a rule may add to a finding beyond its place and message. */
export interface FindingDetails {
  /** Overrides the rule's own help for this finding. */
  help?: string;
  /** Overrides the rule's default severity for this finding (e.g. a refusal when applying). */
  severity?: Severity;
  fix?: Fix;
}

/** What a rule sees: one file among the files checked together, its analysis, and a way to report. */
export interface RuleContext {
  readonly file: ParsedFile;
  /** Every file checked or run together, in order (this one included). */
  readonly files: readonly ParsedFile[];
  /** The run the files are checked for, or null for a plain `drydock check` / editor save. */
  readonly mode: RunModeSpec | null;
  /** Statements with predicted locks, the schema the files build, transaction and settings facts. */
  readonly analysis: FileAnalysis;
  report(at: OffsetRange, message: string, details?: FindingDetails): void;
}

/**
 * What a rule's findings are about. `runnability`: whether the file can run as given; its errors
 * refuse a run. `safety`: what running it would do to a live database (locks, rewrites, failures
 * on existing rows, lost data). `convention`: choices that cost later (types, names, re-runs).
 * Only runnability errors stop Drydock from running a file: a dry-run is how the others are measured.
 */
export type RuleCategory = 'runnability' | 'safety' | 'convention';

/**
 * What a rule's finding says the statement will do, in terms a dry-run measures: a table rewrite,
 * a full scan, or a lock others wait for. A run compares it with what PostgreSQL did (the
 * finding's `evidence`); rules about data loss, types or names claim nothing measurable.
 */
export type MeasurableClaim = 'rewrite' | 'scan' | 'lock';

/** One rule of the registry. */
export interface Rule {
  readonly id: string;
  readonly defaultSeverity: Severity;
  readonly category: RuleCategory;
  /** One line: what the rule reports. */
  readonly summary: string;
  /** The safe alternative, in one or two sentences. */
  readonly help: string;
  /** Set for rules that only judge an apply (the others report in every check and run). */
  readonly when?: 'applying';
  /** What its findings claim about running the statement, for runs to confirm or contradict. */
  readonly claims?: MeasurableClaim;
  check(context: RuleContext): void;
}

/** Where a rule's documentation lives, relative to the project root. */
export function ruleDocsPath(ruleId: string): string {
  return `docs/rules/${ruleId}.md`;
}
