// Add / Select / Remove Connection and Show Output. Add Connection can be driven with an argument
// object (walkthroughs, tests, other extensions) or interactively; either way the password goes to
// SecretStorage and a dev mark records the identity of the server it was set on.
import * as vscode from 'vscode';
import { describeConnection, stripPassword } from '../../core/db/connection';
import { describeEndpoint, describeIdentity } from '../../core/db/identity';
import { COMMANDS, registerCommands, stateHolds } from '../commands';
import type { ConfiguredConnection } from '../config';
import type { DrydockContext } from '../context';
import { SERVER_COMMANDS, SHADOW_CONNECTION_NAME, type IdentifyResult } from '../../server/protocol';
import type { Prompts } from '../prompts';
import { toConnectionSettings, withEnvironment } from './connections';

/** Arguments of drydock.addConnection when called programmatically. */
export interface AddConnectionArgs extends ConfiguredConnection {
  password?: string;
}

/** Moves a password out of a connection string (any form core knows) so settings never hold it. */
function splitPassword(connection: AddConnectionArgs): { connection: ConfiguredConnection; password?: string } {
  const { password, ...rest } = connection;
  if (!rest.connectionString) return password ? { connection: rest, password } : { connection: rest };
  const stripped = stripPassword(rest.connectionString);
  const found = password ?? stripped.password;
  return { connection: { ...rest, connectionString: stripped.connectionString }, ...(found ? { password: found } : {}) };
}

const DEV_ANSWERS = { no: 'No: dry-run and verify only', yes: 'Yes: a development database Drydock may apply to' };

async function askForConnection(prompts: Prompts): Promise<AddConnectionArgs | undefined> {
  const name = await prompts.input({ title: 'Drydock: Add Connection (1/4)', prompt: 'Name of the connection', placeHolder: 'local dev' });
  if (!name) return undefined;
  const connectionString = await prompts.input({
    title: 'Drydock: Add Connection (2/4)', prompt: 'Connection URL (the password is asked next and kept in secret storage)',
    placeHolder: 'postgres://user@localhost:5432/app_dev',
  });
  if (!connectionString) return undefined;
  const password = await prompts.input({ title: 'Drydock: Add Connection (3/4)', prompt: 'Password (leave empty for ~/.pgpass or PGPASSWORD)', password: true });
  if (password === undefined) return undefined;
  const dev = await prompts.pick([DEV_ANSWERS.no, DEV_ANSWERS.yes], {
    title: 'Drydock: Add Connection (4/4)', placeHolder: 'Is this a development database?',
  });
  if (!dev) return undefined;
  return { name, connectionString, ...(password ? { password } : {}), allowApply: dev === DEV_ANSWERS.yes };
}

const addConnection = (ctx: DrydockContext) => async (args?: AddConnectionArgs): Promise<boolean> => {
  const input = args && typeof args === 'object' && typeof args.name === 'string' ? args : await askForConnection(ctx.prompts);
  if (!input) return false;
  const { connection, password } = splitPassword(input);
  if (password) ctx.log.addSecrets([password]);
  // Where the password and the mark are bound: the endpoint as it resolves now, the environment filled in.
  const endpoint = ctx.connections.endpointOf(connection);
  if (connection.allowApply) {
    // Saving a connection is safe in Restricted Mode; marking one connects, which is not.
    if (!stateHolds('trusted')) {
      void vscode.window.showWarningMessage('Drydock does not connect in Restricted Mode, so it cannot mark a development database.');
      return false;
    }
    try {
      const settings = withEnvironment(toConnectionSettings(connection, password));
      const { identity } = await ctx.server.execute<IdentifyResult>(SERVER_COMMANDS.identify, { connection: { name: connection.name, settings } });
      await ctx.devMarks.set(connection.name, { endpoint, server: identity });
      ctx.log.info(`connection "${connection.name}" marked as a development database: ${describeEndpoint(endpoint)}, ${describeIdentity(identity)}`);
    } catch (err) {
      const reason = ctx.log.mask(err instanceof Error ? err.message : String(err));
      ctx.log.error(`could not mark "${connection.name}" as a development database: ${reason}`);
      void vscode.window.showErrorMessage(`Drydock could not reach "${connection.name}" to mark it as a development database: ${reason}`);
      return false;
    }
  } else {
    await ctx.devMarks.delete(connection.name);
  }
  if (password) await ctx.passwords.set(connection.name, endpoint, password);
  else await ctx.passwords.delete(connection.name, endpoint);
  // A name-only password of an earlier Drydock is replaced by what was given now.
  await ctx.passwords.deleteNameOnly(connection.name);
  const others = ctx.config.connections.filter((c) => c.name !== connection.name);
  await ctx.config.setConnections([...others, connection]);
  await ctx.config.setActiveConnection(connection.name);
  ctx.connections.fireChanged();
  ctx.log.info(`connection "${connection.name}" saved`);
  // Said, not only logged: the command otherwise ends without a sign that anything was saved.
  const where = describeConfigured(connection, ctx);
  void ctx.prompts.notify('info', `Drydock: connection "${connection.name}" added and selected (${where}; ${connection.allowApply ? 'a development database: Apply allowed' : 'dry-run and verify only'}).`, []);
  return true;
};

