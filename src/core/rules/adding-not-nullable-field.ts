// ALTER COLUMN … SET NOT NULL scans the whole table under ACCESS EXCLUSIVE, unless PostgreSQL
// (12 and later) can prove it from a validated CHECK (col IS NOT NULL).
import type { Rule } from './rule';
import { alterCommands } from './alterTableCommands';
import { setNotNullScans } from '../analyse/predictEffects';
import { blocksExistingTable, effectsSentence, predictionContext, whereItRuns } from './statementFacts';

export const addingNotNullableField: Rule = {
  id: 'adding-not-nullable-field',
  defaultSeverity: 'error',
  category: 'safety',
  claims: 'scan',
  summary: 'SET NOT NULL scans the whole table while reads and writes wait, unless a validated CHECK (col IS NOT NULL) proves it.',
  help: 'Add CHECK (col IS NOT NULL) NOT VALID, VALIDATE it in a later transaction, then SET NOT NULL (no scan on PostgreSQL 12+) and drop the check.',
  check({ analysis, report }) {
    for (const at of analysis.statements) {
      for (const { table, cmd } of alterCommands(at)) {
        if (cmd.subtype !== 'AT_SetNotNull' || !blocksExistingTable(analysis, at, table) || !setNotNullScans(table, cmd, predictionContext(analysis, at))) continue;
        const column = cmd.name ?? '';
        report(at.offsets, (analysis.settings.pgVersion >= 12 ? `Prove it with a validated CHECK (${column} IS NOT NULL) first: ` : 'Run it at a quiet time, with a short lock_timeout: ')
          + `SET NOT NULL on ${table}.${column}${whereItRuns(at)}.${effectsSentence(at)} Every row is checked for NULL while reads and writes wait.`
          + (analysis.settings.pgVersion >= 12
            ? ` ADD CONSTRAINT … CHECK (${column} IS NOT NULL) NOT VALID and VALIDATE it in a later transaction: PostgreSQL then sets NOT NULL without scanning.`
            : ` PostgreSQL ${analysis.settings.pgVersion} always scans here; on 12 and later a validated CHECK (${column} IS NOT NULL) avoids the scan.`));
      }
    }
  },
};
