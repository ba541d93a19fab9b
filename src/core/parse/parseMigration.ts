// Turns a migration file into statements with exact ranges, kinds and schema effects, plus the
// facts the rules judge (binary content, psql meta-command lines, a syntax error, directives).
// Splitting is the real PostgreSQL parser's. Verdicts belong to core/rules, not here.
import type { Node } from './pgTypes';
import { statementEffects, type SchemaEffect } from './schemaEffects';
import { readDirectives, type NoTransactionDirective } from './directives';
import { flywayDetectedNoTransaction } from './flywayDetection';
import { bodyOf, mayNotCreate, mayNotRun, type InnerStatement, type StatementBody } from './innerStatements';
import { parseInChunks } from './chunkedParse';
import type { ReparseCache } from './incrementalParse';

export { ReparseCache } from './incrementalParse';
import { loadParser, parseSql, parseSqlAfter, parserErrorOf, type RawStmt } from './pgParser';
import { ParserStackOverflow } from './wasmParser';
import { NESTED_TOO_DEEPLY, copiesFromStdinWords, opaqueFacts, opaqueNode, scannedStatements, type OpaqueReason } from './opaqueStatements';
import type { OffsetRange, Range } from '../model/positions';
import type { ToolNoTransaction } from '../model/toolNoTransaction';
import { StatementText } from './statementText';
import { withoutConcurrently } from './withoutConcurrently';
import { statementKind } from './statementKind';
import { LineIndex, OffsetConverter, codePointToUtf16 } from '../model/lineIndex';
import { outsideTransactionRule, transactionControlOf, transactionModesOf, type OutsideTransaction, type TransactionControl } from './transactionFacts';

export { loadParser };

/** One statement of a migration file. */
export interface ParsedStatement {
  file: string;
  /** 0-based index within the file. */
  index: number;
  sql: string;
  kind: string;
  offsets: OffsetRange;
  range: Range;
  /** 'wrapper' for the BEGIN and COMMIT of a transaction block, which joins the transaction Drydock runs the file in. */
  role: 'statement' | 'wrapper';
  /** The parse tree; for an opaque statement an empty node that no rule or probe recognises. */
  node: Node;
  /**
   * Set when the parser could build no tree of the statement (nested too deeply): it is sent as
   * written, the rules do not judge it, and kind, transactionControl and outsideTransaction come
   * from its leading words.
   */
  opaque: OpaqueReason | null;
  /** Its schema effects and those of the statements its DO block runs (read-only, worked out on first read). */
  readonly effects: SchemaEffect[];
  readonly tables: string[];
  /** The effects of the statement itself, without its DO block's statements. */
  readonly ownEffects: SchemaEffect[];
  /** What a DO block, or a CREATE FUNCTION / PROCEDURE, runs (null for other statements); worked out on first read. */
  readonly body: ParsedBody | null;
  transactionControl: TransactionControl;
  outsideTransaction: OutsideTransaction | null;
  /** What a dry-run runs instead when the statement cannot run in a transaction (null: nothing runs). Read-only (worked out on first read). */
  readonly simulatedSql: string | null;
}

/** A statement a DO block or a function body runs, with its schema effects (worked out on first read). */
export interface BodyStatement extends InnerStatement {
  /** Declarations inside a branch that may not run (an IF, a loop, an exception handler) are `guarded` (innerStatements.ts mayNotRun). */
  readonly effects: SchemaEffect[];
  readonly tables: string[];
}

/** A body as the statement holding it keeps it: the same statement objects for every reader. */
export interface ParsedBody extends Omit<StatementBody, 'statements'> {
  statements: BodyStatement[];
}

/** True when the statement is COPY … FROM STDIN, which needs a client streaming its data (from its tree, or its words when opaque). */
export function copiesFromStdin(statement: ParsedStatement): boolean {
  if (statement.opaque) return copiesFromStdinWords(new StatementText(statement.sql).tokens);
  const node = statement.node;
  return 'CopyStmt' in node && node.CopyStmt.is_from === true && !node.CopyStmt.filename;
}

/** A syntax error: the parser's message and the token it stopped at. */
export interface SyntaxErrorFact {
  message: string;
  offsets: OffsetRange;
}

export interface ParsedFile {
  file: string;
  text: string;
  lines: LineIndex;
  statements: ParsedStatement[];
  noTransaction: NoTransactionDirective | null;
  /** The text holds NUL bytes or invalid UTF-8: it was not parsed at all. */
  binary: boolean;
  /** 1-based lines holding psql meta-commands (blanked before parsing: the server never sees them). */
  metaCommandLines: number[];
  syntaxError: SyntaxErrorFact | null;
}

/** A statement of the text: its tree, or why it has none (opaque). Locations are bytes of the whole text. */
type RawStatement = RawStmt & { opaque?: OpaqueReason };

