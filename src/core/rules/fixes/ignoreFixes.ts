// The two fixes every finding offers besides its own: ignore this rule for this statement (a
// `-- drydock-ignore` line above it, indented like it, inside a DO body too) or for the whole file
// (a `-- drydock-ignore-file` line at the top, below the tool directives that must stay first).
// Built on demand (the editor asks when it shows code actions), so checks stay cheap.
import type { FileAnalysis } from '../../analyse/fileAnalysis';
import type { Finding, Fix } from '../../model/findings';
import { isDirectiveLine } from '../../parse/directives';
import { indentAt, insertText, lineStart } from './edits';

/**
 * Where a file-wide ignore goes: after the leading lines that are migration-tool directives.
 * graphile-migrate reads its `--!` headers (Previous, Hash, no-transaction) only at the very top
 * of a file, and a dbmate or goose file reads best with its up marker first; the ignore itself is
 * honoured anywhere in the file (rules/ignores.ts reads every line).
 */
function fileIgnoreOffset(text: string): number {
  let offset = 0;
  while (offset < text.length) {
    const end = text.indexOf('\n', offset);
    const line = text.slice(offset, end < 0 ? text.length : end);
    if (!isDirectiveLine(line)) break;
    offset = end < 0 ? text.length : end + 1;
  }
  return offset;
}

/** "Ignore <rule> for this statement": a comment above the innermost statement holding the finding, null when none does. */
export function statementIgnoreFix(finding: Finding, analysis: FileAnalysis, reason = 'why this is safe here'): Fix | null {
  const file = analysis.file;
  const at = finding.offsets.start;
  // The innermost statement holding the finding (a DO block's inner statement before the block itself).
  const holder = analysis.statements
    .filter((s) => s.offsets.start <= at && at <= s.offsets.end && (s.nested === null || analysis.offsetOf(s, 0) !== null))
    .sort((a, b) => b.offsets.start - a.offsets.start)[0];
  if (!holder) return null;
  const start = lineStart(file.text, holder.offsets.start);
  const indent = indentAt(file.text, holder.offsets.start);
  return { title: `Ignore ${finding.ruleId} for this statement`, edits: [insertText(file, start, `${indent}-- drydock-ignore ${finding.ruleId}: ${reason}\n`)] };
}

/**
 * "Ignore <rules> for this file": one `-- drydock-ignore-file` line naming every rule given (the
 * editor offers one such entry for all the findings under the cursor, not one per rule).
 */
export function fileIgnoreFix(ruleIds: readonly string[], analysis: FileAnalysis, reason = 'why this is safe here'): Fix {
  const file = analysis.file;
  const top = fileIgnoreOffset(file.text);
  // A file of directives only, without a final line break: the ignore needs a line of its own.
  const lineBreak = top === file.text.length && top > 0 && !file.text.endsWith('\n') ? '\n' : '';
  const named = ruleIds.join(', ');
  const title = ruleIds.length === 1 ? `Ignore ${named} for this file` : `Ignore all ${ruleIds.length} rules here for this file (${named})`;
  return { title, edits: [insertText(file, top, `${lineBreak}-- drydock-ignore-file ${named}: ${reason}\n`)] };
}

/** Ignore fixes for a finding of the analysed file: [this statement, this file]. */
export function ignoreFixes(finding: Finding, analysis: FileAnalysis, reason = 'why this is safe here'): Fix[] {
  const statement = statementIgnoreFix(finding, analysis, reason);
  return [...(statement ? [statement] : []), fileIgnoreFix([finding.ruleId], analysis, reason)];
}
