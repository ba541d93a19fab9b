// The wizard behind "Drydock: New Migration from Template": pick a kind, a table (from the
// connected database when there is one), columns, a name; the files are written where the
// project's migration tool keeps them and opened. The questions are core's data (questions.ts,
// which loads no parser); the catalog, the checks, the rendering and the writing happen in the
// language server (templateAuthoring.ts), which gets the connection, password included, per request.
import path from 'node:path';
import * as vscode from 'vscode';
import type { CatalogColumn } from '../../core/templates/catalog';
import type { GinOperatorClass, TemplateKind } from '../../core/templates/kinds';
import { KIND_QUESTIONS, paramsFromAnswers, type CheckShape, type WizardAnswers } from '../../core/templates/questions';
import {
  SERVER_COMMANDS, type CheckTemplateResult, type RenderTemplateParams, type RenderTemplateResult, type TemplateCatalogResult, type WireConnection,
} from '../../server/protocol';
import type { DrydockContext } from '../context';
import type { Prompts } from '../prompts';
import { toWire } from '../run/wireConnections';

/** The kinds, in the order the questions list them (kinds.ts itself would load the parser). */
const TEMPLATE_KINDS = Object.keys(KIND_QUESTIONS) as TemplateKind[];

/**
 * Answers given up front (by a task, a keybinding's args or a test): the wizard asks only for
 * what is missing. `answers` must then name the table and columns.
 */
export interface NewMigrationPreset {
  kind: TemplateKind;
  answers?: WizardAnswers;
  name?: string;
}

function isPreset(value: unknown): value is NewMigrationPreset {
  return typeof value === 'object' && value !== null && typeof (value as { kind?: unknown }).kind === 'string'
    && Object.hasOwn(KIND_QUESTIONS, (value as { kind: string }).kind);
}

class Cancelled extends Error {}

function answered<T>(value: T | undefined): T {
  if (value === undefined) throw new Cancelled();
  return value;
}

async function pickKind(prompts: Prompts): Promise<TemplateKind> {
  const items = TEMPLATE_KINDS.map((templateKind) => ({ label: KIND_QUESTIONS[templateKind].label, detail: KIND_QUESTIONS[templateKind].detail, templateKind }));
  return answered(await prompts.pickItem(items, { title: 'New migration: what should it create?' })).templateKind;
}

/** The active connection the catalog is read from, for the wizard's requests; null once it failed (the author types names instead). */
interface CatalogSource {
  host: DrydockContext;
  connection: WireConnection | null;
}

async function pickTable(prompts: Prompts, source: CatalogSource): Promise<string> {
  const catalog = await readCatalog(source, {});
  if (catalog) {
    const { tables } = catalog;
    if (tables.length > 0) {
      // t.sql is the name as SQL ("Users", app."Order Items"): raw catalog names would be case-folded.
      const items = tables.map((t) => ({ label: t.sql, description: t.schema }));
      return answered(await prompts.pickItem(items, { title: 'Table', matchOnDescription: true })).label;
    }
  }
  return answered(await prompts.input({ title: 'Table (schema.table or table)', validateInput: (v) => (v.trim() ? null : 'a table name is needed') })).trim();
}

async function pickColumns(prompts: Prompts, kind: TemplateKind, table: string, source: CatalogSource): Promise<string[]> {
  const shape = KIND_QUESTIONS[kind].columns;
  const offered: CatalogColumn[] = (await readCatalog(source, { table, kind }))?.columns ?? [];
  if (offered.length > 0) {
    const items = offered.map((c) => ({ label: c.name, description: c.type }));
    if (shape === 'many') {
      const picked = answered(await prompts.pickItems(items, { title: `Columns of ${table} (in index order)` }));
      if (picked.length === 0) throw new Cancelled();
      return picked.map((p) => p.label);
    }
    return [answered(await prompts.pickItem(items, { title: kind === 'gin' ? `jsonb column of ${table}` : `Column of ${table}` })).label];
  }
  if (source.connection && kind === 'gin') throw new Error(`${table} has no jsonb column to index with GIN`);
  const prompt = shape === 'many' ? 'Columns, comma-separated' : shape === 'timestamp' ? 'Timestamp column' : 'Column';
  const typed = answered(await prompts.input({ title: prompt, value: shape === 'timestamp' ? 'updated_at' : '' }));
  return typed.split(',').map((c) => c.trim()).filter((c) => c !== '');
}

