// An ignore comment that silences nothing: the rule no longer reports there (the statement was
// fixed or moved), or the id is misspelt. Left in place it would silence a future real finding.
import type { IgnoreComment } from './ignores';
import type { Rule } from './rule';

export const UNUSED_IGNORE_ID = 'unused-ignore';

/** The message for one unused id of an ignore comment. */
export function unusedIgnoreMessage(ruleId: string, ignore: IgnoreComment, known: boolean): string {
  const where = ignore.scope === 'file' ? 'in this file' : ignore.target ? 'on the next statement' : 'here (no statement follows)';
  return known
    ? `Remove this ignore of ${ruleId}: the rule reports nothing ${where}, and left in place it would hide a future finding.`
    : `Correct or remove ${ruleId} in this ignore: it is not a Drydock rule (see \`drydock rules\`), so it silences nothing.`;
}

/** The message for an ignore comment that names no rule. */
export function bareIgnoreMessage(ignore: IgnoreComment): string {
  const form = ignore.scope === 'file' ? '-- drydock-ignore-file' : '-- drydock-ignore';
  return `Name the rules this ignore is for, or remove it: it names no rule, so it silences nothing (\`${form} <rule-id>: reason\`; \`drydock rules\` lists them).`;
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