interface RawParse {
  result: { stmts?: RawStatement[] } | null;
  text: string;
  metaCommandLines: number[];
  syntaxError: { message: string; offset: number } | null;
}

function blankLine(text: string, range: OffsetRange): string {
  return text.slice(0, range.start) + ' '.repeat(range.end - range.start) + text.slice(range.end);
}

/** A parse of a whole text: its statements, or the parser's syntax error (UTF-16 offset). */
/** Where a text's last parse is kept (an editor's check of the file it is editing). */
interface ReuseOf {
  cache: ReparseCache;
  key: string;
}

type TextParse = { stmts: RawStatement[]; error?: undefined } | { stmts?: undefined; error: { message: string; offset: number } };

/**
 * The parse of a whole text. When the parser runs out of stack on a statement nested too deeply,
 * the text is split as psql splits it and each statement parsed on its own (opaqueStatements.ts).
 */
function parseText(text: string, reuse?: ReuseOf): TextParse {
  const again = reuse?.cache.reparse(reuse.key, text);
  if (again) return { stmts: again };
  try {
    const stmts = parseSql(text).stmts ?? [];
    reuse?.cache.remember(reuse.key, text, stmts);
    return { stmts };
  } catch (err) {
    if (err instanceof ParserStackOverflow) return parseStatementByStatement(text);
    const parserError = parserErrorOf(err);
    if (!parserError) throw err;
    return { error: { message: parserError.message, offset: codePointToUtf16(text, parserError.cursorPosition) } };
  }
}

function parseStatementByStatement(text: string): TextParse {
  const toUtf16 = new OffsetConverter(text, 'byte');
  const stmts: RawStatement[] = [];
  for (const { piece, statement } of scannedStatements(text)) {
    const pieceStart = toUtf16.toUtf16(piece.start);
    const pieceText = text.slice(pieceStart, toUtf16.toUtf16(piece.end));
    try {
      for (const raw of parseSqlAfter(pieceText, piece.start).stmts ?? []) stmts.push(raw);
    } catch (err) {
      if (err instanceof ParserStackOverflow) {
        stmts.push({ stmt_location: statement.start, stmt_len: statement.end - statement.start, opaque: NESTED_TOO_DEEPLY });
        continue;
      }
      const parserError = parserErrorOf(err);
      if (!parserError) throw err;
      // The piece was read after as many spaces as the bytes before it: its cursor counts them as characters.
      const offset = pieceStart + codePointToUtf16(pieceText, Math.max(0, parserError.cursorPosition - piece.start));
      return { error: { message: parserError.message, offset } };
    }
  }
  return { stmts };
}

/** Parses, blanking psql meta-command lines (which the server never sees) one at a time. */
function parseAllowingMetaCommands(text: string, lines: LineIndex, reuse?: ReuseOf): RawParse {
  // A large file that parses piece by piece needs no more (its trees' locations are the same).
  const chunked = parseInChunks(text);
  if (chunked) return { result: chunked, text, metaCommandLines: [], syntaxError: null };
  let current = text;
  const metaCommandLines: number[] = [];
  for (;;) {
    const parsed = parseText(current, reuse);
    if (!parsed.error) return { result: parsed, text: current, metaCommandLines, syntaxError: null };
    const { offset } = parsed.error;
    const line = lines.positionAt(offset).line;
    const lineRange = lines.lineOffsets(line);
    if (!/^\s*\\/.test(current.slice(lineRange.start, lineRange.end)) || metaCommandLines.includes(line)) {
      return { result: null, text: current, metaCommandLines, syntaxError: parsed.error };
    }
    metaCommandLines.push(line);
    current = blankLine(current, lineRange);
  }
}

function errorTokenLength(message: string): number {
  return /at or near "(.*)"$/.exec(message)?.[1]?.length ?? 1;
}

function simulatedSqlFor(sql: string, node: Node, rule: OutsideTransaction | null, makeText: () => StatementText): string | null {
  return rule?.withoutConcurrently ? withoutConcurrently(sql, makeText(), node) : null;
}

/** A declaration guarded only by tests that its own name is free (the existence-guard idiom) is created whenever it is absent: not guarded. */
function underOwnGuard(read: { effects: SchemaEffect[]; tables: string[] }, conditions: readonly string[]): { effects: SchemaEffect[]; tables: string[] } {
  for (const e of read.effects) if (e.action === 'declare' && e.declaration.guarded && !mayNotCreate(conditions, e.declaration.name)) e.declaration.guarded = false;
  return read;
}

