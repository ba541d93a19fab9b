// Command ids (the table package.json's `contributes.commands` matches) and the one helper that
// registers commands. A command that needs a state (a trusted workspace) comes as a pair of
// handlers: the enabled one runs when the state holds, the disabled one otherwise, chosen at the
// moment of the call (trust can be granted while the extension runs).
import * as vscode from 'vscode';
import type { DrydockContext } from './context';

/** Every command the extension registers, by purpose. */
export const COMMANDS = {
  applyMigration: 'drydock.applyMigration',
  dryRunMigration: 'drydock.dryRunMigration',
  verifyMigration: 'drydock.verifyMigration',
  dryRunFolderUpToFile: 'drydock.dryRunFolderUpToFile',
  selectConnection: 'drydock.selectConnection',
  addConnection: 'drydock.addConnection',
  removeConnection: 'drydock.removeConnection',
  showOutput: 'drydock.showOutput',
  cancelRun: 'drydock.cancelRun',
  revealResult: 'drydock.results.reveal',
  copySql: 'drydock.results.copySql',
  copyError: 'drydock.results.copyError',
  openFixQuery: 'drydock.results.openFixQuery',
  runFixQuery: 'drydock.results.runFixQuery',
  showFixRows: 'drydock.results.showFixRows',
  rerun: 'drydock.results.rerun',
  clearRuns: 'drydock.results.clear',
  removeRun: 'drydock.results.removeRun',
  newMigrationFromTemplate: 'drydock.newMigrationFromTemplate',
} as const;

/** One of the command ids in COMMANDS. */
export type CommandId = (typeof COMMANDS)[keyof typeof COMMANDS];

/** A command is built from the context, so handlers stay small and testable. */
export type CommandFactory = (ctx: DrydockContext) => (...args: never[]) => unknown;

/** States a command can need. */
export type CommandState = 'trusted';

const STATES: Record<CommandState, () => boolean> = {
  trusted: () => vscode.workspace.isTrusted,
};

/** True when the state holds now (for event handlers that are not commands, such as save). */
export function stateHolds(state: CommandState): boolean {
  return STATES[state]();
}

/** A command whose handler depends on a state. */
export interface StatefulCommand {
  needs: CommandState;
  enabled: CommandFactory;
  /** Runs instead while the state does not hold (it says why, or does what is still safe). */
  disabled: CommandFactory;
}

/** A disabled handler that only says why and returns `result`. */
export function refuseWith(message: string, result?: unknown): CommandFactory {
  return () => () => {
    void vscode.window.showWarningMessage(message);
    return result;
  };
}

/** Registers each command of the table and keeps its disposable with the extension. */
export function registerCommands(ctx: DrydockContext, table: Partial<Record<CommandId, CommandFactory | StatefulCommand>>): void {
  for (const [id, entry] of Object.entries(table) as [CommandId, CommandFactory | StatefulCommand][]) {
    let handler: (...args: unknown[]) => unknown;
    if (typeof entry === 'function') {
      handler = entry(ctx) as (...args: unknown[]) => unknown;
    } else {
      const enabled = entry.enabled(ctx) as (...args: unknown[]) => unknown;
      const disabled = entry.disabled(ctx) as (...args: unknown[]) => unknown;
      handler = (...args) => (stateHolds(entry.needs) ? enabled(...args) : disabled(...args));
    }
    ctx.subscribe(vscode.commands.registerCommand(id, handler));
  }
}
