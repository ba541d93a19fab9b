// GitHub Actions workflow commands: each finding becomes an annotation on its file and line
// (`::error file=…,line=…,col=…::message`), shown on the pull request's diff.
import { createHash } from 'node:crypto';
import type { Finding, Severity } from '../model/findings';

const COMMANDS: Record<Severity, 'error' | 'warning' | 'notice'> = { error: 'error', warning: 'warning', info: 'notice' };

// The escapes the Actions runner reads back (toolkit's command.ts): data escapes %, CR and LF;
// property values also , and :.
function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** One workflow command for a finding. */
export function findingToGithub(finding: Finding): string {
  const { start, end } = finding.range;
  const properties = [
    `file=${escapeProperty(finding.file)}`, `line=${start.line}`, `endLine=${end.line}`, `col=${start.column}`,
    ...(start.line === end.line ? [`endColumn=${end.column}`] : []), `title=${escapeProperty(`drydock ${finding.ruleId}`)}`,
  ];
  const message = finding.help ? `${finding.message}\n${finding.help}` : finding.message;
  return `::${COMMANDS[finding.severity]} ${properties.join(',')}::${escapeData(message)}`;
}

/** Workflow commands for the findings, one per line. */
export function findingsToGithub(findings: readonly Finding[]): string {
  return findings.map(findingToGithub).join('\n');
}

/**
 * Text for the log that the runner must not read as commands: a migration's notice can hold a line
 * like `::error::…` (the runner trims leading spaces before it looks). The runner's own
 * `::stop-commands::TOKEN` … `::TOKEN::` brackets it; the token is a hash of the text, which the
 * text therefore cannot contain.
 */
export function withoutWorkflowCommands(text: string): string {
  const token = `drydock-${createHash('sha256').update(text).digest('hex').slice(0, 32)}`;
  return `::stop-commands::${token}\n${text}\n::${token}::`;
}
