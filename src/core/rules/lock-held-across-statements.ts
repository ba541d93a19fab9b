// A lock is held until the transaction ends, not until the statement that took it ends. An
// ACCESS EXCLUSIVE lock taken early in a migration that runs in one transaction keeps every read
// and write of that table waiting while the later statements run, however harmless the first
// statement was on its own (ADD COLUMN without a default is instant, yet its lock is not). A slow
// statement that takes ACCESS EXCLUSIVE on the same table itself adds nothing to wait for: the
// table waits for it anyway, wherever the earlier lock was taken.
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

interface Slow {
  at: AnalysedStatement;
  slow: string;
}

/** The relations a statement locks ACCESS EXCLUSIVE. */
function exclusivelyLocked(at: AnalysedStatement): string[] {
  return at.effects.locks.filter((l) => l.mode === 'AccessExclusiveLock').map((l) => l.relation);
}

/**
 * For each statement, the first slow statement after it that does not lock a given relation
 * ACCESS EXCLUSIVE itself, found in one pass from the end: `first` is the nearest slow statement,
 * and `past` holds, for the relations that one locks exclusively, the answer beyond it.
 */
function laterSlowStatements(statements: readonly AnalysedStatement[], slowOf: (at: AnalysedStatement) => string | null): ((relation: string) => Slow | null)[] {
  const answers: ((relation: string) => Slow | null)[] = new Array(statements.length);
  let first: Slow | null = null;
  let past = new Map<string, Slow | null>();
  for (let i = statements.length - 1; i >= 0; i--) {
    const nearest = first;
    const beyond = past;
    answers[i] = (relation) => (beyond.has(relation) ? beyond.get(relation)! : nearest);
    const at = statements[i]!;
    const slow = slowOf(at);
    if (!slow) continue;
    const answerBefore = answers[i]!;
    past = new Map(exclusivelyLocked(at).map((relation) => [relation, answerBefore(relation)]));
    first = { at, slow };
  }
  return answers;
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
    const later = laterSlowStatements(statements, (at) => slowPart(at, (t) => !analysis.isNewTable(t, at)));
    for (const [i, at] of statements.entries()) {
      const held = at.effects.locks.find((l) => l.mode === 'AccessExclusiveLock' && blocksExistingTable(analysis, at, l.relation));
      if (!held) continue;
      // Statements inside this one (a DO block's) run before its lock is released too, so they count.
      const next = later[i]!(held.relation);
      if (!next) continue;
      const line = analysis.file.lines.positionAt(next.at.offsets.start).line;
      const kind = next.at.nested === null ? next.at.statement.kind : statementKind(next.at.node);
      report(at.offsets, `Move line ${line} to a migration of its own, or take this lock last: ${describeLock(held)} is taken here and held until the transaction ends,`
        + ` so every read and write of ${lockedTable(held)} waits while line ${line} (${kind} …) ${next.slow}.`);
    }
  },
};
