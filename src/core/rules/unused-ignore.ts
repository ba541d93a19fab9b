// An ignore comment that silences nothing: the rule no longer reports there (the statement was
// fixed or moved), or the id is misspelt. Left in place it would silence a future real finding.
import type { IgnoreComment } from './ignores';
import type { Rule } from './rule';

export const UNUSED_IGNORE_ID = 'unused-ignore';

/** The message for one unused id of an ignore comment. */
export function unusedIgnoreMessage(ruleId: string, ignore: IgnoreComment, known: boolean): string {
  const where = ignore.scope === 'file' ? 'in this file' : ignore.target ? 'on the next statement' : 'here (no statement follows)';
  return known
    ? `This ignore silences nothing: ${ruleId} reports nothing ${where}. Remove it, or it will hide a future finding.`
    : `This ignore names ${ruleId}, which is not a Drydock rule (see \`drydock rules\`): it silences nothing.`;
}

/** The message for an ignore comment that names no rule. */
export function bareIgnoreMessage(ignore: IgnoreComment): string {
  const form = ignore.scope === 'file' ? '-- drydock-ignore-file' : '-- drydock-ignore';
  return `This ignore names no rule, so it silences nothing. Name the rules it is for (\`${form} <rule-id>: reason\`; \`drydock rules\` lists them), or remove it.`;
}

export const unusedIgnore: Rule = {
  id: UNUSED_IGNORE_ID,
  defaultSeverity: 'warning',
  category: 'convention',
  summary: 'A `-- drydock-ignore` comment that silences no finding, names no rule, or names an id that is no rule.',
  help: 'Remove the ignore, or correct the rule id; `drydock rules` lists the ids.',
  // Reported by checkFiles, which knows which ignores were used once every other rule has run.
  check() {},
};
