// ADD CONSTRAINT … CHECK / FOREIGN KEY validates every existing row while holding its lock:
// ACCESS EXCLUSIVE for a CHECK (reads and writes wait), SHARE ROW EXCLUSIVE on both tables for a
// foreign key (writes wait). NOT VALID skips the scan; VALIDATE CONSTRAINT later scans under SHARE
// UPDATE EXCLUSIVE, which lets reads and writes go on.
import { quoteIdent } from '../sql/quoting';
import type { Rule } from './rule';
import { alterCommands } from './alterTableCommands';
import { blocksExistingTable, effectsSentence, whereItRuns } from './statementFacts';
import { splitNotValidFix } from './fixes/splitNotValidFix';

export const constraintMissingNotValid: Rule = {
  id: 'constraint-missing-not-valid',
  defaultSeverity: 'error',
  category: 'safety',
  claims: 'scan',
  summary: 'ADD CONSTRAINT CHECK or FOREIGN KEY without NOT VALID scans the table under a lock that blocks writes (a CHECK: reads too).',
  help: 'Add the constraint NOT VALID, then ALTER TABLE … VALIDATE CONSTRAINT in a later transaction.',
  check({ analysis, report }) {
    for (const at of analysis.statements) {
      const commands = alterCommands(at);
      for (const { table, constraint } of commands) {
        if (!constraint || constraint.skip_validation) continue;
        if (constraint.contype !== 'CONSTR_CHECK' && constraint.contype !== 'CONSTR_FOREIGN') continue;
        if (!blocksExistingTable(analysis, at, table)) continue;
        const kind = constraint.contype === 'CONSTR_CHECK' ? 'CHECK' : 'FOREIGN KEY';
        const fix = commands.length === 1 ? splitNotValidFix(analysis, at, table, constraint) : null;
        report(at.offsets, `${constraint.conname ? 'Add it' : 'Name it and add it'} NOT VALID, then VALIDATE it later: ADD CONSTRAINT … ${kind} without NOT VALID${whereItRuns(at)}.${effectsSentence(at)} Every existing row is checked while the lock is held.`
          + ` NOT VALID checks only new rows and holds the lock briefly; VALIDATE CONSTRAINT ${constraint.conname ? quoteIdent(constraint.conname) : '(with the name given in ADD CONSTRAINT name …)'} in a later transaction takes SHARE UPDATE EXCLUSIVE and lets reads and writes go on.`,
        fix ? { fix } : {});
      }
      // NOT VALID then VALIDATE in the same transaction holds the first lock through the scan.
      for (const { table, cmd } of commands) {
        if (cmd.subtype !== 'AT_ValidateConstraint' || !analysis.inTransaction || at.nested !== null) continue;
        const added = analysis.statements.find((s) => s.order < at.order && alterCommands(s).some((c) => c.table === table && c.constraint?.conname === cmd.name && c.constraint?.skip_validation === true));
        if (!added || analysis.isNewTable(table, at)) continue;
        report(at.offsets, `Validate in a later migration: VALIDATE CONSTRAINT ${quoteIdent(cmd.name ?? '')} runs in the same transaction that added it NOT VALID (line ${analysis.file.lines.positionAt(added.offsets.start).line}).`
          + ` The lock the ADD took on ${table} is held until COMMIT, so the validation scan runs under it and NOT VALID gains nothing (a no-transaction directive on this file also avoids it).`);
      }
    }
  },
};
