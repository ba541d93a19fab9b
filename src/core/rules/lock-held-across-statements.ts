// A lock is held until the transaction ends, not until the statement that took it ends. An
// ACCESS EXCLUSIVE lock taken early in a migration that runs in one transaction keeps every read
// and write of that table waiting while the later statements run, however harmless the first
// statement was on its own (ADD COLUMN without a default is instant, yet its lock is not).
import { describeLock, lockedTable } from '../analyse/describeEffects';
import type { AnalysedStatement } from '../analyse/fileAnalysis';
import { statementKind } from '../parse/statementKind';
import type { Rule } from './rule';
import { blocksExistingTable } from './statementFacts';

/** What makes a statement slow on an existing table: it rewrites, scans or updates every row of one. */
function slowPart(at: AnalysedStatement, existing: (table: string) => boolean): string | null {
  const rewrite = at.effects.rewrites.find(existing);
  if (rewrite) return `rewrites ${rewrite}`;
  const every = at.effects.everyRow.find(existing);
  if (every) return `writes every row of ${every}`;
  const scan = at.effects.scans.find(existing);
  return scan ? `reads all of ${scan}` : null;
}

export const lockHeldAcrossStatements: Rule = {
  id: 'lock-held-across-statements',
  defaultSeverity: 'error',
  category: 'safety',
  claims: 'lock',
  summary: 'An ACCESS EXCLUSIVE lock taken early in a transaction is held while later, slow statements run.',
  help: 'Move the slow statement to its own migration, or take the exclusive lock last, just before COMMIT.',
  check({ analysis, report }) {
    if (!analysis.inTransaction) return;
    const statements = analysis.statements;
    // The first slow statement after each position, found in one pass from the end.
    const nextSlow: ({ at: AnalysedStatement; slow: string } | null)[] = new Array(statements.length + 1).fill(null);
    for (let i = statements.length - 1; i >= 0; i--) {
      const later = statements[i]!;
      const slow = slowPart(later, (t) => !analysis.isNewTable(t, later));
      nextSlow[i] = slow ? { at: later, slow } : nextSlow[i + 1]!;
    }
    for (const [i, at] of statements.entries()) {
      const held = at.effects.locks.find((l) => l.mode === 'AccessExclusiveLock' && blocksExistingTable(analysis, at, l.relation));
      if (!held) continue;
      // Statements inside this one (a DO block's) run before its lock is released too, so they count.
      const next = nextSlow[i + 1];
      if (!next) continue;
      const line = analysis.file.lines.positionAt(next.at.offsets.start).line;
      const kind = next.at.nested === null ? next.at.statement.kind : statementKind(next.at.node);
      report(at.offsets, `${describeLock(held)} is taken here and held until the transaction ends, so every read and write of ${lockedTable(held)} waits while line ${line} (${kind} …) ${next.slow}.`
        + ' Move the slow statement to a migration of its own, or order the file so the exclusive lock is taken last.');
    }
  },
};
