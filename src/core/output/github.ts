// GitHub Actions workflow commands: each finding becomes an annotation on its file and line
// (`::error file=…,line=…,col=…::message`), shown on the pull request's diff.
import { createHash } from 'node:crypto';
import type { Finding, Severity } from '../model/findings';

const COMMANDS: Record<Severity, 'error' | 'warning' | 'notice'> = { error: 'error', warning: 'warning', info: 'notice' };

// The escapes the Actions runner reads back (toolkit's command.ts): data escapes %, CR and LF;
// property values also , and :.
/** Text as the data of a workflow command (the runner reads %25, %0D and %0A back). */
export function escapeData(text: string): string {
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
 * Lines for the log that the runner must not read as commands: a migration's notice can hold a line
 * like `::error::…` (the runner trims leading spaces before it looks). The runner's own
 * `::stop-commands::TOKEN` … `::TOKEN::` brackets them; the token is a hash of the lines, which the
 * lines therefore cannot contain.
 */
export function* withoutWorkflowCommands(lines: readonly string[]): Generator<string> {
  const hash = createHash('sha256');
  for (const line of lines) hash.update(line).update('\n');
  const token = `drydock-${hash.digest('hex').slice(0, 32)}`;
  yield `::stop-commands::${token}`;
  yield* lines;
  yield `::${token}::`;
}
