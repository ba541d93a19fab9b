// The two fixes every finding offers besides its own: ignore this rule for this statement (a
// `-- drydock-ignore` line above it, indented like it, inside a DO body too) or for the whole file.
// Built on demand (the editor asks when it shows code actions), so checks stay cheap.
import type { FileAnalysis } from '../../analyse/fileAnalysis';
import type { Finding, Fix } from '../../model/findings';
import { indentAt, insertText, lineStart } from './edits';

/** Ignore fixes for a finding of the analysed file: [this statement, this file]. */
export function ignoreFixes(finding: Finding, analysis: FileAnalysis, reason = 'why this is safe here'): Fix[] {
  const file = analysis.file;
  const at = finding.offsets.start;
  // The innermost statement holding the finding (a DO block's inner statement before the block itself).
  const holder = analysis.statements
    .filter((s) => s.offsets.start <= at && at <= s.offsets.end && (s.nested === null || analysis.offsetOf(s, 0) !== null))
    .sort((a, b) => b.offsets.start - a.offsets.start)[0];
  const fixes: Fix[] = [];
  if (holder) {
    const start = lineStart(file.text, holder.offsets.start);
    const indent = indentAt(file.text, holder.offsets.start);
    fixes.push({ title: `Ignore ${finding.ruleId} for this statement`, edits: [insertText(file, start, `${indent}-- drydock-ignore ${finding.ruleId}: ${reason}\n`)] });
  }
  fixes.push({ title: `Ignore ${finding.ruleId} in this file`, edits: [insertText(file, 0, `-- drydock-ignore-file ${finding.ruleId}: ${reason}\n`)] });
  return fixes;
}
