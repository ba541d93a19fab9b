// What each ALTER TABLE subcommand does to its table, from the ALTER TABLE page of the PostgreSQL
// manual: the lock it takes, and whether it rewrites the table or scans it. Subcommands whose
// effect depends on their arguments (a column's default, a constraint's type, a type change) are
// refined in predictEffects.ts; this table is the rest, and the default is ACCESS EXCLUSIVE.
import type { LockMode } from '../sql/lockModes';

/** The effect of one ALTER TABLE subcommand on its own table. */
export interface CommandEffect {
  mode: LockMode;
  rewrites?: boolean;
  scans?: boolean;
}

const SHARE_UPDATE_EXCLUSIVE: CommandEffect = { mode: 'ShareUpdateExclusiveLock' };
const SHARE_ROW_EXCLUSIVE: CommandEffect = { mode: 'ShareRowExclusiveLock' };
const REWRITE: CommandEffect = { mode: 'AccessExclusiveLock', rewrites: true };

/** ALTER TABLE subcommands (the parser's AT_* names) that take less than ACCESS EXCLUSIVE, or rewrite. */
export const ALTER_TABLE_COMMANDS: Readonly<Record<string, CommandEffect>> = {
  AT_SetStatistics: SHARE_UPDATE_EXCLUSIVE,
  AT_SetOptions: SHARE_UPDATE_EXCLUSIVE,
  AT_ResetOptions: SHARE_UPDATE_EXCLUSIVE,
  AT_SetRelOptions: SHARE_UPDATE_EXCLUSIVE,
  AT_ResetRelOptions: SHARE_UPDATE_EXCLUSIVE,
  AT_ClusterOn: SHARE_UPDATE_EXCLUSIVE,
  AT_DropCluster: SHARE_UPDATE_EXCLUSIVE,
  AT_ValidateConstraint: { mode: 'ShareUpdateExclusiveLock', scans: true },
  AT_AttachPartition: SHARE_UPDATE_EXCLUSIVE,
  AT_EnableTrig: SHARE_ROW_EXCLUSIVE,
  AT_EnableAlwaysTrig: SHARE_ROW_EXCLUSIVE,
  AT_EnableReplicaTrig: SHARE_ROW_EXCLUSIVE,
  AT_DisableTrig: SHARE_ROW_EXCLUSIVE,
  AT_EnableTrigAll: SHARE_ROW_EXCLUSIVE,
  AT_DisableTrigAll: SHARE_ROW_EXCLUSIVE,
  AT_EnableTrigUser: SHARE_ROW_EXCLUSIVE,
  AT_DisableTrigUser: SHARE_ROW_EXCLUSIVE,
  AT_SetLogged: REWRITE,
  AT_SetUnLogged: REWRITE,
  AT_SetTableSpace: REWRITE,
  AT_SetAccessMethod: REWRITE,
  AT_SetNotNull: { mode: 'AccessExclusiveLock', scans: true },
};

/** The effect of a subcommand this table does not refine. */
export function alterTableCommandEffect(subtype: string): CommandEffect {
  return ALTER_TABLE_COMMANDS[subtype] ?? { mode: 'AccessExclusiveLock' };
}
