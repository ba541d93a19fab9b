// renderTemplate / renderMigration: kinds × one tool → the files to write. Pure apart from reading
// the template text once; the time and the existing files are inputs, so the same call gives the
// same files.
import { planKind, type DeclaredObject, type TemplateKind, type TemplateParams } from './kinds';
import { splitStatements } from '../parser';
import { treeWithoutPositions } from '../pgParser';
import { slugify } from './sqlText';
import { fillTemplate, templateText, type TemplatePart } from './templateText';
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
  /** Project name written into a new sqitch.plan (default "app"). */
  project?: string;
}

/** One object of a migration: a kind and its parameters. */
export interface MigrationItem {
  kind: TemplateKind;
  params: TemplateParams;
}

/** The files of one migration and the SQL each part runs. */
export interface RenderResult {
  kinds: TemplateKind[];
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


/**
 * The parts joined statement by statement, each distinct statement once: in its first place for
 * an up (create before use), in its last place for a down (drop after the last user is gone).
 */
function joinParts(parts: readonly string[], keep: 'first' | 'last'): string {
  const all = parts.flatMap((part) => splitStatements(part));
  const ordered = keep === 'first' ? all : [...all].reverse();
  const seen = new Set<string>();
  const kept = ordered.filter((statement) => {
    // Compared by parse tree, so comments and layout do not matter: two items creating the same function match.
    const key = treeWithoutPositions(statement.node);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  }).map((statement) => statement.sql);
  return `${(keep === 'first' ? kept : kept.reverse()).join('\n\n')}\n`;
}

/** Renders several objects as one migration in the layout of `tool`. Throws on missing params. */
export function renderMigration(items: readonly MigrationItem[], tool: MigrationTool, options: RenderOptions = {}): RenderResult {
  const first = items[0];
  if (!first) throw new Error('a migration needs at least one object');
  const plans = items.map((item) => ({ item, plan: planKind(item.kind, item.params) }));
  const fill = (part: TemplatePart, order: typeof plans, keep: 'first' | 'last') =>
    joinParts(order.map(({ item, plan }) => fillTemplate(templateText(item.kind, part), plan.vars)), keep);
  const upSql = fill('up', plans, 'first');
  const downSql = fill('down', [...plans].reverse(), 'last');
  const verifySql = fill('verify', plans, 'first');
  const noTransaction = plans.some(({ plan }) => plan.noTransaction);
  const firstName = plans[0]?.plan.defaultName ?? first.kind;
  const slug = slugify(options.name ?? (items.length === 1 ? firstName : `${firstName}_and_${items.length - 1}_more`));
  const layout = TOOL_LAYOUTS[tool];
  const files = layout.files({
    slug,
    dir: options.dir ?? layout.defaultDir,
    now: options.now ?? new Date(),
    existingPaths: options.existingPaths ?? [],
    up: upSql,
    down: downSql,
    verify: verifySql,
    noTransaction,
    planner: options.planner ?? 'drydock <drydock@localhost>',
    project: options.project ?? 'app',
  });
  const declares = new Map<string, DeclaredObject>();
  for (const { plan } of plans) for (const d of plan.declares) declares.set(`${d.kind}:${d.name}`, d);
  return { kinds: items.map((i) => i.kind), tool, slug, files, upSql, downSql, verifySql, noTransaction, hasDown: layout.hasDown, declares: [...declares.values()] };
}

/** Renders the template of `kind` with `params` in the layout of `tool`. Throws on missing params. */
export function renderTemplate(kind: TemplateKind, params: TemplateParams, tool: MigrationTool, options: RenderOptions = {}): RenderResult {
  return renderMigration([{ kind, params }], tool, options);
}
