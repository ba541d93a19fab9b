// workspace/executeCommand: one table from command id to handler. Arguments are plain JSON from
// the client, checked for shape before use; a handler that fails answers the request with an error
// (masked), never ends the server.
import { ResponseError, ErrorCodes, type CancellationToken, type ExecuteCommandParams, type WorkDoneProgressReporter } from 'vscode-languageserver/node';
import { connectionEndpoint } from '../core/db/connection';
import { classifyError } from '../core/run/classify';
import type { ServerContext } from './context';
import { identify, pgBackendFor, readOnlyQuery } from './engine';
import {
  SERVER_COMMANDS, type ApplyParams, type CancelRunParams, type CancelRunResult, type FixQueryParams, type FixQueryResult, type ForgetReportsParams,
  type CheckTemplateParams, type IdentifyParams, type IdentifyResult, type RenderTemplateParams, type RunParams, type ServerCommand, type ShowFileParams, type TemplateCatalogParams,
  type WireConnection,
} from './protocol';
import type { Runs } from './runs';
import { checkTemplate, renderTemplate, templateCatalog } from './templateAuthoring';

/** What a command handler gets besides its argument. */
export interface CommandCall {
  token: CancellationToken;
  progress: WorkDoneProgressReporter | null;
}

type Handler = (argument: unknown, call: CommandCall) => Promise<unknown>;

