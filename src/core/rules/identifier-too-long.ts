// PostgreSQL cuts identifiers to 63 bytes (NAMEDATALEN - 1) with only a NOTICE: two long names
// that share their first 63 bytes become the same name, and the name in the catalog is not the one
// in the migration.
import type { Rule } from './rule';
import { statementText, statementTokens } from './statementFacts';

const MAX_BYTES = 63;
// A run of identifier characters (or a quoted identifier) that may be over the limit: 16 characters
// of four bytes each already make 64 bytes, so only shorter runs are certainly fine.
const LONG_RUN = /[\p{L}\p{N}_$]{16,}|"[^"]{16,}"/u;

export const identifierTooLong: Rule = {
  id: 'identifier-too-long',
  defaultSeverity: 'warning',
  category: 'convention',
  summary: 'An identifier longer than 63 bytes, which PostgreSQL silently truncates.',
  help: 'Shorten the name to at most 63 bytes.',
  check({ analysis, report }) {
    for (const at of analysis.statements) {
      if (at.nested === null && 'DoStmt' in at.node) continue; // its inner statements are judged themselves
      if (!LONG_RUN.test(statementText(analysis, at))) continue;
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
