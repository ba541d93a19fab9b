// TRUNCATE … CASCADE also empties every table that references the named ones, and the ones that
// reference those: often far more than intended.
import { relationName } from '../analyse/relationNames';
import type { Rule } from './rule';
import { effectsSentence, whereItRuns } from './statementFacts';

export const banTruncateCascade: Rule = {
  id: 'ban-truncate-cascade',
  defaultSeverity: 'error',
  category: 'safety',
  summary: 'TRUNCATE … CASCADE also empties every table that references the truncated ones.',
  help: 'Name every table to truncate explicitly, without CASCADE.',
  check({ analysis, report }) {
    for (const at of analysis.statements) {
      if (!('TruncateStmt' in at.node) || at.node.TruncateStmt.behavior !== 'DROP_CASCADE') continue;
      const tables = (at.node.TruncateStmt.relations ?? []).map((r) => ('RangeVar' in r ? relationName(r.RangeVar) : ''));
      report(at.offsets, `Name each table to empty, without CASCADE: TRUNCATE ${tables.join(', ')} CASCADE${whereItRuns(at)} also empties every table with a foreign key to these (and to those, recursively), under ACCESS EXCLUSIVE (blocks reads and writes).${effectsSentence(at)}`);
    }
  },
};
