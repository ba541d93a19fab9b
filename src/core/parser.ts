// Turns a migration file into statements with exact ranges, kinds and schema effects, plus every
// problem that can be found before any SQL is sent. Splitting is the real PostgreSQL parser's.
import type { Node } from '@pgsql/types';
import { statementEffects, type SchemaEffect } from './declarations';
import { readDirectives, type NoTransactionDirective } from './directives';
import { statementsInDoBlock } from './doBlocks';
import { loadParser, parseSql, parserErrorOf, type ParseResult } from './pgParser';
import type { Diagnostic, DiagnosticSeverity, OffsetRange, Range } from './report';
import { StatementText } from './sourceText';
import { statementKind } from './statementKind';
import { LineIndex, OffsetConverter, codePointToUtf16 } from './text';
import { outsideTransactionRule, transactionControlOf, type OutsideTransaction, type TransactionControl } from './transactionRules';

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
  /** 'wrapper' for the BEGIN/COMMIT around a whole file, which Drydock replaces with its own transaction. */
  role: 'statement' | 'wrapper';
  node: Node;
  effects: SchemaEffect[];
  tables: string[];
  transactionControl: TransactionControl;
  outsideTransaction: OutsideTransaction | null;
  /** What a dry-run runs instead when the statement cannot run in a transaction (null: nothing runs). */
  simulatedSql: string | null;
}

export interface ParsedFile {
  file: string;
  text: string;
  lines: LineIndex;
  statements: ParsedStatement[];
  diagnostics: Diagnostic[];
  noTransaction: NoTransactionDirective | null;
  /** False when an error diagnostic means the file must not run. */
  runnable: boolean;
}

interface RawParse {
  result: ParseResult | null;
  text: string;
  metaCommandLines: number[];
  syntaxError: { message: string; offset: number } | null;
}

function blankLine(text: string, range: OffsetRange): string {
  return text.slice(0, range.start) + ' '.repeat(range.end - range.start) + text.slice(range.end);
}

/** Parses, blanking psql meta-command lines (which the server never sees) one at a time. */
function parseAllowingMetaCommands(text: string, lines: LineIndex): RawParse {
  let current = text;
  const metaCommandLines: number[] = [];
  for (;;) {
    try {
      return { result: parseSql(current), text: current, metaCommandLines, syntaxError: null };
    } catch (err) {
      const parserError = parserErrorOf(err);
      if (!parserError) throw err;
      const offset = codePointToUtf16(current, parserError.cursorPosition);
      const line = lines.positionAt(offset).line;
      const lineRange = lines.lineOffsets(line);
      if (!/^\s*\\/.test(current.slice(lineRange.start, lineRange.end)) || metaCommandLines.includes(line)) {
        return { result: null, text: current, metaCommandLines, syntaxError: { message: parserError.message, offset } };
      }
      metaCommandLines.push(line);
      current = blankLine(current, lineRange);
    }
  }
}

function errorTokenLength(message: string): number {
  return /at or near "(.*)"$/.exec(message)?.[1]?.length ?? 1;
}

function simulatedSqlFor(sql: string, rule: OutsideTransaction | null, makeText: () => StatementText): string | null {
  if (!rule?.strip) return null;
  const text = makeText();
  let out = sql;
  for (const token of [...text.tokens].reverse()) {
    if (rule.strip.includes(token.upper)) out = out.slice(0, token.start) + out.slice(token.end);
  }
  return out.replace(/\(\s*\)/, '').replace(/[ \t]{2,}/g, ' ');
}

class DiagnosticSink {
  readonly items: Diagnostic[] = [];
  constructor(private readonly file: string, private readonly lines: LineIndex) {}

  add(severity: DiagnosticSeverity, code: string, message: string, offsets: OffsetRange): void {
    this.items.push({ file: this.file, severity, code, message, offsets, range: this.lines.rangeOf(offsets) });
  }

  get hasErrors(): boolean {
    return this.items.some((d) => d.severity === 'error');
  }
}

function effectsOf(node: Node, sql: string, byteStart: number, makeText: () => StatementText): { effects: SchemaEffect[]; tables: string[] } {
  const own = statementEffects(node, sql, byteStart, false, makeText);
  if (!('DoStmt' in node)) return own;
  for (const inner of statementsInDoBlock(node.DoStmt)) {
    const found = statementEffects(inner.node, inner.sql, 0, true);
    own.effects.push(...found.effects);
    own.tables.push(...found.tables);
  }
  return own;
}

