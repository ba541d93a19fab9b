// Migration tool layouts as data: where each tool keeps its files, how it names a new migration,
// and how it marks the up and down parts and "run outside a transaction".
import type { Node } from '../parse/pgTypes';
import { readDirectives } from '../parse/directives';
import { splitStatements } from '../parse/parseMigration';
import { parseSql } from '../parse/pgParser';
import { MIGRATION_TOOLS, isMigrationTool, type MigrationTool } from './toolNames';

export { MIGRATION_TOOLS, isMigrationTool, type MigrationTool };

/** The directive Drydock's own runner honours in files whose tool has none. */
export const DRYDOCK_NO_TRANSACTION = '-- drydock:no-transaction';

/** What a file is for. */
export type FileRole = 'migration' | 'up' | 'down' | 'verify' | 'plan' | 'config';

/** One file to write. `append` files are added to the end of an existing file (see `mergeInto`). */
export interface RenderedFile {
  /** Relative path with "/" separators. */
  path: string;
  text: string;
  role: FileRole;
  mode: 'create' | 'append';
  /** For append files: a line that must be the file's first line (e.g. graphile's `--! no-transaction`). */
  header?: string;
  /** For append files: what a new file starts with (e.g. the pragmas of a new sqitch.plan). */
  preamble?: string;
  /** For SQL files: the tool runs this file (or section) outside a transaction. */
  noTransaction?: boolean;
  /** The tool sends the whole file to PostgreSQL as one query (graphile's current.sql). */
  runsAsOneQuery?: boolean;
}

/** Everything a layout needs to lay out one migration. */
export interface LayoutInput {
  slug: string;
  dir: string;
  now: Date;
  existingPaths: readonly string[];
  up: string;
  down: string;
  verify: string;
  noTransaction: boolean;
  /** "Name <email>" written in a sqitch plan line. */
  planner: string;
  /** Project name, for a sqitch.plan that does not exist yet. */
  project: string;
}

export interface ToolLayout {
  label: string;
  /** Where the tool keeps migrations when the workspace does not say. */
  defaultDir: string;
  /** True when the tool has a way to reverse a migration. */
  hasDown: boolean;
  /**
   * True when the tool sends a whole file (or dbmate section) to PostgreSQL as one query: the
   * statements then share an implicit transaction, so a CONCURRENTLY build must be alone in it.
   */
  runsFileAsOneQuery: boolean;
  /** True when every migration goes into the same file (graphile's current.sql). */
  singleFile: boolean;
  files(input: LayoutInput): RenderedFile[];
}

