// In a migration that runs outside a transaction, a failure part-way leaves the earlier
// statements applied: re-running it then fails on what already exists, unless each statement is
// written to be re-runnable (IF NOT EXISTS / IF EXISTS). A file that runs in one transaction rolls
// back as a whole, so there it does not matter.
import type { AnalysedStatement, FileAnalysis } from '../analyse/fileAnalysis';
import type { TextEdit } from '../model/findings';
import { fixOf, insertText } from './fixes/edits';
import type { Rule } from './rule';
import { alterCommands } from './alterTableCommands';
import { statementTokens } from './statementFacts';

interface Fragile {
  what: string;
  /** The keyword after which IF [NOT] EXISTS goes (searched from the statement start, or after `after`). */
  keyword: string;
  after?: string;
  clause: 'IF NOT EXISTS' | 'IF EXISTS';
}

function fragileParts(at: AnalysedStatement, analysis: FileAnalysis): Fragile[] {
  const n = at.node;
  if ('CreateStmt' in n && !n.CreateStmt.if_not_exists) return [{ what: 'CREATE TABLE', keyword: 'TABLE', clause: 'IF NOT EXISTS' }];
  if ('IndexStmt' in n && !n.IndexStmt.if_not_exists && n.IndexStmt.idxname) {
    return [{ what: 'CREATE INDEX', keyword: n.IndexStmt.concurrent ? 'CONCURRENTLY' : 'INDEX', clause: 'IF NOT EXISTS' }];
  }
  if ('DropStmt' in n && !n.DropStmt.missing_ok && ['OBJECT_TABLE', 'OBJECT_INDEX', 'OBJECT_SEQUENCE', 'OBJECT_VIEW', 'OBJECT_TYPE'].includes(n.DropStmt.removeType ?? '')) {
    const keyword = n.DropStmt.concurrent ? 'CONCURRENTLY' : (n.DropStmt.removeType ?? '').replace('OBJECT_', '');
    return [{ what: `DROP ${(n.DropStmt.removeType ?? '').replace('OBJECT_', '')}`, keyword, clause: 'IF EXISTS' }];
  }
  const out: Fragile[] = [];
  for (const { table, cmd } of alterCommands(at)) {
    if (cmd.subtype === 'AT_AddColumn' && !cmd.missing_ok) out.push({ what: 'ADD COLUMN', keyword: 'ADD', clause: 'IF NOT EXISTS' });
    if (cmd.subtype === 'AT_DropColumn' && !cmd.missing_ok) out.push({ what: 'DROP COLUMN', keyword: 'DROP', clause: 'IF EXISTS' });
    if (cmd.subtype === 'AT_DropConstraint' && !cmd.missing_ok) out.push({ what: 'DROP CONSTRAINT', keyword: 'CONSTRAINT', after: 'DROP', clause: 'IF EXISTS' });
    if (cmd.subtype === 'AT_AddConstraint' && cmd.def && 'Constraint' in cmd.def) {
      const name = cmd.def.Constraint.conname;
      // ADD CONSTRAINT has no IF NOT EXISTS: re-runnable when the file drops it IF EXISTS first.
      const dropped = analysis.statements.some((s) => s.order < at.order && alterCommands(s).some((c) => c.table === table && c.cmd.subtype === 'AT_DropConstraint' && c.cmd.name === name && c.cmd.missing_ok));
      if (!dropped) out.push({ what: 'ADD CONSTRAINT', keyword: '', clause: 'IF NOT EXISTS' });
    }
  }
  return out;
}

function clauseEdit(analysis: FileAnalysis, at: AnalysedStatement, part: Fragile): TextEdit | null {
  if (!part.keyword || at.nested !== null) return null;
  const tokens = statementTokens(analysis, at);
  if (!tokens) return null;
  const from = part.after ? tokens.text.findToken(part.after) : 0;
  const index = from < 0 ? -1 : tokens.text.findToken(part.keyword, tokens.text.tokens[from]?.start ?? 0);
  if (index < 0) return null;
  // ADD [COLUMN] / DROP [COLUMN]: the clause goes after COLUMN when it is written.
  const next = tokens.text.tokens[index + 1];
  const at_ = (part.keyword === 'ADD' || part.keyword === 'DROP') && next?.upper === 'COLUMN' ? next : tokens.text.tokens[index]!;
  return insertText(analysis.file, tokens.base + at_.end, ` ${part.clause}`);
}

export const preferRobustStmts: Rule = {
  id: 'prefer-robust-stmts',
  defaultSeverity: 'warning',
  category: 'convention',
  summary: 'In a migration that runs outside a transaction, a statement that fails when re-run (no IF NOT EXISTS / IF EXISTS).',
  help: 'Write CREATE … IF NOT EXISTS, DROP … IF EXISTS, ADD COLUMN IF NOT EXISTS; precede ADD CONSTRAINT with DROP CONSTRAINT IF EXISTS.',
  check({ analysis, report }) {
    if (analysis.inTransaction) return;
    for (const at of analysis.statements) {
      if (at.nested !== null) continue;
      for (const part of fragileParts(at, analysis)) {
        const edit = clauseEdit(analysis, at, part);
        const advice = part.what === 'ADD CONSTRAINT' ? 'Drop it IF EXISTS first (ADD CONSTRAINT has no IF NOT EXISTS).' : `Add ${part.clause}.`;
        report(at.offsets, `${advice} ${part.what} without ${part.clause}, in a migration that runs outside a transaction: if a later statement fails, a re-run fails here on what this one already did.`,
          edit ? { fix: fixOf(`Add ${part.clause}`, edit) } : {});
      }
    }
  },
};
