// renderTemplate: one kind × one tool → the files to write. Pure apart from reading the template
// text once; the time and the existing files are inputs, so the same call gives the same files.
import { planKind, type DeclaredObject, type TemplateKind, type TemplateParams } from './kinds';
import { slugify } from './sqlText';
import { fillTemplate, templateText } from './templateText';
import { TOOL_LAYOUTS, type MigrationTool, type RenderedFile } from './tools';

export interface RenderOptions {
  /** Migration name (any words; made into a slug). Defaults to e.g. "add_idx_lessons_user_id". */
  name?: string;
  /** Folder for the migration, relative to the workspace; defaults to the tool's usual folder. */
  dir?: string;
  /** The time the version is taken from (default: now). */
  now?: Date;
  /** Workspace-relative paths already there, to number the next migration after them. */
  existingPaths?: readonly string[];
  /** sqitch plan author, "Name <email>". */
  planner?: string;
}

/** The files of one migration and the SQL each part runs. */
export interface RenderResult {
  kind: TemplateKind;
  tool: MigrationTool;
  slug: string;
  files: RenderedFile[];
  /** The SQL of the forward migration, without tool directives. */
  upSql: string;
  /** The SQL that reverses it (also when the tool has no down file). */
  downSql: string;
  /** A query that fails unless the migration is deployed. */
  verifySql: string;
  /** True when the up part must run outside a transaction. */
  noTransaction: boolean;
  /** True when the tool gets a down file or section. */
  hasDown: boolean;
  declares: DeclaredObject[];
}

/** Renders the template of `kind` with `params` in the layout of `tool`. Throws on missing params. */
export function renderTemplate(kind: TemplateKind, params: TemplateParams, tool: MigrationTool, options: RenderOptions = {}): RenderResult {
  const plan = planKind(kind, params);
  const slug = slugify(options.name ?? plan.defaultName);
  const upSql = fillTemplate(templateText(kind, 'up'), plan.vars);
  const downSql = fillTemplate(templateText(kind, 'down'), plan.vars);
  const verifySql = fillTemplate(templateText(kind, 'verify'), plan.vars);
  const layout = TOOL_LAYOUTS[tool];
  const files = layout.files({
    slug,
    dir: options.dir ?? layout.defaultDir,
    now: options.now ?? new Date(),
    existingPaths: options.existingPaths ?? [],
    up: upSql,
    down: downSql,
    verify: verifySql,
    noTransaction: plan.noTransaction,
    planner: options.planner ?? 'drydock <drydock@localhost>',
  });
  return { kind, tool, slug, files, upSql, downSql, verifySql, noTransaction: plan.noTransaction, hasDown: layout.hasDown, declares: plan.declares };
}
