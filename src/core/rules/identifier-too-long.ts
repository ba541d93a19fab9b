// PostgreSQL cuts identifiers to 63 bytes (NAMEDATALEN - 1) with only a NOTICE: two long names
// that share their first 63 bytes become the same name, and the name in the catalog is not the one
// in the migration.
import type { Rule } from './rule';
import { statementText, statementTokens } from './statementFacts';

const MAX_BYTES = 63;
// Runs of identifier characters and quoted identifiers; only a run over 63 bytes makes the
// statement worth scanning (the scanner then tells identifiers from strings and comments).
const WORDS = /[\p{L}\p{N}_$]{16,}|"(?:[^"]|""){16,}"/gu;

function hasLongWord(text: string): boolean {
  for (const match of text.matchAll(WORDS)) if (Buffer.byteLength(match[0], 'utf8') > MAX_BYTES + (match[0].startsWith('"') ? 2 : 0)) return true;
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
        report(offsets, `The identifier ${name.slice(0, 20)}… is ${bytes} bytes: PostgreSQL cuts it to its first 63 bytes with only a NOTICE,`
          + ' so the catalog holds a different name than the migration, and two names sharing those 63 bytes collide. Shorten it.');
      }
    }
  },
};
