// "Fix all": the fixes of one file's findings that are applied together without asking — each
// rule's own fix (what the editor offers as the preferred quick fix), never an ignore comment, never
// a fix built from a run's evidence (those are not on a check's findings), never one marked to be
// reviewed first. Fixes whose edits overlap an edit already taken wait for the next round (the
// findings are judged again on the fixed text); an edit two fixes share is made once.
import type { Finding, Fix, NewFile, TextEdit } from '../../model/findings';

/** What fix all takes from one file's findings. */
export interface FixAllSelection {
  /** Edits of the file, in order, none overlapping. */
  edits: TextEdit[];
  /** Migrations the taken fixes write (only when asked for). */
  newFiles: NewFile[];
  /** The taken fixes, in the findings' order. */
  fixes: { ruleId: string; fix: Fix }[];
}

export interface FixAllOptions {
  /** Take fixes that write a new file too (the CLI can; the editor's fix all edits one document). */
  newFiles: boolean;
  /**
   * The fix as applied (a following migration named by the folder and the files `taken` so far),
   * before it is judged for overlaps; null when it cannot be applied here (the file it would write
   * exists, or the tool would not run it).
   */
  place?(fix: Fix, taken: readonly NewFile[]): Fix | null;
}

const same = (a: TextEdit, b: TextEdit) => a.offsets.start === b.offsets.start && a.offsets.end === b.offsets.end && a.newText === b.newText;

// Two insertions at one offset overlap too: their order would be a guess.
const overlaps = (a: TextEdit, b: TextEdit) => a.offsets.start < b.offsets.end && b.offsets.start < a.offsets.end
  || (a.offsets.start === b.offsets.start && (a.offsets.start === a.offsets.end || b.offsets.start === b.offsets.end));

/** True for a fix fix all may apply to `file`: the rule's own, editing only this file, not to be reviewed first. */
export function isFixAllFix(fix: Fix, file: string, withNewFiles: boolean): boolean {
  return fix.reviewFirst === undefined && fix.edits.every((e) => e.file === file) && (withNewFiles || (fix.newFiles ?? []).length === 0);
}

/** The fixes of `file`'s findings fix all applies together. */
export function fixAllOf(findings: readonly Finding[], file: string, options: FixAllOptions): FixAllSelection {
  const selection: FixAllSelection = { edits: [], newFiles: [], fixes: [] };
  for (const finding of findings) {
    if (!finding.fix || finding.file !== file || !isFixAllFix(finding.fix, file, options.newFiles)) continue;
    const fix = options.place ? options.place(finding.fix, selection.newFiles) : finding.fix;
    if (!fix) continue;
    const fresh = fix.edits.filter((e) => !selection.edits.some((t) => same(t, e)));
    if (fresh.some((e) => selection.edits.some((t) => overlaps(t, e)))) continue;
    // Two fixes writing the same new file (a name the folder's numbering gave both) would clash: the second waits.
    if ((fix.newFiles ?? []).some((f) => selection.newFiles.some((n) => n.file === f.file))) continue;
    selection.edits.push(...fresh);
    selection.newFiles.push(...(fix.newFiles ?? []));
    selection.fixes.push({ ruleId: finding.ruleId, fix });
  }
  selection.edits.sort((a, b) => a.offsets.start - b.offsets.start);
  return selection;
}
