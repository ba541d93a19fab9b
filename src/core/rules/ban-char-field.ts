// char(n) pads every value with spaces to n characters and compares ignoring them: surprising, and
// never faster than text in PostgreSQL.
import { typeRule } from './typeRule';

export const banCharField = typeRule({
  id: 'ban-char-field',
  summary: 'char(n) pads values with spaces and is never faster than text.',
  help: 'Use text (with a CHECK on length(…) if the length matters).',
  reports: (t) => t.name === 'char',
  action: () => 'Use text',
  why: () => 'char(n) pads every value with spaces to its length, and comparisons ignore them; in PostgreSQL it is stored like text and never faster. Where the length matters, add CHECK (length(…) <= n).',
  replacement: () => 'text',
});
