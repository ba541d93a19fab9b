// renderTemplate / renderMigration: kinds × one tool → the files to write. Pure apart from reading
// the template text once; the time and the existing files are inputs, so the same call gives the
// same files.
import { planKind, type DeclaredObject, type KindPlan, type TemplateKind, type TemplateParams } from './kinds';
import { splitStatements } from '../parse/parseMigration';
import { treeWithoutPositions } from '../parse/pgParser';
import { slugify } from './sqlText';
import { fillTemplate, templateText, type TemplatePart, type TemplateVars } from './templateText';
import { TOOL_LAYOUTS, type MigrationTool, type RenderedFile } from './tools';
import { pushAll } from '../model/arrays';

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
  /** True when (some of) the up must run outside a transaction; each runnable file says for itself. */
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

/** Template values of one object. */
interface Filled {
  kind: TemplateKind;
  vars: TemplateVars;
}

/** The up, down and verify SQL of some objects, as one migration. */
interface MigrationSql {
  up: string;
  down: string;
  verify: string;
  noTransaction: boolean;
  /** Appended to the slug (steps after the first). */
  suffix: string;
}

function migrationSql(objects: readonly Filled[], noTransaction: boolean, suffix = ''): MigrationSql {
  const fill = (part: TemplatePart, order: readonly Filled[], keep: 'first' | 'last') =>
    joinParts(order.map(({ kind, vars }) => fillTemplate(templateText(kind, part), vars)), keep);
  return {
    up: fill('up', objects, 'first'),
    down: fill('down', [...objects].reverse(), 'last'),
    verify: fill('verify', objects, 'first'),
    noTransaction,
    suffix,
  };
}

/**
 * The migrations to write. Usually one; but a tool that sends a whole file (or section) as one
 * query runs its statements in one implicit transaction, where CONCURRENTLY fails: such an
 * up or down must be a single statement, so a kind that has steps becomes one migration per
 * step, and anything else is refused.
 */
function migrationsFor(tool: MigrationTool, whole: MigrationSql, plans: readonly { item: MigrationItem; plan: KindPlan }[]): MigrationSql[] {
  const layout = TOOL_LAYOUTS[tool];
  const single = (sql: string) => splitStatements(sql).length <= 1;
  if (!layout.runsFileAsOneQuery || !whole.noTransaction || (single(whole.up) && single(whole.down))) return [whole];
  const only = plans.length === 1 ? plans[0] : undefined;
  const steps = only?.plan.steps;
  if (!only || !steps || layout.singleFile) {
    throw new Error(`${layout.label} sends a whole ${layout.singleFile ? 'file' : 'file or section'} to PostgreSQL as one query, `
      + 'where a statement that must run outside a transaction (CONCURRENTLY) cannot share the query with others. '
      + (only ? 'Build it without CONCURRENTLY, or keep a unique index only.' : 'Write these objects as separate migrations.'));
  }
  return steps.map((step) => migrationSql([{ kind: only.item.kind, vars: step.vars }], step.noTransaction, step.suffix));
}

/**
 * The migrations of kinds whose steps need transactions of their own (a CHECK validated after it
 * is added NOT VALID): the first holds every object's first step, each later one the later steps.
 * Null when no kind asks for it, or when the tool keeps one file (graphile-migrate's current.sql,
 * committed as one migration: the steps stay together, and the rules say what that costs).
 */
function transactionSteps(tool: MigrationTool, plans: readonly { item: MigrationItem; plan: KindPlan }[]): MigrationSql[] | null {
  if (TOOL_LAYOUTS[tool].singleFile || !plans.some(({ plan }) => plan.transactions)) return null;
  const count = Math.max(...plans.map(({ plan }) => plan.transactions?.length ?? 1));
  return Array.from({ length: count }, (_, i) => {
    const steps = plans.flatMap(({ item, plan }) => {
      const step = plan.transactions ? plan.transactions[i] : i === 0 ? { vars: plan.vars, noTransaction: plan.noTransaction, suffix: '' } : undefined;
      return step ? [{ kind: item.kind, ...step }] : [];
    });
    return migrationSql(steps, steps.some((s) => s.noTransaction), steps.find((s) => s.suffix)?.suffix ?? '');
  });
}

const RUNNABLE_ROLES: ReadonlySet<string> = new Set(['migration', 'up', 'down']);

/** Renders several objects as one migration in the layout of `tool` (after `loadParser()`). Throws on missing params. */
export function renderMigration(items: readonly MigrationItem[], tool: MigrationTool, options: RenderOptions = {}): RenderResult {
  const first = items[0];
  if (!first) throw new Error('a migration needs at least one object');
  const plans = items.map((item) => ({ item, plan: planKind(item.kind, item.params) }));
  const noTransaction = plans.some(({ plan }) => plan.noTransaction);
  const whole = migrationSql(plans.map(({ item, plan }) => ({ kind: item.kind, vars: plan.vars })), noTransaction);
  const firstName = plans[0]?.plan.defaultName ?? first.kind;
  const slug = slugify(options.name ?? (items.length === 1 ? firstName : `${firstName}_and_${items.length - 1}_more`));
  const layout = TOOL_LAYOUTS[tool];
  const now = options.now ?? new Date();
  const files: RenderedFile[] = [];
  const stepped = transactionSteps(tool, plans);
  const migrations = stepped ? [...migrationsFor(tool, stepped[0]!, plans), ...stepped.slice(1)] : migrationsFor(tool, whole, plans);
  migrations.forEach((migration, i) => {
    const written = layout.files({
      slug: migration.suffix ? `${slug}_${migration.suffix}` : slug,
      dir: options.dir ?? layout.defaultDir,
      now: new Date(now.getTime() + i * 1000), // one second apart: the steps' versions keep their order
      existingPaths: [...(options.existingPaths ?? []), ...files.map((f) => f.path)],
      up: migration.up,
      down: migration.down,
      verify: migration.verify,
      noTransaction: migration.noTransaction,
      planner: options.planner ?? 'drydock <drydock@localhost>',
      project: options.project ?? 'app',
    });
    pushAll(files, written.map((f) => (RUNNABLE_ROLES.has(f.role) ? { ...f, noTransaction: migration.noTransaction } : f)));
  });
  const declares = new Map<string, DeclaredObject>();
  for (const { plan } of plans) for (const d of plan.declares) declares.set(`${d.kind}:${d.name}`, d);
  return {
    kinds: items.map((i) => i.kind), tool, slug, files, upSql: whole.up, downSql: whole.down, verifySql: whole.verify,
    noTransaction, hasDown: layout.hasDown, declares: [...declares.values()],
  };
}

/** Renders the template of `kind` with `params` in the layout of `tool`. Throws on missing params. */
export function renderTemplate(kind: TemplateKind, params: TemplateParams, tool: MigrationTool, options: RenderOptions = {}): RenderResult {
  return renderMigration([{ kind, params }], tool, options);
}
