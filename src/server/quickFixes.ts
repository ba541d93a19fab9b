// The fixes offered on a migration's findings: the fix the rule built (preferred), then "Ignore
// <rule> for this statement" and "Ignore <rule> for this file" (core's ignoreFixes, so the comment
// is the one core's ignore reader honours). Built from the document's latest check, never from
// another file's findings; a fix that would create a file that already exists is not offered
// (applying it would fail half-way). Also the safe mechanical fixes "fix all" applies at once.
// Plain data (core's Fix and TextEdit): the language server and the VS Code extension convert it.
import fs from 'node:fs';
import type { Finding, Fix, TextEdit } from '../core/model/findings';
import type { CheckedFile } from '../core/rules/checkMigration';
import type { CheckEngine } from './engine';

/** A fix offered for a finding. */
export interface OfferedFix {
  finding: Finding;
  fix: Fix;
  /** The rule's own fix (an ignore comment is never preferred). */
  preferred: boolean;
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

/** The fixes for the findings of `file` that touch the offsets `start`…`end` (inclusive, as an editor selection). */
export function quickFixesAt(core: CheckEngine, checked: CheckedFile, findings: readonly Finding[], file: string, start: number, end: number): OfferedFix[] {
  const offered: OfferedFix[] = [];
  // Two findings of one rule on one statement (two int columns) need one ignore, not two.
  const ignores = new Set<string>();
  for (const finding of findings) {
    if (finding.file !== file || finding.offsets.start > end || start > finding.offsets.end) continue;
    if (finding.fix && offerable(finding.fix, file)) offered.push({ finding, fix: finding.fix, preferred: true });
    if (!ignorable(core, finding)) continue;
    for (const fix of core.ignoreFixes.ignoreFixes(finding, checked.analysis)) {
      const key = `${fix.title}@${fix.edits[0]?.offsets.start ?? 0}`;
      if (ignores.has(key)) continue;
      ignores.add(key);
      offered.push({ finding, fix, preferred: false });
    }
  }
  return offered;
}

/**
 * The edits of "fix all": every rule fix that only edits this file (none that creates a file, none
 * that overlaps an edit already taken); an edit two fixes share (the same no-transaction directive
 * at the top) is made once. Ignore comments are never applied wholesale.
 */
export function fixAllEdits(findings: readonly Finding[], file: string): TextEdit[] {
  const taken: TextEdit[] = [];
  const same = (a: TextEdit, b: TextEdit) => a.offsets.start === b.offsets.start && a.offsets.end === b.offsets.end && a.newText === b.newText;
  const overlaps = (a: TextEdit, b: TextEdit) => a.offsets.start < b.offsets.end && b.offsets.start < a.offsets.end
    || (a.offsets.start === b.offsets.start && (a.offsets.start === a.offsets.end || b.offsets.start === b.offsets.end));
  for (const finding of findings) {
    const fix = finding.fix;
    if (!fix || finding.file !== file || (fix.newFiles ?? []).length > 0 || !fix.edits.every((e) => e.file === file)) continue;
    const fresh = fix.edits.filter((e) => !taken.some((t) => same(t, e)));
    if (fresh.some((e) => taken.some((t) => overlaps(t, e)))) continue;
    taken.push(...fresh);
  }
  return taken.sort((a, b) => a.offsets.start - b.offsets.start);
}
