// The subcommands of an ALTER TABLE statement with the table they act on, for the many rules that
// judge one subcommand at a time.
import type { AnalysedStatement } from '../analyse/fileAnalysis';
import { relationName } from '../analyse/relationNames';
import type { AlterTableCmd, Constraint } from '../parse/pgTypes';

/** One subcommand of an ALTER TABLE. */
export interface AlterCommand {
  table: string;
  cmd: AlterTableCmd;
  /** The constraint an ADD CONSTRAINT (or ADD COLUMN's inline constraint) adds. */
  constraint: Constraint | null;
}

// Many rules read the same statement's subcommands: read them once.
const CACHE = new WeakMap<AnalysedStatement, AlterCommand[]>();
const NONE: AlterCommand[] = [];

/** The subcommands of the statement (none for other statements). */
export function alterCommands(at: AnalysedStatement): AlterCommand[] {
  if (!('AlterTableStmt' in at.node)) return NONE;
  let cached = CACHE.get(at);
  if (!cached) {
    cached = readAlterCommands(at);
    CACHE.set(at, cached);
  }
  return cached;
}

function readAlterCommands(at: AnalysedStatement): AlterCommand[] {
  if (!('AlterTableStmt' in at.node) || (at.node.AlterTableStmt.objtype ?? 'OBJECT_TABLE') !== 'OBJECT_TABLE') return [];
  const table = relationName(at.node.AlterTableStmt.relation);
  return (at.node.AlterTableStmt.cmds ?? []).flatMap((c) => {
    if (!('AlterTableCmd' in c)) return [];
    const cmd = c.AlterTableCmd;
    const constraint = cmd.def && 'Constraint' in cmd.def ? cmd.def.Constraint : null;
    return [{ table, cmd, constraint }];
  });
}

/** The inline constraints of an ADD COLUMN subcommand. */
export function columnConstraints(cmd: AlterTableCmd): Constraint[] {
  if (!cmd.def || !('ColumnDef' in cmd.def)) return [];
  return (cmd.def.ColumnDef.constraints ?? []).flatMap((c) => ('Constraint' in c ? [c.Constraint] : []));
}
