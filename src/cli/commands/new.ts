// `drydock new`: renders a migration from the templates into the project's migration tool layout,
// optionally checking the target against a database first, and prints the paths it wrote.
import path from 'node:path';
import { maskSecrets, secretsOf } from '../../core/db/connection';
import { pgBackend } from '../../core/db/pg/pgBackend';
import { withSession } from '../../core/db/withSession';
import { loadParser } from '../../core/parse/parseMigration';
import {
  TEMPLATE_KINDS, MIGRATION_TOOLS, checkTemplateTarget, isMigrationTool, isTemplateKind, writeMigrationFromTemplate,
  type GinOperatorClass, type TemplateParams,
} from '../../core/templates';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, UsageError, resolveCliConnection, type Io } from '../io';
import { parseCommandArgs } from '../options';

export const NEW_USAGE = `usage: drydock new <${TEMPLATE_KINDS.join('|')}> --table T [options]

  --columns a,b          indexed / constrained columns (trigger: the timestamp column, default updated_at)
  --where EXPR           partial index predicate
  --values a,b,c         CHECK column IN (values)
  --min N --max N        CHECK column BETWEEN N AND M (either alone: >= / <=); neither: > 0
                         (--values and --min/--max exclude each other)
  --opclass OPS          GIN operator class: jsonb_path_ops (default) or jsonb_ops
  --guarded              GIN: only where the column is jsonb; index: only where the table exists
  --no-concurrently      build indexes inside the migration's transaction
  --unique-index-only    unique: keep a unique index, do not attach a constraint
  --function NAME        trigger: call this shared function instead of update_<table>_updated_at()
                         (it must exist: the migration neither replaces nor drops it)
  --create-function      trigger with --function: this migration creates the shared function
  --object-name NAME     name of the index / constraint / trigger instead of the derived one
  --tool TOOL            ${MIGRATION_TOOLS.join('|')} (default: detected from the project)
  --dir D                folder for the migration, absolute or relative to the current directory
                         (default: where the project keeps them)
  --name N               migration name (default: derived, e.g. add_idx_lessons_user_id)
  --root D               project root (default: the current directory)
  --db URL               check that the table and columns exist (and a GIN column is jsonb) first
  --json                 print what was written as JSON

exit codes: 0 written, 1 the database check failed, 2 usage or connection error`;

function list(value: string | undefined): string[] | undefined {
  return value === undefined ? undefined : value.split(',').map((v) => v.trim()).filter((v) => v !== '');
}

function number(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new UsageError(`${flag} must be a number, got ${value}`);
  return n;
}

function parse(argv: string[]) {
  return parseCommandArgs('new', {
    args: argv, allowPositionals: true, strict: true,
    options: {
      table: { type: 'string' }, columns: { type: 'string' }, where: { type: 'string' }, values: { type: 'string' },
      min: { type: 'string' }, max: { type: 'string' }, opclass: { type: 'string' }, guarded: { type: 'boolean' },
      'no-concurrently': { type: 'boolean' }, 'create-function': { type: 'boolean' }, 'unique-index-only': { type: 'boolean' }, function: { type: 'string' },
      'object-name': { type: 'string' }, tool: { type: 'string' }, dir: { type: 'string' }, name: { type: 'string' },
      root: { type: 'string' }, db: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
    },
  });
}

function paramsFrom(values: ReturnType<typeof parse>['values']): TemplateParams {
  if (!values.table) throw new UsageError('--table is required');
  if (values.opclass !== undefined && values.opclass !== 'jsonb_path_ops' && values.opclass !== 'jsonb_ops') {
    throw new UsageError(`--opclass must be jsonb_path_ops or jsonb_ops, got ${values.opclass}`);
  }
  if (values.values !== undefined && (values.min !== undefined || values.max !== undefined)) {
    throw new UsageError('give either --values or --min/--max, not both: a CHECK is a list or a range');
  }
  const params: TemplateParams = { table: values.table };
  const optional: Partial<TemplateParams> = {
    columns: list(values.columns), where: values.where, values: list(values.values),
    min: number(values.min, '--min'), max: number(values.max, '--max'),
    opclass: values.opclass as GinOperatorClass | undefined, guarded: values.guarded,
    concurrently: values['no-concurrently'] ? false : undefined,
    asConstraint: values['unique-index-only'] ? false : undefined,
    functionName: values.function, createFunction: values['create-function'], objectName: values['object-name'],
  };
  for (const [key, value] of Object.entries(optional)) {
    if (value !== undefined) Object.assign(params, { [key]: value });
  }
  return params;
}

/** Runs `drydock new …` (argv after "new"); resolves to the exit code. */
export async function runNewCommand(argv: string[], io: Io): Promise<number> {
  let secrets: string[] = [];
  try {
    const { values, positionals } = parse(argv);
    if (values.help) {
      io.stdout.write(NEW_USAGE + '\n');
      return EXIT_OK;
    }
    const [kind, ...extra] = positionals;
    if (!kind || !isTemplateKind(kind)) throw new UsageError(`drydock new needs a kind: ${TEMPLATE_KINDS.join(', ')}${kind ? ` (got ${kind})` : ''}`);
    if (extra.length > 0) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
    if (values.tool !== undefined && values.tool !== 'auto' && !isMigrationTool(values.tool)) {
      throw new UsageError(`--tool must be one of ${MIGRATION_TOOLS.join(', ')}, got ${values.tool}`);
    }
    const params = paramsFrom(values);
    const root = path.resolve(io.cwd(), values.root ?? '.');

    if (values.db) {
      const connection = resolveCliConnection(values.db, io);
      secrets = secretsOf(connection);
      const problems = await withSession(pgBackend(connection), (session) => checkTemplateTarget(session, kind, params));
      if (problems.length > 0) {
        io.stderr.write(`not written: ${problems.join('; ')}\n`);
        return EXIT_FAILED;
      }
    }

    await loadParser(); // rendering splits statements with the real parser
    const { detected, rendered, written } = writeMigrationFromTemplate({
      root, kind, params, project: path.basename(root),
      tool: values.tool as Parameters<typeof writeMigrationFromTemplate>[0]['tool'],
      // --dir is taken as every CLI takes a path: absolute, or relative to the current directory.
      chooseDir: (detection) => (values.dir !== undefined ? path.resolve(io.cwd(), values.dir) : detection.dir),
      ...(values.name ? { name: values.name } : {}),
    });
    const shown = written.map((p) => path.relative(io.cwd(), p) || p);
    if (values.json) {
      io.stdout.write(JSON.stringify({ tool: detected.tool, evidence: detected.evidence, files: shown, declares: rendered.declares, noTransaction: rendered.noTransaction }, null, 2) + '\n');
    } else {
      for (const p of shown) io.stdout.write(p + '\n');
    }
    return EXIT_OK;
  } catch (err) {
    io.stderr.write(`drydock new: ${maskSecrets(err instanceof Error ? err.message : String(err), secrets)}\n`);
    if (err instanceof UsageError) io.stderr.write('run drydock new --help for usage\n');
    return EXIT_USAGE;
  }
}