function join(dir: string, name: string): string {
  const clean = dir.replace(/\\/g, '/').replace(/\/+$/, '');
  return clean === '' || clean === '.' ? name : `${clean}/${name}`;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** YYYYMMDDHHMMSS in UTC, the version dbmate and goose give a new migration. */
export function timestampVersion(now: Date): string {
  return `${now.getUTCFullYear()}${pad(now.getUTCMonth() + 1)}${pad(now.getUTCDate())}`
    + `${pad(now.getUTCHours())}${pad(now.getUTCMinutes())}${pad(now.getUTCSeconds())}`;
}

function dieselVersion(now: Date): string {
  const t = timestampVersion(now);
  return `${t.slice(0, 4)}-${t.slice(4, 6)}-${t.slice(6, 8)}-${t.slice(8)}`;
}

/** Numeric versions of the existing files in `dir` whose base name matches `pattern` (group 1). */
function versionsIn(dir: string, existing: readonly string[], pattern: RegExp): string[] {
  const prefix = join(dir, '');
  return existing
    .map((p) => p.replace(/\\/g, '/'))
    .filter((p) => prefix === '' || p.startsWith(prefix))
    .map((p) => pattern.exec(p.slice(prefix.length))?.[1])
    .filter((v): v is string => v !== undefined);
}

/** The next number after the existing ones, zero-padded like them (at least `minWidth`). */
function nextSequence(versions: readonly string[], minWidth: number): string {
  const max = versions.reduce((m, v) => Math.max(m, Number(v)), 0);
  const width = versions.reduce((w, v) => Math.max(w, v.length), minWidth);
  return String(max + 1).padStart(width, '0');
}

/** Functions, procedures and DO blocks carry bodies whose semicolons goose would split on. */
function hasBody(node: Node): boolean {
  return 'CreateFunctionStmt' in node || 'DoStmt' in node;
}

/** Goose needs StatementBegin/End around statements whose bodies hold semicolons. */
function gooseStatements(sql: string): string {
  return splitStatements(sql)
    .map((s) => (hasBody(s.node) ? `-- +goose StatementBegin\n${s.sql}\n-- +goose StatementEnd` : s.sql))
    .join('\n\n');
}

const withDirective = (directive: string, on: boolean, sql: string) => (on ? `${directive}\n${sql}` : sql);

/**
 * A sqitch deploy/revert script: sqitch leaves the transaction to the script, so a transactional
 * one is wrapped in BEGIN … COMMIT; a no-transaction one runs statement by statement, unwrapped.
 */
function sqitchScript(heading: string, sql: string, noTransaction: boolean): string {
  return noTransaction
    ? `${DRYDOCK_NO_TRANSACTION}\n${heading}\n${sql}`
    : `${heading}\n\nBEGIN;\n\n${sql}\nCOMMIT;\n`;
}

export const TOOL_LAYOUTS: Readonly<Record<MigrationTool, ToolLayout>> = {
  plain: {
    label: 'Plain numbered files (NNN_name.sql)',
    defaultDir: 'migrations',
    hasDown: false,
    runsFileAsOneQuery: false,
    singleFile: false,
    files: (i) => {
      const n = nextSequence(versionsIn(i.dir, i.existingPaths, /^(\d+)_[^/]*\.sql$/), 3);
      return [{ path: join(i.dir, `${n}_${i.slug}.sql`), text: withDirective(DRYDOCK_NO_TRANSACTION, i.noTransaction, i.up), role: 'migration', mode: 'create' }];
    },
  },
  dbmate: {
    label: 'dbmate (db/migrations/<timestamp>_name.sql)',
    defaultDir: 'db/migrations',
    hasDown: true,
    runsFileAsOneQuery: true,
    singleFile: false,
    files: (i) => {
      const tx = i.noTransaction ? ' transaction:false' : '';
      const text = `-- migrate:up${tx}\n${i.up}\n-- migrate:down${tx}\n${i.down}`;
      return [{ path: join(i.dir, `${timestampVersion(i.now)}_${i.slug}.sql`), text, role: 'migration', mode: 'create' }];
    },
  },
  goose: {
    label: 'goose (-- +goose Up / Down)',
    defaultDir: 'migrations',
    hasDown: true,
    runsFileAsOneQuery: false,
    singleFile: false,
    files: (i) => {
      const versions = versionsIn(i.dir, i.existingPaths, /^(\d+)_[^/]*\.sql$/);
      const sequential = versions.length > 0 && versions.every((v) => v.length < 14);
      const version = sequential ? nextSequence(versions, 5) : timestampVersion(i.now);
      const header = i.noTransaction ? '-- +goose NO TRANSACTION\n' : '';
      const text = `${header}-- +goose Up\n${gooseStatements(i.up)}\n\n-- +goose Down\n${gooseStatements(i.down)}\n`;
      return [{ path: join(i.dir, `${version}_${i.slug}.sql`), text, role: 'migration', mode: 'create' }];
    },
  },
  sqitch: {
    label: 'sqitch (deploy / revert / verify + sqitch.plan)',
    defaultDir: '.',
    hasDown: true,
    runsFileAsOneQuery: false,
    singleFile: false,
    files: (i) => {
      const stamp = i.now.toISOString().replace(/\.\d{3}Z$/, 'Z');
      return [
        { path: join(i.dir, `deploy/${i.slug}.sql`), text: sqitchScript(`-- Deploy ${i.slug} to pg`, i.up, i.noTransaction), role: 'up', mode: 'create' },
        { path: join(i.dir, `revert/${i.slug}.sql`), text: sqitchScript(`-- Revert ${i.slug} from pg`, i.down, i.noTransaction), role: 'down', mode: 'create' },
        { path: join(i.dir, `verify/${i.slug}.sql`), text: `-- Verify ${i.slug} on pg\n${i.verify}`, role: 'verify', mode: 'create' },
        { path: join(i.dir, 'sqitch.plan'), text: `${i.slug} ${stamp} ${i.planner} # ${i.slug.replace(/_/g, ' ')}\n`, role: 'plan', mode: 'append', preamble: `%syntax-version=1.0.0\n%project=${i.project}\n\n` },
      ];
    },
  },
  flyway: {
    label: 'Flyway (V<n>__name.sql, U<n>__name.sql undo)',
    defaultDir: 'db/migration',
    hasDown: true,
    runsFileAsOneQuery: false,
    singleFile: false,
    files: (i) => {
      const n = nextSequence(versionsIn(i.dir, i.existingPaths, /^V(\d+)(?:[._]\d+)*__[^/]*\.sql$/), 1);
      const files: RenderedFile[] = [
        { path: join(i.dir, `V${n}__${i.slug}.sql`), text: withDirective(DRYDOCK_NO_TRANSACTION, i.noTransaction, i.up), role: 'up', mode: 'create' },
        { path: join(i.dir, `U${n}__${i.slug}.sql`), text: withDirective(DRYDOCK_NO_TRANSACTION, i.noTransaction, i.down), role: 'down', mode: 'create' },
      ];
      if (i.noTransaction) {
        for (const prefix of ['V', 'U']) {
          files.push({ path: join(i.dir, `${prefix}${n}__${i.slug}.sql.conf`), text: 'executeInTransaction=false\n', role: 'config', mode: 'create' });
        }
      }
      return files;
    },
  },
  graphile: {
    label: 'graphile-migrate (migrations/current.sql)',
    defaultDir: 'migrations',
    hasDown: false,
    runsFileAsOneQuery: true,
    singleFile: true,
    files: (i) => [{
      path: join(i.dir, 'current.sql'),
      text: i.up,
      role: 'migration',
      mode: 'append',
      runsAsOneQuery: true,
      ...(i.noTransaction ? { header: '--! no-transaction' } : {}),
    }],
  },
  diesel: {
    label: 'diesel (migrations/<timestamp>_name/up.sql + down.sql)',
    defaultDir: 'migrations',
    hasDown: true,
    runsFileAsOneQuery: true,
    singleFile: false,
    files: (i) => {
      const folder = join(i.dir, `${dieselVersion(i.now)}_${i.slug}`);
      const files: RenderedFile[] = [
        { path: `${folder}/up.sql`, text: withDirective(DRYDOCK_NO_TRANSACTION, i.noTransaction, i.up), role: 'up', mode: 'create' },
        { path: `${folder}/down.sql`, text: withDirective(DRYDOCK_NO_TRANSACTION, i.noTransaction, i.down), role: 'down', mode: 'create' },
      ];
      if (i.noTransaction) files.push({ path: `${folder}/metadata.toml`, text: 'run_in_transaction = false\n', role: 'config', mode: 'create' });
      return files;
    },
  },
};

/** True when the text holds SQL statements, not just comments (unparsable text counts as holding some). */
function holdsStatements(text: string): boolean {
  try {
    return (parseSql(text).stmts ?? []).length > 0;
  } catch {
    return true;
  }
}

/**
 * The text an `append` file should have after being added to `existing` (null: no file yet):
 * the new text after a blank line, and its header moved to the first line if it is not there.
 * Refuses (throws) to put a no-transaction statement into a one-query file that already holds
 * statements, or anything into one that already runs outside a transaction. After `loadParser()`.
 */
export function mergeInto(file: RenderedFile, existing: string | null): string {
  if (file.runsAsOneQuery && existing !== null && holdsStatements(existing)
    && (file.header !== undefined || readDirectives(existing).noTransaction !== null)) {
    throw new Error(`${file.path} already holds statements, and its tool runs the whole file as one query: `
      + 'a statement that must run outside a transaction (CONCURRENTLY) cannot share it with others. '
      + 'Commit the current migration first (graphile-migrate commit), then add this one.');
  }
  if (file.mode === 'create' || existing === null || existing.trim() === '') {
    return `${file.header ? `${file.header}\n` : ''}${file.mode === 'append' ? file.preamble ?? '' : ''}${file.text}`;
  }
  let base = existing.endsWith('\n') ? existing : `${existing}\n`;
  if (file.header && !base.startsWith(`${file.header}\n`)) base = `${file.header}\n${base}`;
  return file.role === 'plan' ? `${base}${file.text}` : `${base}\n${file.text}`;
}
