// Migration-tool conventions that live in comments: which part of a file runs, and whether it must
// run outside a transaction. These are comments to PostgreSQL, so only whole comment lines count.
import type { ToolNoTransaction } from '../model/toolNoTransaction';

/** A tool whose convention a comment in the file follows. */
export type DirectiveTool = 'dbmate' | 'goose' | 'graphile-migrate' | 'drydock' | 'sql-migrate' | 'node-pg-migrate' | 'tern'
  | 'postgres-migrations' | 'atlas' | 'sqlx';

/** A no-transaction directive and the tool whose convention it follows. */
export interface NoTransactionDirective {
  tool: DirectiveTool | ToolNoTransaction['tool'];
  /** 1-based line of the directive; null when the tool's configuration file says so instead. */
  line: number | null;
  /** That configuration file (diesel's metadata.toml, Flyway's .sql.conf). */
  configFile?: string;
  /** What the tool itself detects in the file instead of a directive (Flyway: "CREATE INDEX CONCURRENTLY"). */
  detected?: string;
}

/** Where the file is said to run outside a transaction, in words: "dbmate directive on line 1". */
export function describeNoTransaction(d: NoTransactionDirective): string {
  if (d.detected) return `${d.tool} runs a migration holding ${d.detected} (line ${d.line ?? 1}) outside a transaction`;
  return d.line !== null ? `${d.tool} directive on line ${d.line}` : `${d.tool} configuration ${d.configFile ?? ''}`.trimEnd();
}

export interface FileDirectives {
  noTransaction: NoTransactionDirective | null;
  /** The file text with every "down" section blanked (same length, line breaks kept). */
  runnableText: string;
  /** 1-based line where the first blanked down section starts, if any. */
  downSectionLine: number | null;
}

interface LineRule {
  pattern: RegExp;
  /**
   * 'marker': a directive that does not change what runs here (goose StatementBegin/End, …);
   * 'up-no-transaction': opens the up section and runs it outside a transaction (dbmate, sql-migrate).
   */
  effect: 'up' | 'down' | 'no-transaction' | 'up-no-transaction' | 'marker';
  tool: DirectiveTool;
  /**
   * Tested on the line as the tool itself reads it, not trimmed (a tool matching from the line's
   * first byte ignores an indented one): 'scanner', a Go line scanner's line (its \r\n or \n
   * dropped); 'multiline', a multi-line regexp's line (only \n ends it, so a \r stays).
   */
  raw?: 'scanner' | 'multiline';
}

// Each tool's own spelling, from its source: where a tool matches exactly (goose's NO TRANSACTION,
// postgres-migrations', tern's, sql-migrate's), so does Drydock, since a variant the tool ignores
// leaves the migration in a transaction.
const LINE_RULES: LineRule[] = [
  { pattern: /^--\s*migrate:up\b.*\btransaction:false\b/i, effect: 'up-no-transaction', tool: 'dbmate' },
  { pattern: /^--\s*migrate:up\b/i, effect: 'up', tool: 'dbmate' },
  { pattern: /^--\s*migrate:down\b/i, effect: 'down', tool: 'dbmate' },
  // goose reads it anywhere in the file, for the whole file: "--" and "+goose" removed, the rest
  // trimmed and compared in any case (since goose 3.19; before, in this case only) with one space
  // inside, so "NO  TRANSACTION" or "NOTRANSACTION" is an unknown annotation, never a directive.
  { pattern: /^--\s*\+goose\s+no transaction$/i, effect: 'no-transaction', tool: 'goose' },
  { pattern: /^--\s*\+goose\s+Up\b/i, effect: 'up', tool: 'goose' },
  { pattern: /^--\s*\+goose\s+Down\b/i, effect: 'down', tool: 'goose' },
  // sql-migrate (rubenv): a line starting with "-- +migrate ", the rest split into fields: the first
  // the command (Up, Down, case as written), the others options; "notransaction" among the up
  // marker's options runs the up statements outside a transaction.
  { pattern: /^-- \+migrate \s*Up(?:\s+\S+)*?\s+notransaction(?:\s.*)?$/, effect: 'up-no-transaction', tool: 'sql-migrate', raw: 'scanner' },
  { pattern: /^-- \+migrate \s*Up(?:\s.*)?$/, effect: 'up', tool: 'sql-migrate', raw: 'scanner' },
  { pattern: /^-- \+migrate \s*Down(?:\s.*)?$/, effect: 'down', tool: 'sql-migrate', raw: 'scanner' },
  // node-pg-migrate's SQL migrations: the part after "-- Down Migration" reverts (no directive runs one outside a transaction).
  { pattern: /^--[\s-]*up\s+migration$/i, effect: 'up', tool: 'node-pg-migrate' },
  { pattern: /^--[\s-]*down\s+migration$/i, effect: 'down', tool: 'node-pg-migrate' },
  // tern: its marker line anywhere (a multi-line regexp from the line's first byte to its end), and
  // everything after its separator reverts.
  { pattern: /^---- tern: disable-tx ----$/, effect: 'no-transaction', tool: 'tern', raw: 'multiline' },
  { pattern: /^---- create above \/ drop below ----$/, effect: 'down', tool: 'tern' },
  // postgres-migrations: a comment line holding it (the file's text anywhere is read below).
  { pattern: /^-- postgres-migrations disable-transaction/, effect: 'no-transaction', tool: 'postgres-migrations' },
  { pattern: /^--!\s*no-transaction\b/i, effect: 'no-transaction', tool: 'graphile-migrate' },
  { pattern: /^--\s*drydock:no-transaction\b/i, effect: 'no-transaction', tool: 'drydock' },
  { pattern: /^--\s*\+goose\b/i, effect: 'marker', tool: 'goose' },
  { pattern: /^-- \+migrate /, effect: 'marker', tool: 'sql-migrate', raw: 'scanner' },
  { pattern: /^--!/, effect: 'marker', tool: 'graphile-migrate' },
  { pattern: /^--\s*drydock:/i, effect: 'marker', tool: 'drydock' },
];

