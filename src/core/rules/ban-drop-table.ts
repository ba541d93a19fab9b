// DROP TABLE loses the table's data for good, and clients that still use it fail.
import { qualifiedListName } from '../analyse/relationNames';
import type { Rule } from './rule';
import { effectsSentence, whereItRuns } from './statementFacts';

export const banDropTable: Rule = {
  id: 'ban-drop-table',
  defaultSeverity: 'warning',
  category: 'safety',
  summary: 'DROP TABLE loses data and breaks clients that still use the table.',
  help: 'Stop using the table in every deployed client first (or rename it aside), and drop it in a later release.',
  check({ analysis, report }) {
    for (const at of analysis.statements) {
      if (!('DropStmt' in at.node) || at.node.DropStmt.removeType !== 'OBJECT_TABLE') continue;
      const tables = (at.node.DropStmt.objects ?? []).map((o) => ('List' in o ? qualifiedListName(o.List.items) : '')).filter((t) => !analysis.isNewTable(t, at));
      if (tables.length === 0) continue;
      report(at.offsets, `Drop it in a release after no deployed code uses it: DROP TABLE ${tables.join(', ')}${whereItRuns(at)}.${effectsSentence(at)} The data is gone for good, and running clients that still use it fail.`);
    }
  },
};
