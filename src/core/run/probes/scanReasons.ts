// Why a statement scanned a table, in the words a migration author uses.
import type { Node } from '../../parse/pgTypes';

const CONSTRAINT_WORDS: Record<string, string> = { CONSTR_CHECK: 'CHECK', CONSTR_FOREIGN: 'FOREIGN KEY', CONSTR_PRIMARY: 'PRIMARY KEY', CONSTR_UNIQUE: 'UNIQUE' };

/** The reason for a full scan the statement made. */
export function scanReason(node: Node): string {
  if ('IndexStmt' in node) return 'index build';
  if ('UpdateStmt' in node) return node.UpdateStmt.whereClause ? 'UPDATE' : 'UPDATE of every row';
  if ('DeleteStmt' in node) return node.DeleteStmt.whereClause ? 'DELETE' : 'DELETE of every row';
  if ('AlterTableStmt' in node) {
    const reasons = (node.AlterTableStmt.cmds ?? []).flatMap((c) => {
      if (!('AlterTableCmd' in c)) return [];
      const cmd = c.AlterTableCmd;
      if (cmd.subtype === 'AT_ValidateConstraint') return [`VALIDATE CONSTRAINT ${cmd.name ?? ''}`.trim()];
      if (cmd.subtype === 'AT_SetNotNull') return [`SET NOT NULL on ${cmd.name ?? 'a column'}`];
      if (cmd.subtype === 'AT_AddConstraint' && cmd.def && 'Constraint' in cmd.def) {
        const con = cmd.def.Constraint;
        const words = CONSTRAINT_WORDS[con.contype ?? ''] ?? 'constraint';
        if (con.contype === 'CONSTR_PRIMARY' || con.contype === 'CONSTR_UNIQUE') return [`index build for ${words}${con.conname ? ` ${con.conname}` : ''}`];
        return [`validates ${words}${con.conname ? ` ${con.conname}` : ''}`];
      }
      if (cmd.subtype === 'AT_AlterColumnType') return [`type change of ${cmd.name ?? 'a column'}`];
      return [];
    });
    return reasons.length > 0 ? reasons.join(', ') : 'ALTER TABLE';
  }
  return 'full scan';
}