async function kindSpecificAnswers(prompts: Prompts, kind: TemplateKind, answers: WizardAnswers): Promise<WizardAnswers> {
  if (kind === 'index') {
    const where = answered(await prompts.input({ title: 'Partial index predicate (WHERE …), empty for none', placeHolder: "status = 'active'" }));
    return { ...answers, where };
  }
  if (kind === 'gin') {
    const items = [
      { label: 'jsonb_path_ops', detail: 'smaller and faster; serves @> containment', opclass: 'jsonb_path_ops' as GinOperatorClass },
      { label: 'jsonb_ops', detail: 'also serves the key operators ?, ?| and ?&', opclass: 'jsonb_ops' as GinOperatorClass },
    ];
    return { ...answers, opclass: answered(await prompts.pickItem(items, { title: 'GIN operator class' })).opclass };
  }
  if (kind === 'check') {
    const shapes = [
      { label: 'One of a list', detail: "column IN ('a', 'b', …)", shape: 'values' as CheckShape },
      { label: 'In a range', detail: 'column BETWEEN low AND high', shape: 'range' as CheckShape },
      { label: 'Positive', detail: 'column > 0', shape: 'positive' as CheckShape },
    ];
    const checkShape = answered(await prompts.pickItem(shapes, { title: 'CHECK' })).shape;
    if (checkShape === 'positive') return { ...answers, checkShape };
    const checkInput = answered(await prompts.input({
      title: checkShape === 'values' ? 'Allowed values, comma-separated' : 'Range, e.g. 1..5',
      validateInput: (v) => {
        try {
          paramsFromAnswers('check', { ...answers, checkShape, checkInput: v });
          return null;
        } catch (err) {
          return (err as Error).message;
        }
      },
    }));
    return { ...answers, checkShape, checkInput };
  }
  return answers;
}

/** The catalog from the server; null without a connection, or when reading it failed (said once; the author types names then). */
async function readCatalog(source: CatalogSource, ask: { table?: string; kind?: TemplateKind }): Promise<TemplateCatalogResult | null> {
  const { connection, host } = source;
  if (!connection) return null;
  try {
    return await host.server.execute<TemplateCatalogResult>(SERVER_COMMANDS.templateCatalog, { connection, ...ask });
  } catch (err) {
    source.connection = null;
    void vscode.window.showWarningMessage(`Drydock: could not read tables from ${connection.name} (${(err as Error).message}); type them instead.`);
    return null;
  }
}

async function catalogSource(host: DrydockContext): Promise<CatalogSource> {
  const resolved = await host.connections.resolve();
  return { host, connection: resolved ? toWire(resolved) : null };
}

async function askAnswers(prompts: Prompts, kind: TemplateKind, source: CatalogSource): Promise<WizardAnswers> {
  const table = await pickTable(prompts, source);
  const columns = await pickColumns(prompts, kind, table, source);
  return kindSpecificAnswers(prompts, kind, { table, columns });
}

/**
 * Runs the wizard; `target` is the explorer folder or file it was started from, if any.
 * Resolves to the paths written (none when there is no folder open).
 */
async function newMigration(host: DrydockContext, target: vscode.Uri | undefined, preset: NewMigrationPreset | undefined): Promise<string[]> {
  const folder = (target && vscode.workspace.getWorkspaceFolder(target)) ?? vscode.workspace.workspaceFolders?.[0];
  if (!folder) {
    void vscode.window.showErrorMessage('Drydock: open a folder first; the migration is written into the workspace.');
    return [];
  }
  const { prompts, server } = host;
  const kind = preset?.kind ?? await pickKind(prompts);
  const source = await catalogSource(host);
  const answers = preset?.answers ?? await askAnswers(prompts, kind, source);
  const checked = await server.execute<CheckTemplateResult>(SERVER_COMMANDS.checkTemplate, { kind, answers, ...(source.connection ? { connection: source.connection } : {}) });
  if (checked.status === 'invalid') throw new Error(checked.problems.join('; '));
  const name = preset?.name ?? answered(await prompts.input({ title: 'Migration name', value: checked.defaultName }));
  const root = folder.uri.fsPath;
  let clickedDir: string | undefined;
  if (target) {
    const stat = await vscode.workspace.fs.stat(target);
    const picked = stat.type === vscode.FileType.Directory ? target.fsPath : path.dirname(target.fsPath);
    clickedDir = path.relative(root, picked).split(path.sep).join('/') || '.';
  }
  const request: RenderTemplateParams = {
    folder: folder.uri.toString(), project: folder.name, kind, answers, name, tool: host.config.migrationTool, ...(clickedDir ? { clickedDir } : {}),
  };
  const written = await server.execute<RenderTemplateResult>(SERVER_COMMANDS.renderTemplate, request);
  const files = written.files.map((f) => vscode.Uri.parse(f));
  const main = files[written.main] ?? files[0];
  if (main) await vscode.window.showTextDocument(main);
  void vscode.window.showInformationMessage(`Drydock: wrote ${files.length} file(s) for ${written.tool} (${written.evidence[0] ?? ''}).`);
  return files.map((f) => f.fsPath);
}

/**
 * The command's handler. From the explorer it receives the clicked resource; a NewMigrationPreset
 * argument pre-answers the questions. Resolves to the paths written.
 */
export async function newMigrationCommand(host: DrydockContext, first?: unknown, second?: unknown): Promise<string[]> {
  try {
    return await newMigration(host, first instanceof vscode.Uri ? first : undefined, [first, second].find(isPreset));
  } catch (err) {
    if (!(err instanceof Cancelled)) void vscode.window.showErrorMessage(`Drydock: ${(err as Error).message}`);
    return [];
  }
}
