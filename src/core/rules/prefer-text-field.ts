// varchar(n): changing n later rewrites or re-checks the table under ACCESS EXCLUSIVE; text with a
// CHECK can be changed with NOT VALID + VALIDATE.
import { typeRule } from './typeRule';

export const preferTextField = typeRule({
  id: 'prefer-text-field',
  summary: 'varchar(n) makes a later change of the limit an ALTER COLUMN TYPE under ACCESS EXCLUSIVE.',
  help: 'Use text, with a CHECK (length(col) <= n) constraint when the limit matters: it can be changed NOT VALID, without a rewrite.',
  reports: (t) => t.name === 'varchar' && t.modifiers.length > 0,
  action: () => 'Use text',
  why: (w) => `varchar(${w.type.modifiers[0]}) limits the length in the type: lowering the limit later rewrites the table under ACCESS EXCLUSIVE (blocks reads and writes). Where the limit matters, add CHECK (length(${w.column}) <= ${w.type.modifiers[0]}): a CHECK can be replaced NOT VALID, without a rewrite.`,
  replacement: () => 'text',
});
