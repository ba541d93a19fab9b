// Every failure, from the server or the network, becomes one ErrorReport: a category a person can
// act on, a precise title, and the place in the file the server pointed at.
import type { ErrorCategory, ErrorLabel, ErrorReport, OffsetRange } from '../model/report';
import { sqlstateTitle } from '../sql/sqlstates';
import { LineIndex, codePointToUtf16 } from '../model/lineIndex';

const LABELS: Record<ErrorCategory, ErrorLabel> = {
  integrity: 'Data conflict',
  operational: 'Service temporarily unavailable',
  database: 'Database error',
};

// Classes and codes that say "the service, not your SQL": retrying later or elsewhere may work.
const OPERATIONAL_CLASSES = new Set(['08', '53', '57', '58']);
const OPERATIONAL_CODES = new Set(['55P03', '40001', '40P01']);

// Network errors from Node map to the connection-exception SQLSTATEs they amount to.
const NETWORK_CODES: Record<string, string> = {
  ECONNREFUSED: '08001',
  ENOTFOUND: '08001',
  EAI_AGAIN: '08001',
  EHOSTUNREACH: '08001',
  ENETUNREACH: '08001',
  ETIMEDOUT: '08001',
  ECONNRESET: '08006',
  EPIPE: '08006',
};

const HINTS: Record<string, string> = {
  '42P07': 'Use CREATE … IF NOT EXISTS (or check the catalog in a DO block) so the migration can run again.',
  '42710': 'Use IF NOT EXISTS where PostgreSQL offers it, or guard the statement with a catalog check in a DO block.',
  '42701': 'Use ADD COLUMN IF NOT EXISTS so the migration can run again.',
  '25001': 'Give the file a no-transaction directive (e.g. `-- drydock:no-transaction`) and keep such statements in a file of their own.',
  '55P03': 'Another session holds a conflicting lock: retry when it finishes, or raise lock_timeout deliberately.',
  '57014': 'The statement ran longer than statement_timeout (or was canceled). Batch the work or raise the timeout deliberately.',
  '2D000': 'A procedure or DO block tried to COMMIT or ROLLBACK; Drydock runs the whole file in one transaction.',
  '55P04': 'PostgreSQL does not let a transaction use an enum value that the same transaction added to a type that already existed. '
    + 'This is an artefact of running several migrations in one transaction (a folder dry-run does): the migration tool commits each migration, '
    + 'so it will not hit this. Dry-run the later migration after the earlier one is applied, or use a shadow dry-run (--shadow), which commits each earlier migration as the tool does.',
  // Whether a fix query lists the rows is said by the fix-query probe, only when it built one.
  '23505': 'Resolve the duplicate keys (merge or delete the extra rows) before adding the unique index or constraint.',
  '23514': 'Update or delete the rows that violate the CHECK first: NOT VALID only skips them now, and VALIDATE CONSTRAINT fails on them the same way.',
  '23502': 'A new NOT NULL column needs a DEFAULT, or add it nullable, backfill it, then SET NOT NULL; on an existing column, backfill the NULLs before SET NOT NULL.',
  '23503': 'Delete the rows whose keys do not exist, or add the missing keys, before adding the foreign key.',
  '28P01': 'Check the user name and password of the connection (a URL\'s password, PGPASSWORD or ~/.pgpass).',
  '3D000': 'Check the database name of the connection.',
};

/** The category of a SQLSTATE: integrity (class 23), operational (connection, resources, locks …) or database. */
export function categoryOf(sqlstate: string): ErrorCategory {
  const cls = sqlstate.slice(0, 2);
  if (cls === '23') return 'integrity';
  if (OPERATIONAL_CLASSES.has(cls) || OPERATIONAL_CODES.has(sqlstate)) return 'operational';
  return 'database';
}

/** Where a failing statement sits, so positions can be mapped into its file. */
export interface StatementLocation {
  file: string;
  sql: string;
  offsets: OffsetRange;
  lines: LineIndex;
  /** For a DO block written with its body as it runs (dollar-quoted): where the body starts in `sql`, PL/pgSQL's line 1. */
  doBodyStart?: number | null;
}

interface ErrorFields {
  code?: string;
  message?: string;
  detail?: string;
  hint?: string;
  position?: string;
  internalPosition?: string;
  internalQuery?: string;
  where?: string;
  schema?: string;
  table?: string;
  column?: string;
  constraint?: string;
}

function fieldsOf(err: unknown): ErrorFields {
  if (err && typeof err === 'object') return err as ErrorFields;
  return { message: String(err) };
}

// The driver refusing to start a password exchange without a password.
const NO_PASSWORD = /^SASL: .*password|client password must be a string/i;

function sqlstateOf(fields: ErrorFields): string {
  if (fields.code && /^[0-9A-Z]{5}$/.test(fields.code)) return fields.code;
  if (fields.code && NETWORK_CODES[fields.code]) return NETWORK_CODES[fields.code]!;
  if (/connection terminated|terminating connection|server closed the connection|Connection ended/i.test(fields.message ?? '')) return '08006';
  if (/timeout expired|connection timeout/i.test(fields.message ?? '')) return '08001';
  // The driver refuses to start a password exchange it has no password for: the server asked for one.
  if (NO_PASSWORD.test(fields.message ?? '')) return '28P01';
  return 'XX000';
}

