// What the editor's hover shows for the statement under the cursor: its predicted locks (with what
// each blocks), rewrites and scans in plain words, whether the table is new in this run, and the
// findings on it with their rules' explanations. Built from a checked file, without a database.
import { describeEffects, describeLock } from '../analyse/describeEffects';
import type { AnalysedStatement } from '../analyse/fileAnalysis';
import type { PredictedEffects } from '../analyse/predictEffects';
import type { Finding } from '../model/findings';
import type { OffsetRange, Range } from '../model/positions';
import type { CheckedFile } from './checkMigration';
import { ruleById } from './registry';
import { statementKind } from '../parse/statementKind';

/** The hover's content for one statement. */
export interface StatementInfo {
  /** The statement's range (an inner statement of a DO block when the offset is on one). */
  offsets: OffsetRange;
  range: Range;
  kind: string;
  effects: PredictedEffects;
  /** One line per lock: "ACCESS EXCLUSIVE on orders (blocks reads and writes)". */
  locks: string[];
  /** The whole prediction as a sentence ('' when it takes no table lock). */
  summary: string;
  /** Tables the locks are on that are created earlier in this file (or run): the lock blocks nobody. */
  newTables: string[];
  /** Findings on this statement, each with its rule's summary and safe alternative. */
  findings: { finding: Finding; ruleSummary: string; help: string }[];
}

/** The innermost statement at a file offset (a DO block's inner statement wins over the block). */
function statementAt(file: CheckedFile, offset: number): AnalysedStatement | undefined {
  return file.analysis.statements
    .filter((s) => s.offsets.start <= offset && offset <= s.offsets.end)
    .sort((a, b) => b.offsets.start - a.offsets.start || (a.nested === null ? 1 : -1))[0];
}

/** The hover information for the statement at `offset` of a checked file, or null between statements. */
export function statementInfoAt(file: CheckedFile, offset: number): StatementInfo | null {
  const at = statementAt(file, offset);
  if (!at) return null;
  const analysis = file.analysis;
  const findings = file.diagnostics
    .filter((d) => d.offsets.start >= at.offsets.start && d.offsets.start <= at.offsets.end)
    .map((finding) => ({ finding, ruleSummary: ruleById(finding.ruleId)?.summary ?? '', help: finding.help }));
  return {
    offsets: at.offsets,
    range: file.lines.rangeOf(at.offsets),
    kind: at.nested === null ? at.statement.kind : statementKind(at.node),
    effects: at.effects,
    locks: at.effects.locks.map(describeLock),
    summary: describeEffects(at.effects),
    newTables: at.effects.locks.map((l) => l.relation).filter((t) => analysis.isNewTable(t, at)),
    findings,
  };
}
