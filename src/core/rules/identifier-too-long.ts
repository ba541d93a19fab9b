// PostgreSQL cuts identifiers to 63 bytes (NAMEDATALEN - 1) with only a NOTICE: two long names
// that share their first 63 bytes become the same name, and the name in the catalog is not the one
// in the migration.
import type { Rule } from './rule';
import { statementText, statementTokens } from './statementFacts';

const MAX_BYTES = 63;
// A cheap filter before the scanner (which tells identifiers from strings and comments): an
// identifier over 63 bytes is at least 22 UTF-16 units long (3-byte characters are one unit each,
// 4-byte ones two), and every character of an unquoted one is ASCII \w, $ or beyond U+007F. Without
// the u flag the regex engine runs over UTF-16 units, several times faster than over
// \p{L}\p{N} code points; it matches more than identifiers, never fewer. A run is only tried from
// its first character (the lookbehind): tried from every character, a run of n < 22 word characters
// cost n²/2 steps, which made this filter ~40% slower on real migrations. A match stops after 64
// units, which are more than 63 bytes whatever they are: an unbounded repetition ran out of the
// regex engine's stack on a long run (a 10 MB bytea literal is one).
const WORDS = /(?<![\w$\u0080-\uffff])[\w$\u0080-\uffff]{22,64}|"(?:[^"]|""){22,64}/g;

function hasLongWord(text: string): boolean {
  if (text.length < 22) return false;
  WORDS.lastIndex = 0;
  for (let match = WORDS.exec(text); match; match = WORDS.exec(text)) {
    // A quoted match holds its opening quote (and maybe no closing one): its name is at most one byte shorter.
    if (Buffer.byteLength(match[0], 'utf8') > MAX_BYTES + (match[0].startsWith('"') ? 1 : 0)) return true;
  }
  return false;
}

export const identifierTooLong: Rule = {
  id: 'identifier-too-long',
  defaultSeverity: 'warning',
  category: 'convention',
  summary: 'An identifier longer than 63 bytes, which PostgreSQL silently truncates.',
  help: 'Shorten the name to at most 63 bytes.',
  check({ analysis, report }) {
    for (const at of analysis.statements) {
      if (at.nested === null && 'DoStmt' in at.node) continue; // its inner statements are judged themselves
      if (!hasLongWord(statementText(analysis, at))) continue;
      const tokens = statementTokens(analysis, at);
      for (const token of tokens?.text.tokens ?? []) {
        if (token.keyword || !/^("|[\p{L}_])/u.test(token.text)) continue;
        const name = token.text.startsWith('"') ? token.text.slice(1, -1).replace(/""/g, '"') : token.text.toLowerCase();
        const bytes = Buffer.byteLength(name, 'utf8');
        if (bytes <= MAX_BYTES) continue;
        const offsets = { start: tokens!.base + token.start, end: tokens!.base + token.end };
        report(offsets, `Shorten ${name.slice(0, 20)}… to 63 bytes or fewer (it has ${bytes}): PostgreSQL cuts it with only a NOTICE,`
          + ' so the catalog holds a different name than the migration, and two names sharing those 63 bytes collide.');
      }
    }
  },
};
