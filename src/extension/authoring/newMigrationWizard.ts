// The wizard behind "Drydock: New Migration from Template": pick a kind, a table (from the
// connected database when there is one), columns, a name; the files are written where the
// project's migration tool keeps them and opened. The decisions (questions, parameters, layout,
// detection) live in core. This module pulls in the templates and the parser, so newMigration.ts
// imports it only when the command runs.
import path from 'node:path';
import * as vscode from 'vscode';
import type { Session } from '../../core/db/backend';
import { pgBackend } from '../../core/db/pg/pgBackend';
import { loadParser } from '../../core/parse/parseMigration';
import {
  KIND_QUESTIONS, TEMPLATE_KINDS, checkTemplateTarget, columnChoices,
  listColumns, listTables, migrationDir, paramsFromAnswers, planKind, writeMigrationFromTemplate,
  type CatalogColumn, type CheckShape, type GinOperatorClass, type TemplateKind, type WizardAnswers,
} from '../../core/templates';
import type { DrydockContext } from '../context';
import type { Prompts } from '../prompts';

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
    && (TEMPLATE_KINDS as readonly string[]).includes((value as { kind: string }).kind);
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

async function pickTable(prompts: Prompts, session: Session | null): Promise<string> {
  if (session) {
    const tables = await listTables(session);
    if (tables.length > 0) {
      // t.sql is the name as SQL ("Users", app."Order Items"): raw catalog names would be case-folded.
      const items = tables.map((t) => ({ label: t.sql, description: t.schema }));
      return answered(await prompts.pickItem(items, { title: 'Table', matchOnDescription: true })).label;
    }
  }
  return answered(await prompts.input({ title: 'Table (schema.table or table)', validateInput: (v) => (v.trim() ? null : 'a table name is needed') })).trim();
}

async function pickColumns(prompts: Prompts, kind: TemplateKind, table: string, session: Session | null): Promise<string[]> {
  const shape = KIND_QUESTIONS[kind].columns;
  const offered: CatalogColumn[] = session ? columnChoices(kind, await listColumns(session, table)) : [];
  if (offered.length > 0) {
    const items = offered.map((c) => ({ label: c.name, description: c.type }));
    if (shape === 'many') {
      const picked = answered(await prompts.pickItems(items, { title: `Columns of ${table} (in index order)` }));
      if (picked.length === 0) throw new Cancelled();
      return picked.map((p) => p.label);
    }
    return [answered(await prompts.pickItem(items, { title: kind === 'gin' ? `jsonb column of ${table}` : `Column of ${table}` })).label];
  }
  if (session && kind === 'gin') throw new Error(`${table} has no jsonb column to index with GIN`);
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

async function openConnection(host: DrydockContext): Promise<Session | null> {
  const resolved = await host.connections.resolve();
  if (!resolved) return null;
  try {
    return await pgBackend(resolved.settings).openSession();
  } catch (err) {
    void vscode.window.showWarningMessage(`Drydock: could not read tables from ${resolved.label} (${(err as Error).message}); type them instead.`);
    return null;
  }
}

async function askAnswers(prompts: Prompts, kind: TemplateKind, session: Session | null): Promise<WizardAnswers> {
  const table = await pickTable(prompts, session);
  const columns = await pickColumns(prompts, kind, table, session);
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
  const { prompts } = host;
  await loadParser(); // table names, predicates and rendering all go through the real parser
  const kind = preset?.kind ?? await pickKind(prompts);
  const session = await openConnection(host);
  try {
    const answers = preset?.answers ?? await askAnswers(prompts, kind, session);
    const params = paramsFromAnswers(kind, answers);
    if (session) {
      const problems = await checkTemplateTarget(session, kind, params);
      if (problems.length > 0) throw new Error(problems.join('; '));
    }
    const name = preset?.name ?? answered(await prompts.input({ title: 'Migration name', value: planKind(kind, params).defaultName }));
    const root = folder.uri.fsPath;
    let clicked: string | undefined;
    if (target) {
      const stat = await vscode.workspace.fs.stat(target);
      const picked = stat.type === vscode.FileType.Directory ? target.fsPath : path.dirname(target.fsPath);
      clicked = path.relative(root, picked).split(path.sep).join('/') || '.';
    }
    const { detected, rendered, written } = writeMigrationFromTemplate({
      root, kind, params, name, project: folder.name, tool: host.config.migrationTool,
      chooseDir: (detection) => migrationDir(detection.tool, detection.dir, clicked),
    });
    const main = rendered.files.findIndex((f) => f.role === 'migration' || f.role === 'up');
    await vscode.window.showTextDocument(vscode.Uri.file(written[Math.max(main, 0)] ?? written[0] ?? root));
    void vscode.window.showInformationMessage(`Drydock: wrote ${written.length} file(s) for ${detected.tool} (${detected.evidence[0] ?? ''}).`);
    return written;
  } finally {
    await session?.close();
  }
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