function invalid(message: string): ResponseError<void> {
  return new ResponseError(ErrorCodes.InvalidParams, message);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isConnection(value: unknown): value is WireConnection {
  return isObject(value) && typeof value.name === 'string' && isObject(value.settings);
}

function runParams(argument: unknown): RunParams {
  if (!isObject(argument) || !Array.isArray(argument.targets) || !argument.targets.every((t) => typeof t === 'string')) {
    throw invalid('expected { targets: string[] (file URIs), connection?, upTo?, runId? }');
  }
  for (const key of ['connection', 'reference', 'shadowConnection'] as const) {
    if (argument[key] !== undefined && !isConnection(argument[key])) throw invalid(`${key} must be { name, settings }`);
  }
  return argument as unknown as RunParams;
}

function withConnection<T extends { connection?: WireConnection }>(params: T, command: string): T & { connection: WireConnection } {
  if (!params.connection) throw invalid(`${command} needs a connection`);
  return params as T & { connection: WireConnection };
}

/** A template command's argument: the kind and answers a client sends (the kind itself is checked when the templates load). */
function templateAnswers(argument: unknown, expected: string): { kind: string; answers: { table: string; columns: string[] } } & Record<string, unknown> {
  const answers = isObject(argument) ? argument.answers : undefined;
  if (!isObject(argument) || typeof argument.kind !== 'string' || !isObject(answers) || typeof answers.table !== 'string'
    || !Array.isArray(answers.columns) || !answers.columns.every((c) => typeof c === 'string')) {
    throw invalid(`expected { kind, answers: { table, columns: string[], … }${expected} }`);
  }
  if (argument.connection !== undefined && !isConnection(argument.connection)) throw invalid('connection must be { name, settings }');
  return argument as ReturnType<typeof templateAnswers>;
}

/** The handlers, by command id. */
export function commandHandlers(ctx: ServerContext, runs: Runs, onForget: () => void): Record<ServerCommand, Handler> {
  return {
    [SERVER_COMMANDS.dryRun]: (argument, call) => runs.run({ mode: 'dry-run', params: runParams(argument), trigger: 'command' }, call.token, call.progress),
    [SERVER_COMMANDS.verify]: (argument, call) => runs.run({ mode: 'verify', params: withConnection(runParams(argument), 'verify'), trigger: 'command' }, call.token, call.progress),
    [SERVER_COMMANDS.apply]: (argument, call) => {
      const params = withConnection(runParams(argument), 'apply') as ApplyParams;
      return runs.run({ mode: 'apply', params, confirmedDevMark: params.confirmedDevMark, trigger: 'command' }, call.token, call.progress);
    },
    [SERVER_COMMANDS.identify]: async (argument): Promise<IdentifyResult> => {
      if (!isObject(argument) || !isConnection(argument.connection)) throw invalid('expected { connection: { name, settings } }');
      const { connection } = argument as unknown as IdentifyParams;
      ctx.log.addConnection(connection.settings);
      const { identity, server } = await identify(await pgBackendFor(connection.settings));
      return ctx.log.maskDeep({ identity, server, endpoint: connectionEndpoint(connection.settings) });
    },
    [SERVER_COMMANDS.runFixQuery]: async (argument): Promise<FixQueryResult> => {
      if (!isObject(argument) || typeof argument.sql !== 'string') throw invalid('expected { sql, connection? | runId? }');
      const params = argument as unknown as FixQueryParams;
      if (params.connection !== undefined && !isConnection(params.connection)) throw invalid('connection must be { name, settings }');
      if (params.connection) ctx.log.addConnection(params.connection.settings);
      const result = params.connection
        ? await readOnlyQuery(await pgBackendFor(params.connection.settings), params.sql)
        : await runs.fixQueryOnShadow(params.runId, params.sql);
      // Masked before the client shortens long values: a cut must not show a password's first characters.
      return ctx.log.maskDeep(result);
    },
    [SERVER_COMMANDS.cancelRun]: async (argument): Promise<CancelRunResult> => {
      const runId = isObject(argument) && typeof argument.runId === 'string' ? (argument as CancelRunParams).runId : undefined;
      return { cancelled: runs.cancel(runId) };
    },
    [SERVER_COMMANDS.forgetReports]: async (argument) => {
      const runIds = isObject(argument) && Array.isArray(argument.runIds) ? (argument as ForgetReportsParams).runIds : undefined;
      if (ctx.reports.forget(runIds)) onForget();
      return null;
    },
    [SERVER_COMMANDS.planRun]: async (argument) => {
      const params = runParams(argument);
      return runs.plan({ targets: params.targets, upTo: params.upTo === true });
    },
    [SERVER_COMMANDS.templateCatalog]: async (argument) => {
      if (!isObject(argument) || !isConnection(argument.connection) || (argument.table !== undefined && typeof argument.table !== 'string')
        || (argument.kind !== undefined && typeof argument.kind !== 'string')) {
        throw invalid('expected { connection: { name, settings }, table?, kind? }');
      }
      return templateCatalog(ctx, argument as unknown as TemplateCatalogParams);
    },
    [SERVER_COMMANDS.checkTemplate]: async (argument) => checkTemplate(ctx, templateAnswers(argument, ', connection?') as unknown as CheckTemplateParams),
    [SERVER_COMMANDS.renderTemplate]: async (argument) => {
      const params = templateAnswers(argument, ', folder (file URI), project, name?, clickedDir?, tool?');
      if (typeof params.folder !== 'string' || typeof params.project !== 'string') throw invalid('renderTemplate needs folder (a file: URI) and project');
      return renderTemplate(ctx, params as unknown as RenderTemplateParams);
    },
    [SERVER_COMMANDS.showFile]: async (argument) => {
      if (!isObject(argument) || typeof argument.uri !== 'string' || !argument.uri.startsWith('file:')) throw invalid('expected { uri } (a file: URI)');
      // The client shows it (LSP window/showDocument): every editor that supports it, not only VS Code.
      const { uri, selection } = argument as unknown as ShowFileParams;
      await ctx.connection.window.showDocument({ uri, takeFocus: true, ...(selection ? { selection } : {}) });
      return null;
    },
    [SERVER_COMMANDS.noop]: async () => null,
  };
}

/** Runs a command: its handler, with a failure answered as a (masked) error. */
export async function executeCommand(ctx: ServerContext, handlers: Record<string, Handler>, params: ExecuteCommandParams, call: CommandCall): Promise<unknown> {
  const handler = Object.hasOwn(handlers, params.command) ? handlers[params.command] : undefined;
  if (!handler) throw new ResponseError(ErrorCodes.MethodNotFound, `unknown command: ${params.command}`);
  try {
    return await handler(params.arguments?.[0], call);
  } catch (err) {
    if (err instanceof ResponseError) throw err;
    // Classified as a run's error is (a connection refused, a password rejected: label and SQLSTATE), since the client shows it as it is.
    const error = classifyError(err);
    const message = ctx.log.mask(`${error.label} (${error.sqlstate}): ${error.message}`);
    ctx.log.error(`${params.command} failed: ${message}`);
    throw new ResponseError(ErrorCodes.InternalError, message);
  }
}
