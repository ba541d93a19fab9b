// Stable fingerprints of findings, for the CI formats that track a finding across commits (SARIF's
// partialFingerprints, GitLab Code Quality's fingerprint). A fingerprint hashes what the finding is
// about, never its line: the file's path, the rule, the finding's SQL with its whitespace collapsed
// (or, without the file's text, its message), and how many findings of the same rule on the same
// text come before it in the file. Lines added or removed above a finding leave it unchanged; two identical
// statements in one file get distinct fingerprints.
import { createHash } from 'node:crypto';
import type { Finding } from '../model/findings';
import { relativeToBase } from './relativePath';

/** The key SARIF's partialFingerprints use for Drydock's fingerprint (versioned: a new scheme gets a new key). */
export const SARIF_FINGERPRINT_KEY = 'drydockFinding/v1';

/** A file's text by its path as findings name it, or undefined when it is not at hand. */
export type SourceOf = (file: string) => string | undefined;

function collapsed(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** What a finding is about: its SQL text when the file's text is at hand, else its message. */
function subject(finding: Finding, sourceOf: SourceOf | undefined): string {
  const text = sourceOf?.(finding.file);
  const { start, end } = finding.offsets;
  if (text !== undefined && end > start && end <= text.length) return `sql:${collapsed(text.slice(start, end))}`;
  return `message:${collapsed(finding.message)}`;
}

/** One fingerprint per finding (same order): 32 hex digits of a SHA-256. Paths count relative to `baseDir`. */
export function findingFingerprints(findings: readonly Finding[], baseDir: string, sourceOf?: SourceOf): string[] {
  // Occurrences are counted in file order, whatever order the findings come in.
  const order = findings.map((f, i) => i).sort((a, b) => {
    const fa = findings[a]!;
    const fb = findings[b]!;
    return fa.file < fb.file ? -1 : fa.file > fb.file ? 1 : fa.offsets.start - fb.offsets.start || fa.offsets.end - fb.offsets.end || a - b;
  });
  const seen = new Map<string, number>();
  const out = new Array<string>(findings.length);
  for (const i of order) {
    const finding = findings[i]!;
    const about = `${finding.ruleId}\0${subject(finding, sourceOf)}`;
    const key = `${relativeToBase(finding.file, baseDir)}\0${about}`;
    const occurrence = seen.get(key) ?? 0;
    seen.set(key, occurrence + 1);
    // The path is hashed too: the same statement in two files is two findings to a CI tool.
    out[i] = createHash('sha256').update(`${key}\0${occurrence}`).digest('hex').slice(0, 32);
  }
  return out;
}
