// What the last run measured on one statement, in a few words: the lens above it says
// "ACCESS EXCLUSIVE · rewrite · ~40 s–2.7 min on reference". Plain data, no editor types: the
// language server's code lens and the VS Code extension's Migration Runs view read it.
import { durationRangeText } from '../core/model/quantities';
import type { StatementReport } from '../core/model/report';
import { isLockMode, lockModeSql, strongestLock } from '../core/sql/lockModes';

/** The strongest lock the statement took on a table that existed before the run, as SQL names it. */
export function strongestLockWord(s: StatementReport): string | null {
  const mode = strongestLock(s.locks.filter((l) => !l.createdInRun).map((l) => l.mode).filter(isLockMode));
  return mode ? lockModeSql(mode) : null;
}

/** The measurement's words for a statement, or null when nothing worth showing was measured. */
export function measurementSummary(s: StatementReport): string | null {
  const parts: string[] = [];
  const lock = strongestLockWord(s);
  if (lock) parts.push(lock);
  if (s.rewrites.some((r) => r.kind === 'table' || r.kind === 'materialized view')) parts.push('rewrite');
  else if (s.scans.length > 0) parts.push('scan');
  const impact = s.impact?.[0];
  if (impact) parts.push(`~${durationRangeText(impact.estimateMs)} on reference`);
  return parts.length > 0 ? parts.join(' · ') : null;
}
