// ADD CONSTRAINT … UNIQUE builds its index under ACCESS EXCLUSIVE: reads and writes wait for the
// whole build. Building the index CONCURRENTLY first and attaching it (USING INDEX) locks only
// for the moment the attach takes.
import { quoteIdent } from '../sql/quoting';
import type { Rule } from './rule';
import { alterCommands, columnConstraints } from './alterTableCommands';
import { blocksExistingTable, effectsSentence, whereItRuns } from './statementFacts';
import { uniqueViaIndexFix } from './fixes/uniqueViaIndexFix';

export const disallowedUniqueConstraint: Rule = {
  id: 'disallowed-unique-constraint',
  defaultSeverity: 'error',
  category: 'safety',
  claims: 'scan',
  summary: 'ADD CONSTRAINT … UNIQUE on an existing table builds its index while reads and writes wait.',
  help: 'CREATE UNIQUE INDEX CONCURRENTLY first, then ALTER TABLE … ADD CONSTRAINT … UNIQUE USING INDEX.',
  check({ analysis, report, files }) {
    for (const at of analysis.statements) {
      const commands = alterCommands(at);
      for (const { table, cmd, constraint } of commands) {
        // ADD COLUMN … UNIQUE builds the same index under the same lock.
        const inline = cmd.subtype === 'AT_AddColumn' && columnConstraints(cmd).some((c) => c.contype === 'CONSTR_UNIQUE');
        if (inline && blocksExistingTable(analysis, at, table)) {
          const column = cmd.def && 'ColumnDef' in cmd.def ? cmd.def.ColumnDef.colname ?? '' : '';
          report(at.offsets, `Add the column without UNIQUE, then build its index CONCURRENTLY: ADD COLUMN ${column} … UNIQUE${whereItRuns(at)}.${effectsSentence(at)} The unique index is built while every read and write of ${table} waits.`
            + ` CREATE UNIQUE INDEX CONCURRENTLY on ${table} (${column}), then ADD CONSTRAINT … UNIQUE USING INDEX, which only takes the lock for a moment.`);
          continue;
        }
        if (constraint?.contype !== 'CONSTR_UNIQUE' || constraint.indexname) continue;
        if (!blocksExistingTable(analysis, at, table)) continue;
        const name = constraint.conname ?? `${table.replace(/^.*\./, '')}_key`;
        const fix = commands.length === 1 ? uniqueViaIndexFix(analysis, at, table, constraint, files) : null;
        report(at.offsets, `Build the unique index CONCURRENTLY, then attach it: ADD CONSTRAINT … UNIQUE${whereItRuns(at)}.${effectsSentence(at)} The unique index is built while every read and write of ${table} waits.`
          + ` CREATE UNIQUE INDEX CONCURRENTLY ${quoteIdent(name)} …, then ADD CONSTRAINT ${quoteIdent(name)} UNIQUE USING INDEX ${quoteIdent(name)}, which only takes the lock for a moment.`,
        fix ? { fix } : {});
      }
    }
  },
};
