// Inline ignores: `-- drydock-ignore <id>[, <id>]: reason` silences those rules for the next
// statement (a DO block's inner statement too, when the comment is inside the body),
// `-- drydock-ignore-file <id>` for the whole file; Squawk's `-- squawk-ignore` and
// `-- squawk-ignore-file` are honoured for rules of the same name, so a team can switch tools.
import type { AnalysedStatement } from '../analyse/fileAnalysis';
import type { OffsetRange } from '../model/positions';
import type { ParsedFile } from '../parse/parseMigration';

/** One ignore comment. */
export interface IgnoreComment {
  tool: 'drydock' | 'squawk';
  scope: 'statement' | 'file';
  /** The comment's own place (where an unused ignore is reported). */
  offsets: OffsetRange;
  /** The statement it applies to (scope 'statement'), or null when no statement follows. */
  target: OffsetRange | null;
  /** The rules it names (none for a bare `-- drydock-ignore`, which silences nothing). */
  ruleIds: string[];
  /** Rule ids that silenced at least one finding. */
  used: Set<string>;
}

// The rule ids are optional, so that a bare `-- drydock-ignore` (which silences nothing) is read
// and reported. Ids are words between blanks: no two parts of the pattern can take the same blank,
// so a line of many blanks is read in one pass (spaces and tabs shared by adjacent parts made
// the engine try every split of them, minutes for 4,000 spaces).
const IGNORE_LINE = /^[ \t]*--[ \t]*(drydock|squawk)-ignore(-file)?(?:[ \t]+([A-Za-z0-9_,-]+(?:[ \t]+[A-Za-z0-9_,-]+)*))?[ \t]*(?::.*)?$/gm;

/** The ignore comments of a file, each tied to the statement that follows it (the analysed statements are asked for only when the file has one). */
export function readIgnores(file: ParsedFile, statements: () => readonly AnalysedStatement[]): IgnoreComment[] {
  if (!file.text.includes('-ignore')) return [];
  const out: IgnoreComment[] = [];
  const starts = statements().map((s) => s.offsets).sort((a, b) => a.start - b.start);
  for (const match of file.text.matchAll(IGNORE_LINE)) {
    const start = (match.index ?? 0) + (match[0].length - match[0].trimStart().length);
    const end = (match.index ?? 0) + match[0].length;
    const scope = match[2] ? 'file' : 'statement';
    // The innermost statement starting after the comment: a DO block's first inner statement when
    // the comment is inside its body, else the next statement of the file.
    const next = starts.find((s) => s.start >= end) ?? null;
    out.push({
      tool: match[1] === 'squawk' ? 'squawk' : 'drydock',
      scope,
      ruleIds: (match[3] ?? '').split(/[\s,]+/).filter((id) => id !== ''),
      offsets: { start, end },
      target: scope === 'statement' ? next : null,
      used: new Set(),
    });
  }
  return out;
}

/** The ignore that silences a finding of `ruleId` at `at`, marking it used; undefined when none does. */
export function ignoreFor(ignores: readonly IgnoreComment[], ruleId: string, at: OffsetRange): IgnoreComment | undefined {
  const found = ignores.find((i) => i.ruleIds.includes(ruleId)
    && (i.scope === 'file' || (i.target !== null && at.start >= i.target.start && at.start <= i.target.end)));
  found?.used.add(ruleId);
  return found;
}