/**
 * Atlas reads directives from the file's header only: the comment lines it starts with, when a
 * blank line follows them (`-- atlas:txmode none`, then an empty line).
 */
function atlasNoTransaction(lines: readonly string[]): NoTransactionDirective | null {
  let i = 0;
  while (i < lines.length && /^(?:--|#)/.test(lines[i]!)) i++;
  if (i === 0 || i >= lines.length || lines[i]!.trim() !== '') return null;
  const at = lines.slice(0, i).findIndex((l) => /^--\s*atlas:txmode\s+none\b/.test(l.trim()));
  return at >= 0 ? { tool: 'atlas', line: at + 1 } : null;
}

const POSTGRES_MIGRATIONS_PHRASE = '-- postgres-migrations disable-transaction';

/**
 * postgres-migrations runs a migration outside a transaction when its text holds the phrase anywhere,
 * as written (String.includes): after a statement on the same line too, even inside a string.
 */
function postgresMigrationsNoTransaction(text: string): NoTransactionDirective | null {
  const at = text.indexOf(POSTGRES_MIGRATIONS_PHRASE);
  return at < 0 ? null : { tool: 'postgres-migrations', line: text.slice(0, at).split('\n').length };
}

/** The line as a Go line scanner hands it over (\r\n or \n dropped), or a multi-line regexp sees it (\n dropped). */
function asRead(line: string, raw: 'scanner' | 'multiline'): string {
  return raw === 'scanner' ? line.replace(/\r?\n$/, '').replace(/\r$/, '') : line.replace(/\n$/, '');
}

/** The rule a comment line follows, each rule tested on the line as its tool reads it. */
function ruleOf(line: string): LineRule | undefined {
  const trimmed = line.trim();
  if (!trimmed.startsWith('--')) return undefined;
  return LINE_RULES.find((r) => r.pattern.test(r.raw ? asRead(line, r.raw) : trimmed));
}

/** sqlx runs a migration outside a transaction when its very first bytes say so. */
function sqlxNoTransaction(text: string): NoTransactionDirective | null {
  return text.startsWith('-- no-transaction') ? { tool: 'sqlx', line: 1 } : null;
}

/** True for a comment line that is a migration tool's directive (any of the conventions above). */
export function isDirectiveLine(line: string): boolean {
  return ruleOf(line) !== undefined;
}

// Tools that read their no-transaction directive wherever it stands, for the whole file (a down section too).
const WHOLE_FILE_DIRECTIVES = new Set<DirectiveTool>(['goose', 'tern', 'postgres-migrations']);

function blank(text: string): string {
  return text.replace(/[^\r\n]/g, ' ');
}

// A line that could hold a directive: every LINE_RULES pattern starts like one of these, after the
// line's leading whitespace (\s is what trim() removes), and so do Atlas's and sqlx's. Most files
// have none: their text is read as is.
const MAYBE_DIRECTIVE = /^\s*--(?:!|\s*(?:migrate:|\+goose|\+migrate|drydock:|postgres-migrations|no-transaction|atlas:)|[\s-]*(?:up|down)\s+migration|-- (?:tern:|create above))/im;

/** Reads the directives of a migration file and blanks its down sections. */
export function readDirectives(text: string): FileDirectives {
  if (!MAYBE_DIRECTIVE.test(text) && !text.includes(POSTGRES_MIGRATIONS_PHRASE)) return { noTransaction: null, runnableText: text, downSectionLine: null };
  const lines = text.split(/(?<=\n)/);
  let noTransaction: NoTransactionDirective | null = sqlxNoTransaction(text) ?? atlasNoTransaction(lines.map((l) => l.replace(/\r?\n$/, '')));
  let downSectionLine: number | null = null;
  let inDown = false;
  const out: string[] = [];
  lines.forEach((line, i) => {
    const rule = ruleOf(line);
    if (rule?.effect === 'down') {
      inDown = true;
      downSectionLine ??= i + 1;
    } else if (rule?.effect === 'up') {
      inDown = false;
    } else if (rule?.effect === 'up-no-transaction') {
      inDown = false;
      noTransaction ??= { tool: rule.tool, line: i + 1 };
    } else if (rule?.effect === 'no-transaction' && (!inDown || WHOLE_FILE_DIRECTIVES.has(rule.tool))) {
      noTransaction ??= { tool: rule.tool, line: i + 1 };
    }
    out.push(inDown ? blank(line) : line);
  });
  noTransaction ??= postgresMigrationsNoTransaction(text);
  return { noTransaction, runnableText: out.join(''), downSectionLine };
}
