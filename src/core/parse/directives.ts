// Migration-tool conventions that live in comments: which part of a file runs, and whether it must
// run outside a transaction. These are comments to PostgreSQL, so only whole comment lines count.
import type { ToolNoTransaction } from '../model/toolNoTransaction';

/** A no-transaction directive and the tool whose convention it follows. */
export interface NoTransactionDirective {
  tool: 'dbmate' | 'goose' | 'graphile-migrate' | 'drydock' | ToolNoTransaction['tool'];
  /** 1-based line of the directive; null when the tool's configuration file says so instead. */
  line: number | null;
  /** That configuration file (diesel's metadata.toml, Flyway's .sql.conf). */
  configFile?: string;
}

/** Where the file is said to run outside a transaction, in words: "dbmate directive on line 1". */
export function describeNoTransaction(d: NoTransactionDirective): string {
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
  /** 'marker': a directive that does not change what runs here (goose StatementBegin/End, …). */
  effect: 'up' | 'down' | 'no-transaction' | 'marker';
  tool: 'dbmate' | 'goose' | 'graphile-migrate' | 'drydock';
}

const LINE_RULES: LineRule[] = [
  { pattern: /^--\s*migrate:up\b.*\btransaction:false\b/i, effect: 'no-transaction', tool: 'dbmate' },
  { pattern: /^--\s*migrate:up\b/i, effect: 'up', tool: 'dbmate' },
  { pattern: /^--\s*migrate:down\b/i, effect: 'down', tool: 'dbmate' },
  { pattern: /^--\s*\+goose\s+NO\s+TRANSACTION\b/i, effect: 'no-transaction', tool: 'goose' },
  { pattern: /^--\s*\+goose\s+Up\b/i, effect: 'up', tool: 'goose' },
  { pattern: /^--\s*\+goose\s+Down\b/i, effect: 'down', tool: 'goose' },
  { pattern: /^--!\s*no-transaction\b/i, effect: 'no-transaction', tool: 'graphile-migrate' },
  { pattern: /^--\s*drydock:no-transaction\b/i, effect: 'no-transaction', tool: 'drydock' },
  { pattern: /^--\s*\+goose\b/i, effect: 'marker', tool: 'goose' },
  { pattern: /^--!/, effect: 'marker', tool: 'graphile-migrate' },
  { pattern: /^--\s*drydock:/i, effect: 'marker', tool: 'drydock' },
];

/** True for a comment line that is a migration tool's directive (any of the conventions above). */
export function isDirectiveLine(line: string): boolean {
  const trimmed = line.trim();
  return trimmed.startsWith('--') && LINE_RULES.some((r) => r.pattern.test(trimmed));
}

function blank(text: string): string {
  return text.replace(/[^\r\n]/g, ' ');
}

// A line that could hold a directive: every LINE_RULES pattern starts like one of these, after the
// line's leading whitespace (\s is what trim() removes). Most files have none: their text is read as is.
const MAYBE_DIRECTIVE = /^\s*--(?:!|\s*(?:migrate:|\+goose|drydock:))/im;

/** Reads the directives of a migration file and blanks its down sections. */
export function readDirectives(text: string): FileDirectives {
  if (!MAYBE_DIRECTIVE.test(text)) return { noTransaction: null, runnableText: text, downSectionLine: null };
  const lines = text.split(/(?<=\n)/);
  let noTransaction: NoTransactionDirective | null = null;
  let downSectionLine: number | null = null;
  let inDown = false;
  const out: string[] = [];
  lines.forEach((line, i) => {
    const trimmed = line.trim();
    const rule = trimmed.startsWith('--') ? LINE_RULES.find((r) => r.pattern.test(trimmed)) : undefined;
    if (rule?.effect === 'down') {
      inDown = true;
      downSectionLine ??= i + 1;
    } else if (rule?.effect === 'up') {
      inDown = false;
    } else if (rule?.effect === 'no-transaction' && !inDown) {
      noTransaction ??= { tool: rule.tool, line: i + 1 };
      if (rule.tool === 'dbmate') inDown = false; // "-- migrate:up transaction:false" also opens the up section
    }
    out.push(inDown ? blank(line) : line);
  });
  return { noTransaction, runnableText: out.join(''), downSectionLine };
}