function bodyStatement(inner: InnerStatement): BodyStatement {
  let effects: { effects: SchemaEffect[]; tables: string[] } | null = null;
  const once = () => (effects ??= underOwnGuard(statementEffects(inner.node, inner.sql, 0, mayNotRun(inner.conditions)), inner.conditions));
  return {
    ...inner,
    get effects() { return once().effects; },
    get tables() { return once().tables; },
  };
}

function parsedBody(node: Node, sql: string, start: number): ParsedBody | null {
  const body = bodyOf(node, sql, start);
  return body ? { ...body, statements: body.statements.map(bodyStatement) } : null;
}

/** The statement's own effects, then its DO block's (functions' bodies take effect where they are called). */
function effectsOf(own: { effects: SchemaEffect[]; tables: string[] }, node: Node, body: ParsedBody | null): { effects: SchemaEffect[]; tables: string[] } {
  if (!('DoStmt' in node) || !body || body.statements.length === 0) return own;
  const all = { effects: [...own.effects], tables: [...own.tables] };
  for (const inner of body.statements) {
    for (const effect of inner.effects) all.effects.push(effect);
    for (const table of inner.tables) all.tables.push(table);
  }
  return all;
}

/** A statement's own facts; the parse result, the file's lines and offsets are not kept by it. */
interface StatementFacts {
  file: string;
  index: number;
  sql: string;
  node: Node;
  opaque: OpaqueReason | null;
  byteStart: number;
  offsets: OffsetRange;
  range: Range;
}

/**
 * The schema effects (declared objects with their columns and expressions as written), the body a
 * DO block or function runs, and the simulated text are what runs, verification and the schema
 * model read; the rules mostly do not. Most need the statement scanned or its body parsed, which
 * is most of a parse's cost, so they are worked out on first read: the editor's check on every
 * save then works out only what a rule or fix needs. A class, so that the getters live on its
 * prototype and a statement holds only its own facts (a file has thousands).
 */
class LazyStatement implements ParsedStatement {
  readonly file: string;
  readonly index: number;
  readonly sql: string;
  readonly kind: string;
  readonly offsets: OffsetRange;
  readonly range: Range;
  role: 'statement' | 'wrapper' = 'statement';
  readonly node: Node;
  readonly opaque: OpaqueReason | null;
  readonly transactionControl: TransactionControl;
  readonly outsideTransaction: OutsideTransaction | null;
  private readonly byteStart: number;
  private text: StatementText | null = null;
  private own: { effects: SchemaEffect[]; tables: string[] } | null = null;
  private all: { effects: SchemaEffect[]; tables: string[] } | null = null;
  private parsedBody: { body: ParsedBody | null } | null = null;
  private simulated: { sql: string | null } | null = null;

  constructor({ file, index, sql, node, opaque, byteStart, offsets, range }: StatementFacts) {
    this.file = file;
    this.index = index;
    this.sql = sql;
    this.node = node;
    this.opaque = opaque;
    this.byteStart = byteStart;
    this.offsets = offsets;
    this.range = range;
    // Without a tree, what the run must know comes from the statement's leading words; it declares nothing knowable.
    const words = opaque ? opaqueFacts(this.scanned().tokens) : null;
    this.outsideTransaction = words ? words.outsideTransaction : outsideTransactionRule(node);
    this.kind = words ? words.kind : statementKind(node);
    this.transactionControl = words ? words.transactionControl : transactionControlOf(node);
    if (opaque) {
      this.own = { effects: [], tables: [] };
      this.parsedBody = { body: null };
    }
  }

  /** Its tokens: scanned only when a statement needs them (most do not), and then only once. */
  private scanned(): StatementText {
    return (this.text ??= new StatementText(this.sql));
  }

  private ownFacts(): { effects: SchemaEffect[]; tables: string[] } {
    return (this.own ??= statementEffects(this.node, this.sql, this.byteStart, false, () => this.scanned(), () => (this.body?.dynamic.length ?? 0) > 0));
  }

  get effects(): SchemaEffect[] {
    return (this.all ??= effectsOf(this.ownFacts(), this.node, this.body)).effects;
  }

  get tables(): string[] {
    return (this.all ??= effectsOf(this.ownFacts(), this.node, this.body)).tables;
  }

  get ownEffects(): SchemaEffect[] {
    return this.ownFacts().effects;
  }

  get body(): ParsedBody | null {
    return (this.parsedBody ??= { body: parsedBody(this.node, this.sql, this.offsets.start) }).body;
  }

  get simulatedSql(): string | null {
    return (this.simulated ??= { sql: simulatedSqlFor(this.sql, this.node, this.outsideTransaction, () => this.scanned()) }).sql;
  }
}

