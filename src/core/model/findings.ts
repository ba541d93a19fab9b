// What a rule reports about a migration file, in one shape for the editor, the CLI, SARIF and the
// run report: the rule's id, how serious it is, what and why, where, and optionally a fix.
import type { OffsetRange, Range } from './positions';

/** How serious a finding is; `off` is only a configuration value (the rule does not run). */
export type Severity = 'error' | 'warning' | 'info';

/** One replacement in a file's text (offsets and range describe the same span). */
export interface TextEdit {
  file: string;
  offsets: OffsetRange;
  range: Range;
  newText: string;
}

/** A file a fix creates (e.g. a statement moved to a no-transaction migration of its own). */
export interface NewFile {
  /** Path next to the fixed file, in the same form as its `file`. */
  file: string;
  text: string;
  /**
   * Set when the file is a migration that runs after the fixed one: the suffix its name adds. `file`
   * is then provisional (the fixed file's name + suffix): whoever writes the file and can read the
   * folder names it with the tool's next free version (rules/fixes/followingMigration.ts), and
   * replaces the provisional name in the fix's title.
   */
  following?: string;
  /** Where in `text` the author has to write something (a value the fix cannot know): the editor opens the file there. */
  cursor?: number;
}

/** A change that makes a finding go away, built by the rule that knows the statement. */
export interface Fix {
  title: string;
  /** Edits of existing files (the finding's file), applied together. */
  edits: TextEdit[];
  /** Files to create, when the fix moves a statement out of its file. */
  newFiles?: NewFile[];
  /**
   * Set when the fix makes a choice the author should see before it is made (the value every
   * existing row gets): offered as a quick fix, never applied by fix all or `drydock check --fix`.
   */
  reviewFirst?: string;
}

/**
 * Where a finding's claim stands after a run measured the statement. `static`: a prediction only
 * (not measured, or nothing measurable claimed); `confirmed`: PostgreSQL did what the finding says
 * (a rewrite, a scan, the lock); `contradicted`: the statement ran, was measured and did not, so
 * the finding is downgraded to info and says so; `measured`: what a measurement found on its own,
 * with no static finding claiming it.
 */
export type Evidence = 'static' | 'confirmed' | 'contradicted' | 'measured';

/** A problem found in a migration file, before or instead of running it. */
export interface Finding {
  /** The rule that reported it: its id in the rule registry and the name of its docs page. */
  ruleId: string;
  severity: Severity;
  /** What is wrong here, in plain words. */
  message: string;
  /** The safe alternative, or how to resolve it. */
  help: string;
  file: string;
  range: Range;
  offsets: OffsetRange;
  fix?: Fix;
  /** Set on the findings of a run report (a plain check's findings are all static). */
  evidence?: Evidence;
  /** The rule's severity before a measurement contradicted the finding. */
  downgradedFrom?: Severity;
}
