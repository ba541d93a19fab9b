// The fixes offered on a migration's findings: the fix the rule built (preferred), then "Ignore
// <rule> for this statement" per rule and one "Ignore … for this file" for all of them (core's
// ignoreFixes, so the comment is the one core's ignore reader honours); a migration a fix writes to
// run after this one is named by the folder's numbering. Built from the document's latest check, never from
// another file's findings; a fix that would create a file that already exists is not offered
// (applying it would fail half-way). "Fix all" is core's (rules/fixes/fixAll.ts), shared with `drydock check --fix`.
// Plain data (core's Fix and TextEdit): the language server and the VS Code extension convert it.
import fs from 'node:fs';
import path from 'node:path';
import type { Finding, Fix } from '../core/model/findings';
import { cleanupFix, withCleanupBeforeValidate, type ProvedFailure } from '../core/rules/fixes/evidenceFixes';
import { placeFollowingMigrations } from '../core/rules/fixes/followingMigration';
import { notNullPlanFix } from '../core/rules/fixes/notNullPlanFix';
import type { CheckedFile } from '../core/rules/checkMigration';
import { namesIn } from '../core/templates/workspaceFiles';
import type { CheckEngine } from './engine';

/** A fix offered for a finding. */
export interface OfferedFix {
  finding: Finding;
  fix: Fix;
  /** The rule's own fix (an ignore comment is never preferred). */
  preferred: boolean;
  /** Set when the fix answers a failure the last run proved (its diagnostic is the run's error, not the finding's). */
  failure?: ProvedFailure;
}

/** Findings an ignore comment cannot sensibly silence: whether the file can run at all, and the ignores' own check. */
function ignorable(core: CheckEngine, finding: Finding): boolean {
  const rule = core.registry.ruleById(finding.ruleId);
  return rule !== undefined && rule.category !== 'runnability' && rule.id !== 'unused-ignore';
}

/** Only edits of this file, and no file to create that is already there. */
function offerable(fix: Fix, file: string): boolean {
  return fix.edits.every((e) => e.file === file) && (fix.newFiles ?? []).every((f) => !fs.existsSync(f.file));
}

/**
 * The fixes for the findings of `file` that touch the offsets `start`…`end` (inclusive, as an editor
 * selection): each rule's own fix first; then at most one "Ignore <rule> for this statement" per
 * rule and statement; then one "for this file" entry naming every rule there. A statement with six
 * findings of three rules offered six ignores before; ESLint offers its disables per rule, and an
 * editor has no submenu for the rest, so the file-wide ones share a single entry.
 */
export function quickFixesAt(core: CheckEngine, checked: CheckedFile, findings: readonly Finding[], file: string, start: number, end: number,
  failures: readonly ProvedFailure[] = [], now = new Date()): OfferedFix[] {
  const fixes: OfferedFix[] = [];
  const touches = (offsets: { start: number; end: number }) => offsets.start <= end && start <= offsets.end;
  const failed = failures.filter((f) => touches(f.offsets));
  // The folder is read once per request, and only when a fix writes a migration to follow this one.
  let names: string[] | undefined;
  const siblings = () => (names ??= namesIn(path.dirname(file)));
  const ignores: OfferedFix[] = [];
  // Two findings of one rule on one statement (two int columns) need one ignore, not two.
  const seen = new Set<string>();
  const fileWide: { finding: Finding; ruleIds: string[] } = { finding: findings[0]!, ruleIds: [] };
  for (const finding of findings) {
    if (finding.file !== file || !touches(finding.offsets)) continue;
    const proved = failed.find((f) => f.offsets.start <= finding.offsets.start && finding.offsets.start <= f.offsets.end);
    const own = finding.fix && proved ? withCleanupBeforeValidate(finding.fix, proved) : finding.fix;
    const fix = own ? placeFollowingMigrations(own, file, now, siblings) : null;
    if (fix && offerable(fix, file)) fixes.push({ finding, fix, preferred: true });
    if (!ignorable(core, finding)) continue;
    const statement = core.ignoreFixes.statementIgnoreFix(finding, checked.analysis);
    const key = `${finding.ruleId}@${statement?.edits[0]?.offsets.start ?? -1}`;
    if (statement && !seen.has(key)) ignores.push({ finding, fix: statement, preferred: false });
    seen.add(key);
    if (fileWide.ruleIds.length === 0) fileWide.finding = finding;
    if (!fileWide.ruleIds.includes(finding.ruleId)) fileWide.ruleIds.push(finding.ruleId);
  }
  // What the last run proved comes first: the rows its fix query found, deleted before the statement.
  // After 23502 on a table with rows: the plan (add nullable, backfill, SET NOT NULL without a scan), beside the rule's DEFAULT.
  const proven = failed.flatMap((f) => {
    const finding: Finding = {
      ruleId: f.error.sqlstate, severity: 'error', message: f.error.message, help: f.error.hint ?? '', file, offsets: f.offsets,
      range: f.error.range ?? checked.analysis.file.lines.rangeOf(f.offsets),
    };
    const plan = notNullPlanFix(checked.analysis, f);
    const fixes = [cleanupFix(checked.analysis.file, f), plan ? placeFollowingMigrations(plan, file, now, siblings) : null];
    return fixes.flatMap((fix) => (fix && offerable(fix, file) ? [{ finding, fix, preferred: false, failure: f }] : []));
  });
  fixes.unshift(...proven);
  if (fileWide.ruleIds.length > 0) {
    ignores.push({ finding: fileWide.finding, fix: core.ignoreFixes.fileIgnoreFix(fileWide.ruleIds, checked.analysis), preferred: false });
  }
  return [...fixes, ...ignores];
}
