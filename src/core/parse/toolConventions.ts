// Which migration tool a file follows, and how that tool is told to run a migration outside a
// transaction, so a message or fix names the file's own tool's directive instead of Drydock's.
// The tool is read from the file's own conventions (its section markers, its name), else from the
// files checked with it (a folder whose other migrations carry a tool's directive).
import { readDirectives } from './directives';

/** A tool whose way of running a migration outside a transaction Drydock can name. */
export type ConventionTool = 'drydock' | 'dbmate' | 'goose' | 'graphile-migrate' | 'sql-migrate' | 'tern' | 'postgres-migrations' | 'atlas'
  | 'sqlx' | 'flyway' | 'diesel' | 'node-pg-migrate' | 'sqitch';

/** How a tool runs a migration outside a transaction. */
export interface NoTransactionConvention {
  tool: ConventionTool;
  /** In words, for a message: "goose's `-- +goose NO TRANSACTION`". */
  how: string;
  /** The line that, written at the top of the file, does it; null when it takes more than a line (a marker's option, a config file). */
  firstLine: string | null;
}

/** Each tool's own way, from its source or documentation. */
export const NO_TRANSACTION_CONVENTIONS: Readonly<Record<ConventionTool, NoTransactionConvention>> = {
  drydock: { tool: 'drydock', how: '`-- drydock:no-transaction`', firstLine: '-- drydock:no-transaction' },
  dbmate: { tool: 'dbmate', how: 'dbmate\'s `transaction:false` on the `-- migrate:up` line', firstLine: null },
  goose: { tool: 'goose', how: 'goose\'s `-- +goose NO TRANSACTION` (spelled exactly so)', firstLine: '-- +goose NO TRANSACTION' },
  'graphile-migrate': { tool: 'graphile-migrate', how: 'graphile-migrate\'s `--! no-transaction` as the first line', firstLine: '--! no-transaction' },
  'sql-migrate': { tool: 'sql-migrate', how: 'sql-migrate\'s `notransaction` option on the up marker (`-- +migrate Up notransaction`)', firstLine: null },
  tern: { tool: 'tern', how: 'tern\'s `---- tern: disable-tx ----` line', firstLine: '---- tern: disable-tx ----' },
  'postgres-migrations': { tool: 'postgres-migrations', how: 'postgres-migrations\' `-- postgres-migrations disable-transaction`', firstLine: '-- postgres-migrations disable-transaction' },
  // Atlas reads directives only from the file's header: comment lines followed by an empty line.
  atlas: { tool: 'atlas', how: 'Atlas\'s `-- atlas:txmode none` at the top of the file, followed by an empty line', firstLine: '-- atlas:txmode none\n' },
  sqlx: { tool: 'sqlx', how: 'sqlx\'s `-- no-transaction` as the very first bytes of the file', firstLine: '-- no-transaction' },
  flyway: { tool: 'flyway', how: 'Flyway\'s `executeInTransaction=false` in `<migration>.sql.conf` (Flyway itself runs a migration holding CREATE or DROP INDEX CONCURRENTLY outside a transaction)', firstLine: null },
  diesel: { tool: 'diesel', how: 'diesel\'s `run_in_transaction = false` in the migration\'s metadata.toml', firstLine: null },
  'node-pg-migrate': { tool: 'node-pg-migrate', how: 'a JavaScript migration calling `pgm.noTransaction()` (node-pg-migrate runs SQL migrations in a transaction, always)', firstLine: null },
  sqitch: { tool: 'sqitch', how: 'a sqitch deploy script without BEGIN and COMMIT (psql then runs it statement by statement)', firstLine: null },
};

/** A file's own signs of a tool: section markers and names only that tool uses. */
const OWN_SIGNS: readonly { tool: ConventionTool; text?: RegExp; path?: RegExp }[] = [
  { tool: 'dbmate', text: /^\s*--\s*migrate:(?:up|down)\b/im },
  { tool: 'goose', text: /^\s*--\s*\+goose\s+(?:up|down)\b/im },
  { tool: 'sql-migrate', text: /^-- \+migrate (?:Up|Down)\b/m },
  { tool: 'node-pg-migrate', text: /^\s*--[\s-]*(?:up|down)\s+migration\s*$/im },
  { tool: 'tern', text: /^---- (?:create above \/ drop below|tern: disable-tx) ----$/m },
  { tool: 'graphile-migrate', text: /^\s*--!/m },
  { tool: 'atlas', text: /^--\s*atlas:\w+/m },
  { tool: 'postgres-migrations', text: /-- postgres-migrations disable-transaction/ },
  { tool: 'sqlx', text: /^-- no-transaction/ },
  { tool: 'flyway', path: /(?:^|[\\/])(?:V\d+(?:[._]\d+)*|R)__[^\\/]*\.sql$/ },
  { tool: 'diesel', path: /(?:^|[\\/])(?:up|down)\.sql$/ },
  { tool: 'sqitch', path: /(?:^|[\\/])deploy[\\/][^\\/]+\.sql$/ },
];

/** The tool a file's own text or name shows, or null. */
function ownTool(file: { file: string; text: string }): ConventionTool | null {
  // Asked once per finding that names a directive, and a file can have hundreds: its signs are read once.
  const known = ownTools.get(file);
  if (known !== undefined && known.text === file.text && known.file === file.file) return known.tool;
  const tool = OWN_SIGNS.find((s) => (s.text ? s.text.test(file.text) : s.path!.test(file.file)))?.tool ?? null;
  ownTools.set(file, { file: file.file, text: file.text, tool });
  return tool;
}

const ownTools = new WeakMap<object, { file: string; text: string; tool: ConventionTool | null }>();

/**
 * How the file's own tool runs a migration outside a transaction: its tool as its text and name
 * show, else as the files checked with it show (their directives and markers); null when nothing
 * names a tool.
 */
export function noTransactionConventionFor(file: { file: string; text: string }, others: readonly FileLike[] = []): NoTransactionConvention | null {
  const own = ownTool(file);
  if (own) return NO_TRANSACTION_CONVENTIONS[own];
  let tool = folderTools.get(others);
  if (tool === undefined) folderTools.set(others, tool = folderTool(others));
  return tool ? NO_TRANSACTION_CONVENTIONS[tool] : null;
}

type FileLike = { file: string; text: string; noTransaction?: { tool: string } | null };

/** The tool the first of the files that names one follows (their directives, markers or names). */
function folderTool(files: readonly FileLike[]): ConventionTool | null {
  for (const other of files) {
    const tool = other.noTransaction?.tool ?? readDirectives(other.text).noTransaction?.tool ?? ownTool(other);
    if (tool && Object.hasOwn(NO_TRANSACTION_CONVENTIONS, tool)) return tool as ConventionTool;
  }
  return null;
}

// Worked out once per set of files checked together (a folder of hundreds has many such findings).
const folderTools = new WeakMap<readonly FileLike[], ConventionTool | null>();

/** Every tool's way, in a few words each, for help texts that cannot know the file's tool. */
export const EVERY_NO_TRANSACTION_DIRECTIVE = '`-- drydock:no-transaction`, dbmate `transaction:false`, goose `-- +goose NO TRANSACTION`, graphile `--! no-transaction`, '
  + 'sql-migrate `-- +migrate Up notransaction`, tern `---- tern: disable-tx ----`, postgres-migrations `-- postgres-migrations disable-transaction`, '
  + 'Atlas `-- atlas:txmode none`, sqlx `-- no-transaction` (first line)';
