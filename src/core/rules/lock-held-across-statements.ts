// A lock is held until the transaction ends, not until the statement that took it ends. An
// ACCESS EXCLUSIVE lock taken early in a migration that runs in one transaction keeps every read
// and write of that table waiting while the later statements run, however harmless the first
// statement was on its own (ADD COLUMN without a default is instant, yet its lock is not).
import type { AnalysedStatement } from '../analyse/fileAnalysis';
import { statementKind } from '../parse/statementKind';
import type { Rule } from './rule';
import { blocksExistingTable, statementText } from './statementFacts';

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
  summary: 'An ACCESS EXCLUSIVE lock taken early in a transaction is held while later, slow statements run.',
  help: 'Move the slow statement to its own migration, or take the exclusive lock last, just before COMMIT.',
  check({ analysis, report }) {
    if (!analysis.inTransaction) return;
    const statements = analysis.statements;
    for (const [i, at] of statements.entries()) {
      const held = at.effects.locks.find((l) => l.mode === 'AccessExclusiveLock' && blocksExistingTable(analysis, at, l.relation));
      if (!held) continue;
      for (const later of statements.slice(i + 1)) {
        if (later.statement === at.statement && later.nested === null) continue;
        const slow = slowPart(later, (t) => !analysis.isNewTable(t, later));
        if (!slow) continue;
        const line = analysis.file.lines.positionAt(later.offsets.start).line;
        const kind = later.nested === null ? later.statement.kind : statementKind(later.node, statementText(analysis, later));
        report(at.offsets, `ACCESS EXCLUSIVE on ${held.relation} (blocks reads and writes) is taken here and held until the transaction ends, so every read and write of ${held.relation} waits while line ${line} (${kind} …) ${slow}.`
          + ' Move the slow statement to a migration of its own, or order the file so the exclusive lock is taken last.');
        break;
      }
    }
  },
};