/** Offset within the statement (UTF-16) that the server's position fields point at, or null. */
function offsetInStatement(fields: ErrorFields, where: StatementLocation): number | null {
  const sql = where.sql;
  if (fields.position) return codePointToUtf16(sql, Number(fields.position) - 1);
  const inBody = where.doBodyStart === undefined || where.doBodyStart === null ? null : offsetInDoBody(fields, sql, where.doBodyStart);
  if (inBody !== null) return inBody;
  if (fields.internalPosition && fields.internalQuery) {
    const at = sql.indexOf(fields.internalQuery);
    if (at >= 0) return at + codePointToUtf16(fields.internalQuery, Number(fields.internalPosition) - 1);
  }
  // Inside a function or DO body the server names the failing inner statement in its context.
  const inner = /SQL statement "([\s\S]*?)"\n/.exec(`${fields.where ?? ''}\n`)?.[1];
  if (inner) {
    const at = sql.indexOf(inner);
    if (at >= 0) return at;
  }
  return null;
}

// The DO block's own frame in an error's context: the last one, since the context lists the
// innermost call first (a function the block called, a DO block it EXECUTEd, come before it).
const DO_FRAME = /PL\/pgSQL function inline_code_block line (\d+) at [^\n]*/g;
// The query a frame ran, on the context line right above it.
const FRAME_QUERY = /SQL (?:statement|expression) "([\s\S]*)"\n$/;

/**
 * Offset within a DO statement of what failed inside its body, from the line PL/pgSQL names
 * ("line 4 at PERFORM", "line 7 at assignment", "line 3 at IF"), then the query or expression it
 * ran, found from that line on (a PERFORM runs as SELECT), then the server's position within it.
 */
function offsetInDoBody(fields: ErrorFields, sql: string, bodyStart: number): number | null {
  const context = fields.where ?? '';
  let frame: RegExpExecArray | null = null;
  DO_FRAME.lastIndex = 0;
  for (let m = DO_FRAME.exec(context); m; m = DO_FRAME.exec(context)) frame = m;
  if (!frame) return null;
  let lineStart = bodyStart;
  for (let line = 1; line < Number(frame[1]); line++) {
    const next = sql.indexOf('\n', lineStart);
    if (next < 0) return null; // not the body this statement holds
    lineStart = next + 1;
  }
  const before = context.slice(0, frame.index);
  // The server's own query and position are the innermost frame's: this one's when no other frame came before it.
  const innermost = !before.includes('PL/pgSQL function');
  const query = FRAME_QUERY.exec(before)?.[1] ?? (innermost ? fields.internalQuery : undefined);
  if (query) {
    // A PERFORM runs as SELECT followed by what the body wrote after PERFORM (some servers collapse the space between).
    const afterSelect = query.startsWith('SELECT') && sql.indexOf(query, lineStart) < 0 ? query.slice('SELECT'.length) : null;
    const skipped = afterSelect === null ? 0 : query.length - afterSelect.trimStart().length;
    const at = sql.indexOf(query.slice(skipped), lineStart);
    if (at >= 0) {
      const own = innermost && fields.internalQuery === query && fields.internalPosition;
      const within = own ? codePointToUtf16(query, Number(fields.internalPosition) - 1) - skipped : 0;
      return at + Math.max(0, within);
    }
  }
  // The statement's first word on its line.
  const indent = /[ \t]*/y;
  indent.lastIndex = lineStart;
  indent.exec(sql);
  return indent.lastIndex;
}

/** Where the token at `offset` ends: a quoted name or string, a word, or one character. */
function tokenEnd(text: string, offset: number): number {
  const quote = text[offset];
  if (quote === '"' || quote === "'") {
    // A loop, not a regex: a regex repeating a group once per character ran out of stack on a 10 MB literal.
    for (let i = offset + 1; i < text.length; i++) {
      if (text[i] !== quote) continue;
      if (text[i + 1] !== quote) return i + 1;
      i += 1; // a doubled quote stays inside
    }
  }
  const word = /[\w$.]+|\S/y;
  word.lastIndex = offset;
  return word.exec(text) ? word.lastIndex : offset;
}

/** Classifies any error (server, network, driver) and maps its position into the file when known. */
export function classifyError(err: unknown, where?: StatementLocation): ErrorReport {
  const fields = fieldsOf(err);
  const sqlstate = sqlstateOf(fields);
  const category = categoryOf(sqlstate);
  const report: ErrorReport = {
    sqlstate,
    category,
    label: LABELS[category],
    title: sqlstateTitle(sqlstate),
    message: fields.message ?? 'unknown error',
  };
  if (fields.detail) report.detail = fields.detail;
  // The driver's words for a password it was never given ("SASL: SCRAM-SERVER-FIRST-MESSAGE: client
  // password must be a string") say nothing to a person: the server asked for one and none was set.
  if (sqlstate === '28P01' && fields.code === undefined && NO_PASSWORD.test(report.message)) {
    report.detail = report.message;
    report.message = 'The server asks for a password and the connection gives none';
  }
  // The server's own hint first, then Drydock's when it has one for this SQLSTATE.
  const hint = [fields.hint, HINTS[sqlstate]].filter((h) => h).join(' ');
  if (hint) report.hint = hint;
  if (fields.where) report.context = fields.where;
  for (const key of ['schema', 'table', 'column', 'constraint'] as const) {
    if (fields[key]) report[key] = fields[key];
  }
  if (where) {
    report.file = where.file;
    const inStatement = offsetInStatement(fields, where);
    const start = where.offsets.start + (inStatement ?? 0);
    const end = inStatement === null ? where.offsets.end : where.offsets.start + tokenEnd(where.sql, inStatement);
    report.position = where.lines.positionAt(start);
    report.range = where.lines.rangeOf({ start, end: Math.max(end, start + 1) });
  }
  return report;
}