function buildStatements(file: string, raw: RawParse, lines: LineIndex): ParsedStatement[] {
  const toUtf16 = new OffsetConverter(raw.text, 'byte');
  return (raw.result?.stmts ?? []).flatMap((rawStmt, index) => {
    if (!rawStmt.stmt) return [];
    const byteStart = rawStmt.stmt_location ?? 0;
    const start = toUtf16.toUtf16(byteStart);
    let end = rawStmt.stmt_len ? toUtf16.toUtf16(byteStart + rawStmt.stmt_len) : raw.text.length;
    while (end > start && /\s/.test(raw.text[end - 1] ?? '')) end -= 1;
    const sql = raw.text.slice(start, end);
    const node = rawStmt.stmt;
    // Scanned only when a statement needs its tokens (most do not), and then only once.
    let text: StatementText | null = null;
    const makeText = () => (text ??= new StatementText(sql));
    const outsideTransaction = outsideTransactionRule(node);
    const { effects, tables } = effectsOf(node, sql, byteStart, makeText);
    return [{
      file, index, sql, node, effects, tables, outsideTransaction,
      kind: statementKind(node, sql, makeText),
      offsets: { start, end },
      range: lines.rangeOf({ start, end }),
      role: 'statement' as const,
      transactionControl: transactionControlOf(node),
      simulatedSql: simulatedSqlFor(sql, outsideTransaction, makeText),
    }];
  });
}

/** Marks a BEGIN … COMMIT around the whole file as a wrapper and reports any other transaction control. */
function checkTransactionControl(statements: ParsedStatement[], sink: DiagnosticSink, noTransaction: NoTransactionDirective | null): void {
  const first = statements[0];
  const last = statements[statements.length - 1];
  if (first && last && first !== last && first.transactionControl === 'begin' && last.transactionControl === 'commit') {
    first.role = 'wrapper';
    last.role = 'wrapper';
    if (noTransaction) {
      sink.add('error', 'transaction-control', `The file asks to run outside a transaction (${noTransaction.tool} directive on line ${noTransaction.line}) but wraps itself in BEGIN … COMMIT.`, first.offsets);
    }
  }
  for (const s of statements) {
    if (s.role === 'wrapper' || s.transactionControl === null || s.transactionControl === 'savepoint') continue;
    sink.add('error', 'transaction-control',
      `${s.kind} here would end or replace the transaction Drydock runs the file in, so nothing runs: `
      + 'a dry-run must never commit and an apply must be all-or-nothing. Remove it (a BEGIN … COMMIT around the whole file is fine).',
      s.offsets);
  }
}

function checkStatements(statements: ParsedStatement[], sink: DiagnosticSink, noTransaction: NoTransactionDirective | null): void {
  for (const s of statements) {
    if ('CopyStmt' in s.node && s.node.CopyStmt.is_from && !s.node.CopyStmt.filename) {
      sink.add('error', 'copy-from-stdin', 'COPY … FROM STDIN needs a client that streams data (psql); it cannot run from a migration file here.', s.offsets);
    }
    if (s.outsideTransaction && !noTransaction) {
      sink.add('warning', 'needs-no-transaction',
        `${s.outsideTransaction.reason}. A dry-run ${s.simulatedSql ? 'runs it without CONCURRENTLY (simulated)' : 'does not run it (simulated)'}; `
        + 'Apply refuses the file unless it carries a no-transaction directive (e.g. `-- drydock:no-transaction`).', s.offsets);
    }
    for (const effect of s.effects) {
      if (effect.action === 'declare' && effect.declaration.kind === 'index' && !effect.declaration.name) {
        sink.add('warning', 'unnamed-index', 'Unnamed index: PostgreSQL picks its name, so re-runs create duplicates and it cannot be verified. Name it (idx_<table>_<columns>).', s.offsets);
      }
    }
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

/** Parses a migration file (after `loadParser()` has resolved). */
export function parseMigrationSync(file: string, text: string): ParsedFile {
  const lines = new LineIndex(text);
  const sink = new DiagnosticSink(file, lines);
  const whole = { start: 0, end: Math.min(text.length, lines.lineOffsets(1).end) };
  if (text.includes('\u0000') || text.includes('\uFFFD')) {
    sink.add('error', 'binary-file', 'This is not a text SQL file (it contains NUL bytes or invalid UTF-8).', { start: 0, end: 0 });
    return { file, text, lines, statements: [], diagnostics: sink.items, noTransaction: null, runnable: false };
  }
  const directives = readDirectives(text);
  const raw = parseAllowingMetaCommands(directives.runnableText, lines);
  for (const line of raw.metaCommandLines) {
    sink.add('error', 'psql-meta-command', 'psql meta-command, not SQL: only psql understands it. Inline the SQL it stands for.', lines.lineOffsets(line));
  }
  if (raw.syntaxError) {
    const { message, offset } = raw.syntaxError;
    const start = offset < text.length ? offset : Math.max(0, text.trimEnd().length - 1);
    const end = Math.min(text.length, start + Math.max(1, errorTokenLength(message)));
    sink.add('error', 'syntax-error', `Syntax error: ${message}`, { start, end });
  }
  const statements = buildStatements(file, raw, lines);
  if (!raw.syntaxError && statements.length === 0 && raw.metaCommandLines.length === 0) {
    sink.add('warning', 'empty-file', 'No SQL statements in this file.', whole);
  }
  checkTransactionControl(statements, sink, directives.noTransaction);
  checkStatements(statements, sink, directives.noTransaction);
  return { file, text, lines, statements, diagnostics: sink.items, noTransaction: directives.noTransaction, runnable: !sink.hasErrors };
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
