// GitLab Code Quality (the report `artifacts:reports:codequality` takes): a JSON array with one
// issue per finding, in the fields GitLab documents (description, check_name, fingerprint,
// severity, location.path relative to the repository, location.lines.begin).
import type { Finding, Severity } from '../model/findings';
import { findingFingerprints, type SourceOf } from './fingerprints';
import { relativeToBase } from './relativePath';

/** GitLab's severities are info, minor, major, critical, blocker; Drydock's error is the one that fails CI. */
const SEVERITIES: Record<Severity, 'info' | 'minor' | 'major'> = { error: 'major', warning: 'minor', info: 'info' };

/** One Code Quality issue. */
export interface GitlabIssue {
  description: string;
  check_name: string;
  fingerprint: string;
  severity: 'info' | 'minor' | 'major' | 'critical' | 'blocker';
  location: { path: string; lines: { begin: number; end: number } };
}

/** The findings as GitLab Code Quality issues. */
export function findingsToGitlab(findings: readonly Finding[], options: { baseDir: string; sourceOf?: SourceOf }): GitlabIssue[] {
  const fingerprints = findingFingerprints(findings, options.baseDir, options.sourceOf);
  return findings.map((f, i) => ({
    description: f.help ? `${f.message} — ${f.help}` : f.message,
    check_name: f.ruleId,
    fingerprint: fingerprints[i]!,
    severity: SEVERITIES[f.severity],
    location: { path: relativeToBase(f.file, options.baseDir), lines: { begin: f.range.start.line, end: f.range.end.line } },
  }));
}