/** "user@host:port/database" of a configured connection, from its settings alone: never a password. */
function describeConfigured(configured: ConfiguredConnection, ctx: DrydockContext): string {
  const withoutPassword = configured.connectionString ? { ...configured, connectionString: stripPassword(configured.connectionString).connectionString } : configured;
  return ctx.log.mask(describeConnection(withEnvironment(toConnectionSettings(withoutPassword, undefined))));
}

/** The Select Connection picker's entries besides the connections. */
export const PICKER_ENTRIES = { shadow: 'Shadow (PGlite)', shadowOnServer: 'Shadow (scratch database)', add: 'Add Connection…' } as const;

type ConnectionPick = vscode.QuickPickItem & { choice: { kind: 'shadow' } | { kind: 'add' } | { kind: 'connection'; name: string } };

/** The picker's items: the shadow, each connection with where it goes (never a password), and Add Connection…. */
function connectionPicks(ctx: DrydockContext): ConnectionPick[] {
  const active = ctx.connections.activeName();
  const onServer = ctx.config.shadowConnection !== '';
  const shadow: ConnectionPick = {
    label: onServer ? PICKER_ENTRIES.shadowOnServer : PICKER_ENTRIES.shadow,
    description: active === undefined ? 'active' : '',
    detail: onServer ? 'No connection: dry-runs replay the earlier migrations in a scratch database on drydock.shadowConnection.'
      : 'No connection: dry-runs replay the earlier migrations in PGlite inside Drydock; nothing leaves the machine.',
    choice: { kind: 'shadow' },
  };
  const connections = ctx.config.connections.map((c): ConnectionPick => ({
    label: c.name,
    description: `${describeConfigured(c, ctx)}${c.name === active ? ' · active' : ''}`,
    detail: c.allowApply ? 'Development database: Dry-Run, Verify and Apply' : 'Dry-Run and Verify only (not marked as a development database)',
    choice: { kind: 'connection', name: c.name },
  }));
  return [shadow, ...connections, { label: PICKER_ENTRIES.add, choice: { kind: 'add' } }];
}

async function pickConnection(ctx: DrydockContext, title: string): Promise<string | undefined> {
  const names = ctx.connections.names();
  if (names.length === 0) {
    const choice = await vscode.window.showInformationMessage('No Drydock connections yet.', 'Add Connection');
    if (choice) void vscode.commands.executeCommand(COMMANDS.addConnection);
    return undefined;
  }
  const active = ctx.connections.activeName();
  return ctx.prompts.pick(names, { title, placeHolder: active ? `active: ${active}` : 'no active connection' });
}

const selectConnection = (ctx: DrydockContext) => async (name?: string): Promise<boolean> => {
  let chosen = typeof name === 'string' ? name : undefined;
  if (chosen === undefined) {
    const picked = await ctx.prompts.pickItem(connectionPicks(ctx), { title: 'Drydock: Select Connection', placeHolder: 'Where Dry-Run, Verify and Apply go', matchOnDescription: true });
    if (!picked) return false;
    if (picked.choice.kind === 'add') return Boolean(await vscode.commands.executeCommand(COMMANDS.addConnection));
    chosen = picked.choice.kind === 'shadow' ? SHADOW_CONNECTION_NAME : picked.choice.name;
  }
  // The shadow is chosen by its name unless a configured connection has taken that name.
  const isShadow = chosen === SHADOW_CONNECTION_NAME && !ctx.connections.names().includes(chosen);
  if (!isShadow && !ctx.connections.names().includes(chosen)) return false;
  await ctx.config.setActiveConnection(chosen);
  ctx.connections.fireChanged();
  return true;
};

const removeConnection = (ctx: DrydockContext) => async (name?: string): Promise<boolean> => {
  const chosen = typeof name === 'string' ? name : await pickConnection(ctx, 'Drydock: Remove Connection');
  if (!chosen) return false;
  const removed = ctx.config.connections.find((c) => c.name === chosen);
  await ctx.config.setConnections(ctx.config.connections.filter((c) => c.name !== chosen));
  if (ctx.config.activeConnection === chosen) await ctx.config.setActiveConnection('');
  // Only the password of the endpoint removed: a same-named connection elsewhere keeps its own.
  if (removed) await ctx.passwords.delete(chosen, ctx.connections.endpointOf(removed));
  await ctx.passwords.deleteNameOnly(chosen);
  await ctx.devMarks.delete(chosen);
  ctx.connections.fireChanged();
  ctx.log.info(`connection "${chosen}" removed`);
  return true;
};

/** Registers Add, Select and Remove Connection and Show Output. */
export function registerConnectionCommands(ctx: DrydockContext): void {
  registerCommands(ctx, {
    [COMMANDS.addConnection]: addConnection,
    [COMMANDS.selectConnection]: selectConnection,
    [COMMANDS.removeConnection]: removeConnection,
    [COMMANDS.showOutput]: (c) => () => c.log.channel.show(),
  });
}