function buildStatements(file: string, raw: RawParse, lines: LineIndex): ParsedStatement[] {
  const toUtf16 = new OffsetConverter(raw.text, 'byte');
  return (raw.result?.stmts ?? []).flatMap((rawStmt, index) => {
    const node = rawStmt.stmt ?? (rawStmt.opaque ? opaqueNode() : null);
    if (!node) return [];
    const byteStart = rawStmt.stmt_location ?? 0;
    const start = toUtf16.toUtf16(byteStart);
    let end = rawStmt.stmt_len ? toUtf16.toUtf16(byteStart + rawStmt.stmt_len) : raw.text.length;
    while (end > start && /\s/.test(raw.text[end - 1] ?? '')) end -= 1;
    const offsets = { start, end };
    const opaque = rawStmt.opaque ?? null;
    return [new LazyStatement({ file, index, sql: raw.text.slice(start, end), node, opaque, byteStart, offsets, range: lines.rangeOf(offsets) })];
  });
}

/**
 * Marks each BEGIN … COMMIT block as a wrapper: Drydock runs the file in its own transaction, which
 * such a block joins (a block around the whole file, or Prisma's blocks around a changed enum in the
 * middle of one). A COMMIT or ROLLBACK that closes no block stays a statement (the rules refuse it).
 */
function markTransactionWrappers(statements: ParsedStatement[]): void {
  let open: ParsedStatement | null = null;
  for (const s of statements) {
    // A BEGIN with modes (READ ONLY, ISOLATION LEVEL) cannot join Drydock's transaction, which it would have to change.
    if (s.transactionControl === 'begin' && !open && transactionModesOf(s.node).length === 0) open = s;
    else if (s.transactionControl === 'commit' && open) {
      open.role = 'wrapper';
      s.role = 'wrapper';
      open = null;
    } else if (s.transactionControl === 'begin' || s.transactionControl === 'rollback') open = null;
  }
}

/**
 * Splits SQL text into its statements with the real parser (after `loadParser()`): each chunk runs
 * from the end of the previous statement (so comments before a statement stay with it) to its
 * terminating semicolon. Throws on a syntax error.
 */
export function splitStatements(sql: string): { sql: string; node: Node }[] {
  const toUtf16 = new OffsetConverter(sql, 'byte');
  const chunks: { sql: string; node: Node }[] = [];
  let previousEnd = 0;
  for (const raw of parseSql(sql).stmts ?? []) {
    if (!raw.stmt) continue;
    const byteStart = raw.stmt_location ?? 0;
    let end = raw.stmt_len ? toUtf16.toUtf16(byteStart + raw.stmt_len) : sql.length;
    if (sql[end] === ';') end += 1;
    chunks.push({ sql: sql.slice(previousEnd, end).trim(), node: raw.stmt });
    previousEnd = end;
  }
  return chunks;
}

/**
 * Parses a migration file (after `loadParser()` has resolved). `toolNoTransaction`: the migration
 * tool's configuration runs it outside a transaction (config/toolNoTransaction.ts reads it), as a
 * directive in the file would. `reparse`: where an editor keeps its files' last parses, so an edit
 * parses only the statements around it (incrementalParse.ts).
 */
export function parseMigrationSync(file: string, text: string, toolNoTransaction?: ToolNoTransaction | null, reparse?: ReparseCache): ParsedFile {
  const lines = new LineIndex(text);
  const parsed: ParsedFile = { file, text, lines, statements: [], noTransaction: null, binary: false, metaCommandLines: [], syntaxError: null };
  if (text.includes('\u0000') || text.includes('\uFFFD')) return { ...parsed, binary: true };
  const directives = readDirectives(text);
  const raw = parseAllowingMetaCommands(directives.runnableText, lines, reparse ? { cache: reparse, key: file } : undefined);
  parsed.noTransaction = directives.noTransaction ?? (toolNoTransaction ? { tool: toolNoTransaction.tool, line: toolNoTransaction.line ?? null, configFile: toolNoTransaction.configFile } : null);
  parsed.metaCommandLines = raw.metaCommandLines;
  if (raw.syntaxError) {
    const { message, offset } = raw.syntaxError;
    const start = offset < text.length ? offset : Math.max(0, text.trimEnd().length - 1);
    const end = Math.min(text.length, start + Math.max(1, errorTokenLength(message)));
    parsed.syntaxError = { message, offsets: { start, end } };
  }
  parsed.statements = buildStatements(file, raw, lines);
  markTransactionWrappers(parsed.statements);
  parsed.noTransaction ??= flywayDetectedNoTransaction(file, parsed.statements);
  return parsed;
}

/** Parses a migration file with the real PostgreSQL parser (loading it on first use). */
export async function parseMigration(file: string, text: string): Promise<ParsedFile> {
  await loadParser();
  return parseMigrationSync(file, text);
}

/** Decodes file bytes as UTF-8, or null when they are not valid UTF-8 text. */
export function decodeMigrationText(bytes: Uint8Array): string | null {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch {
    return null;
  }
}
