// ALTER TYPE … ADD VALUE without BEFORE or AFTER appends the value: an enum sorts and compares by
// declaration order, so where the value lands decides ORDER BY and < / > on the column.
import { qualifiedListName } from '../analyse/relationNames';
import type { Rule } from './rule';
import { whereItRuns } from './statementFacts';

export const requireEnumValueOrdering: Rule = {
  id: 'require-enum-value-ordering',
  defaultSeverity: 'warning',
  category: 'convention',
  summary: 'ALTER TYPE … ADD VALUE without BEFORE or AFTER: the new value sorts last.',
  help: "Say where the value belongs: ALTER TYPE … ADD VALUE 'x' BEFORE 'y' (or AFTER 'y').",
  check({ analysis, report }) {
    for (const at of analysis.statements) {
      if (!('AlterEnumStmt' in at.node) || !at.node.AlterEnumStmt.newVal || at.node.AlterEnumStmt.newValNeighbor || at.node.AlterEnumStmt.oldVal) continue;
      const type = qualifiedListName(at.node.AlterEnumStmt.typeName);
      report(at.offsets, `Say where '${at.node.AlterEnumStmt.newVal}' belongs with BEFORE '…' or AFTER '…': without them ADD VALUE appends it to ${type}${whereItRuns(at)},`
        + ` and enum values sort and compare by their declared order, so ORDER BY and < / > on ${type} columns put it last.`
        + (analysis.settings.pgVersion < 12 && analysis.inTransaction ? ` On PostgreSQL ${analysis.settings.pgVersion} ADD VALUE also cannot run inside a transaction block.` : ''));
    }
  },
};
