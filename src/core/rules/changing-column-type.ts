// ALTER COLUMN … TYPE rewrites the table and rebuilds its indexes under ACCESS EXCLUSIVE, except
// for the binary-coercible changes PostgreSQL does in place (varchar(n) → text, a longer varchar, …).
import { columnTypeText } from '../analyse/columnTypes';
import type { Rule } from './rule';
import { alterCommands } from './alterTableCommands';
import { typeChangeRewrites } from '../analyse/predictEffects';
import { effectsSentence, predictionContext, whereItRuns } from './statementFacts';

export const changingColumnType: Rule = {
  id: 'changing-column-type',
  defaultSeverity: 'error',
  category: 'safety',
  claims: 'rewrite',
  summary: 'ALTER COLUMN … TYPE rewrites the table and its indexes while reads and writes wait.',
  help: 'Add a new column of the new type, backfill it in batches, switch the application over, then drop the old column.',
  check({ analysis, report }) {
    for (const at of analysis.statements) {
      for (const { table, cmd } of alterCommands(at)) {
        if (cmd.subtype !== 'AT_AlterColumnType' || analysis.isNewTable(table, at) || !typeChangeRewrites(table, cmd, predictionContext(analysis, at))) continue;
        const from = analysis.schema.columnType(table, cmd.name ?? '', at.order);
        report(at.offsets, `Add a column of the new type and move to it in steps: ALTER COLUMN ${cmd.name ?? ''} TYPE on ${table}${from ? ` (from ${columnTypeText(from)})` : ''}${whereItRuns(at)}.${effectsSentence(at)} Its indexes are rebuilt too.`
          + ' Backfill the new column in batches, move reads and writes to it, then drop the old one.');
      }
    }
  },
};
