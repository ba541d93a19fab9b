// Command ids (the table package.json's `contributes.commands` matches) and the one helper that
// registers a command factory and ties its lifetime to the extension.
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
  rerun: 'drydock.results.rerun',
  clearRuns: 'drydock.results.clear',
  removeRun: 'drydock.results.removeRun',
  newMigrationFromTemplate: 'drydock.newMigrationFromTemplate',
} as const;

/** One of the command ids in COMMANDS. */
export type CommandId = (typeof COMMANDS)[keyof typeof COMMANDS];

/** A command is built from the context, so handlers stay small and testable. */
export type CommandFactory = (ctx: DrydockContext) => (...args: never[]) => unknown;

/** Registers each command of the table and keeps its disposable with the extension. */
export function registerCommands(ctx: DrydockContext, table: Partial<Record<CommandId, CommandFactory>>): void {
  for (const [id, factory] of Object.entries(table) as [CommandId, CommandFactory][]) {
    ctx.subscribe(vscode.commands.registerCommand(id, factory(ctx) as (...args: unknown[]) => unknown));
  }
}
