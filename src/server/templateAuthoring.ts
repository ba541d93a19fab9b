// "New Migration from Template" on the server: the catalog a template's questions offer (tables and
// columns of the connection the client resolved, its password in the request), the answers checked
// with the real parser and against that database, and the template rendered in the project's
// migration tool layout and written. The client only asks the questions and opens the file. Core's
// templates and the parser are imported when a command first needs them.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Session } from '../core/db/backend';
import { ErrorCodes, ResponseError } from 'vscode-languageserver/node';
import type { ServerContext } from './context';
import { filePathOf } from './documents';
import { pgBackendFor } from './engine';
import type {
  CheckTemplateParams, CheckTemplateResult, RenderTemplateParams, RenderTemplateResult, TemplateCatalogParams, TemplateCatalogResult, WireConnection,
} from './protocol';

/** Core's templates with the parser loaded (table names, predicates and rendering all go through it). */
async function templates(kind: string): Promise<typeof import('../core/templates')> {
  const [parser, core] = await Promise.all([import('../core/parse/parseMigration'), import('../core/templates')]);
  if (!core.isTemplateKind(kind)) throw new ResponseError(ErrorCodes.InvalidParams, `unknown template kind ${JSON.stringify(kind)} (one of ${core.TEMPLATE_KINDS.join(', ')})`);
  await parser.loadParser();
  return core;
}

/** A session on the connection for one request, closed after `use`. */
async function withSession<T>(ctx: ServerContext, connection: WireConnection, use: (session: Session) => Promise<T>): Promise<T> {
  ctx.log.addConnection(connection.settings);
  const session = await (await pgBackendFor(connection.settings)).openSession();
  try {
    return await use(session);
  } finally {
    await session.close();
  }
}

/** The tables of the connection, or (with `table`) the columns of that table the kind can use. */
export async function templateCatalog(ctx: ServerContext, params: TemplateCatalogParams): Promise<TemplateCatalogResult> {
  const core = await templates(params.kind ?? 'index');
  const result = await withSession(ctx, params.connection, async (session): Promise<TemplateCatalogResult> => {
    if (params.table === undefined) return { tables: await core.listTables(session), columns: [] };
    const columns = await core.listColumns(session, params.table);
    return { tables: [], columns: params.kind ? core.columnChoices(params.kind, columns) : columns };
  });
  return ctx.log.maskDeep(result);
}

/** The answers as template parameters, checked for shape and (with a connection) against the database. */
export async function checkTemplate(ctx: ServerContext, params: CheckTemplateParams): Promise<CheckTemplateResult> {
  const core = await templates(params.kind);
  let defaultName: string;
  try {
    const templateParams = core.paramsFromAnswers(params.kind, params.answers);
    defaultName = core.planKind(params.kind, templateParams).defaultName;
    if (params.connection) {
      const problems = await withSession(ctx, params.connection, (session) => core.checkTemplateTarget(session, params.kind, templateParams));
      if (problems.length > 0) return ctx.log.maskDeep({ status: 'invalid', problems });
    }
  } catch (err) {
    if (!(err instanceof Error) || isConnectionError(err)) throw err;
    return ctx.log.maskDeep({ status: 'invalid', problems: [err.message] });
  }
  return { status: 'ok', defaultName };
}

/** A failure of the database or the connection, not of the answers: the request fails with it. */
function isConnectionError(err: Error): boolean {
  return typeof (err as { code?: unknown }).code === 'string';
}

/** Renders the template in the detected (or given) tool's layout and writes the files below the folder. */
export async function renderTemplate(ctx: ServerContext, params: RenderTemplateParams): Promise<RenderTemplateResult> {
  const core = await templates(params.kind);
  const root = filePathOf(params.folder);
  if (root === null) throw new Error('the project folder must be a file: URI');
  const templateParams = core.paramsFromAnswers(params.kind, params.answers);
  const { detected, rendered, written } = core.writeMigrationFromTemplate({
    root, kind: params.kind, params: templateParams, project: params.project, tool: params.tool,
    ...(params.name ? { name: params.name } : {}),
    chooseDir: (detection) => core.migrationDir(detection.tool, detection.dir, params.clickedDir),
  });
  ctx.log.info(`wrote ${written.map((f) => path.relative(root, f)).join(', ')} (${detected.tool})`);
  const main = rendered.files.findIndex((f) => f.role === 'migration' || f.role === 'up');
  return { tool: detected.tool, evidence: detected.evidence, files: written.map((f) => pathToFileURL(f).toString()), main: Math.max(main, 0) };
}
