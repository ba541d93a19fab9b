// A statement that reads or rewrites a whole table while holding a lock that blocks reads or
// writes keeps the application waiting for as long as the table is big. statement_timeout bounds it.
import type { Rule } from './rule';
import { blocksExistingTable } from './statementFacts';
import { setTimeoutFix } from './fixes/lockTimeoutFix';

export const requireStatementTimeout: Rule = {
  id: 'require-statement-timeout',
  defaultSeverity: 'info',
  category: 'safety',
  summary: 'A statement that scans or rewrites a table under a blocking lock runs without a statement_timeout set earlier in the file.',
  help: "Set statement_timeout (SET statement_timeout = '60s') before it, so a table larger than expected fails the migration instead of blocking the application.",
  check({ analysis, report }) {
    const set = analysis.statementTimeoutSet;
    for (const at of analysis.statements) {
      if (set && set.order < at.order) return;
      const long = [...at.effects.rewrites, ...at.effects.scans].find((t) => blocksExistingTable(analysis, at, t));
      if (!long) continue;
      const fix = setTimeoutFix(analysis, 'statement_timeout', '60s');
      // The action first: the Problems panel shows a message's first line, cut at its width.
      report(at.offsets, `Set statement_timeout first (SET statement_timeout = '60s'): this statement ${at.effects.rewrites.includes(long) ? 'rewrites' : 'reads all of'} ${long} under a lock that blocks its ${at.effects.locks.find((l) => l.relation === long)?.mode === 'AccessExclusiveLock' ? 'reads and writes' : 'writes'}, for as long as the table is big.`, fix ? { fix } : {});
      return;
    }
  },
};
