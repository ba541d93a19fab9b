// Everything the rules judge a file by beyond one statement's text, computed once per check: each
// statement (those inside DO blocks too, at their own place) with its predicted locks, rewrites
// and scans; the schema the files build up (core/schema: by identity); whether the file runs in a
// transaction; which tables are new (created earlier in the same file, or earlier in the same run,
// and surely so at the statement asking: not in a branch of a DO block it is not in); and the
// timeouts set.
import type { LintSettings } from '../model/lintSettings';
import type { OffsetRange } from '../model/positions';
import { OffsetConverter } from '../model/lineIndex';
import { allSteps, type Steps } from '../model/steps';
import { readDirectives } from '../parse/directives';
import type { ParsedFile, ParsedStatement } from '../parse/parseMigration';
import type { Node } from '../parse/pgTypes';
import { withinBranches, type Origin } from '../schema/objects';
import { recordStatement } from '../schema/recordStatement';
import { statementsRun, type StatementRun } from '../schema/statementsRun';
import { isRevertFile } from './migrationFiles';
import { predictStatementEffects, type PredictedEffects } from './predictEffects';
import { SchemaHistory } from './schemaHistory';

/** One statement as the rules see it: a file's own, or one that a DO block runs. */
export interface AnalysedStatement {
  /** Position in the schema history of everything analysed together. */
  order: number;
  /** The file's statement (for an inner statement, the DO block holding it). */
  statement: ParsedStatement;
  node: Node;
  /** The text the node's parse-tree locations count in (the file text for a file's own statement). */
  sql: string;
  offsets: OffsetRange;
  /** null for a file's own statement; 'body' / 'execute' inside a DO block. */
  nested: 'body' | 'execute' | null;
  effects: PredictedEffects;
  /** Inside BEGIN … COMMIT written in the file itself. */
  inExplicitTransaction: boolean;
  /** For a statement of a PL/pgSQL function's body: the function and the statement that calls it in this file. */
  calledFrom?: { functionName: string; call: ParsedStatement };
  /** The branches of its DO block or function body it runs in (empty: it runs whenever the file does). */
  conditions: readonly string[];
  /** The file set the session's TimeZone to UTC before it (SET timezone / SET TIME ZONE), not changed since. */
  timeZoneUtc?: boolean;
}

/** The facts the rules read about one file. */
export interface FileAnalysis {
  file: ParsedFile;
  settings: LintSettings;
  statements: AnalysedStatement[];
  /** Whether the file runs in one transaction (Drydock's rule, or `assumeInTransaction`). */
  inTransaction: boolean;
  /** The schema as all files analysed together build it. */
  schema: SchemaHistory;
  /** True when the table did not exist before this run: created earlier in this file, or in an earlier file of the same run. */
  isNewTable(table: string, at: AnalysedStatement): boolean;
  /** The first `SET lock_timeout` / `SET statement_timeout` (non-zero) of the file, if any. */
  lockTimeoutSet: AnalysedStatement | null;
  statementTimeoutSet: AnalysedStatement | null;
  /** File offset (UTF-16) of a parse-tree location of the statement, or null when it cannot be placed. */
  offsetOf(at: AnalysedStatement, location: number | undefined): number | null;
}

/** How files are analysed together. */
export interface AnalysisOptions {
  settingsFor(file: ParsedFile): LintSettings;
  /** Files that come before the checked ones (the folder's earlier migrations): they teach the schema only; a LearnedContext when many checks share them. */
  context?: readonly ParsedFile[] | LearnedContext;
  /** Files that come after the checked ones (the folder's later migrations): they teach the schema only. */
  later?: readonly ParsedFile[];
  /** The checked files run as one unit (a Drydock run): tables created in an earlier one are new to the later ones. */
  together?: boolean;
}

function timeoutSetBy(node: Node, name: string): boolean {
  if (!('VariableSetStmt' in node) || node.VariableSetStmt.name !== name || node.VariableSetStmt.kind !== 'VAR_SET_VALUE') return false;
  const arg = node.VariableSetStmt.args?.[0];
  if (!arg || !('A_Const' in arg)) return true;
  const value = arg.A_Const.sval?.sval ?? String(arg.A_Const.ival?.ival ?? 0);
  return !/^\s*0+\s*(ms|s|min)?\s*$/.test(value);
}

/** Converts the parser's byte locations in a file's text, building the conversion only for non-ASCII files. */
function fileLocator(file: ParsedFile): (location: number) => number {
  let converter: OffsetConverter | null = null;
  let ascii: boolean | null = null;
  return (location) => {
    ascii ??= !/[^\x00-\x7f]/.test(file.text);
    if (ascii) return location;
    // The parser read the runnable text (down sections and psql lines blanked, same UTF-16 length).
    if (!converter) {
      let runnable = readDirectives(file.text).runnableText;
      for (const line of file.metaCommandLines) {
        const range = file.lines.lineOffsets(line);
        runnable = runnable.slice(0, range.start) + ' '.repeat(range.end - range.start) + runnable.slice(range.end);
      }
      converter = new OffsetConverter(runnable, 'byte');
    }
    return converter.toUtf16(location);
  };
}

class Analysis implements FileAnalysis {
  statements: AnalysedStatement[] = [];
  inTransaction: boolean;
  lockTimeoutSet: AnalysedStatement | null = null;
  statementTimeoutSet: AnalysedStatement | null = null;
  private readonly locate: (location: number) => number;
  private readonly inner = new Map<AnalysedStatement, { sqlStart: number | null; converter: OffsetConverter | null }>();

  constructor(readonly file: ParsedFile, readonly settings: LintSettings, readonly schema: SchemaHistory, private readonly together: boolean) {
    const wrapped = file.statements[0]?.role === 'wrapper';
    this.inTransaction = wrapped || (file.noTransaction === null && settings.assumeInTransaction !== false);
    this.locate = fileLocator(file);
  }

  isNewTable(table: string, at: AnalysedStatement): boolean {
    // A temporary table is its session's own, as new to everyone else as one this file made.
    const dropIfExists = 'DropStmt' in at.node && at.node.DropStmt.missing_ok === true;
    return this.isNew(this.schema.origin(table, at.order), at) || this.schema.temporary(table, at.order, this.file.file, dropIfExists);
  }

  /** Created in this file (or this run), and surely by the time `at` runs: not in a branch `at` is outside of. */
  private isNew(origin: Origin | null, at: AnalysedStatement): boolean {
    return origin !== null && (origin.file === this.file.file || this.together) && withinBranches(origin.conditions, at.conditions);
  }

  offsetOf(at: AnalysedStatement, location: number | undefined): number | null {
    if (location === undefined || location < 0) return null;
    if (at.nested === null) return this.locate(location);
    const inner = this.inner.get(at);
    if (!inner || inner.sqlStart === null) return null;
    inner.converter ??= new OffsetConverter(at.sql, 'byte');
    return inner.sqlStart + inner.converter.toUtf16(location);
  }

  add(statement: AnalysedStatement, sqlStart: number | null): void {
    this.statements.push(statement);
    if (statement.nested !== null) this.inner.set(statement, { sqlStart, converter: null });
    if (!this.lockTimeoutSet && timeoutSetBy(statement.node, 'lock_timeout')) this.lockTimeoutSet = statement;
    if (!this.statementTimeoutSet && timeoutSetBy(statement.node, 'statement_timeout')) this.statementTimeoutSet = statement;
  }
}

// The TimeZone names that are UTC itself (PostgreSQL's zone names are case-insensitive).
const UTC_ZONES = new Set(['utc', 'etc/utc', 'gmt', 'etc/gmt', 'zulu', 'etc/zulu', 'universal', 'etc/universal', 'uct', 'etc/uct', 'z']);

/** Whether the session's TimeZone is UTC after the statement, as far as the file says. */
function timeZoneAfter(node: Node, before: boolean): boolean {
  if (!('VariableSetStmt' in node) || node.VariableSetStmt.name?.toLowerCase() !== 'timezone') return before;
  const set = node.VariableSetStmt;
  if (set.kind !== 'VAR_SET_VALUE') return false;
  const arg = set.args?.[0];
  const value = arg && 'A_Const' in arg ? arg.A_Const.sval?.sval ?? (arg.A_Const.ival ? String(arg.A_Const.ival.ival ?? 0) : undefined) : undefined;
  return value !== undefined && (UTC_ZONES.has(value.toLowerCase()) || value === '0');
}

/** Records a run of a file into the schema (a revert file teaches nothing: it undoes). */
function learn(schema: SchemaHistory, file: ParsedFile, run: StatementRun, order: number): void {
  if (isRevertFile(file.file)) return;
  recordStatement(schema.model, { node: run.node, order, file: file.file, by: run.ranBy, conditions: run.conditions, runsCode: run.runsCode });
}

/** Learns the schema from files that are not checked, after `order`; returns the order reached. */
function learnFrom(schema: SchemaHistory, files: readonly ParsedFile[], order: number): number {
  for (const file of files) {
    if (isRevertFile(file.file)) continue;
    for (const run of statementsRun(file)) learn(schema, file, run, ++order);
  }
  return order;
}

/** The schema a folder's earlier migrations build, learned once: each check of a file after them starts from a copy. */
export class LearnedContext {
  readonly schema = new SchemaHistory();
  readonly order: number;

  constructor(readonly files: readonly ParsedFile[]) {
    this.order = learnFrom(this.schema, files, 0);
  }
}

/** Analyses files checked together, in order, after their context files and before the later ones. */
export function analyseFiles(files: readonly ParsedFile[], options: AnalysisOptions): FileAnalysis[] {
  return allSteps(analyseFilesStepwise(files, options));
}

/** analyseFiles, one file per step (for a caller that judges between other work). */
export function* analyseFilesStepwise(files: readonly ParsedFile[], options: AnalysisOptions): Steps<FileAnalysis[]> {
  const given = options.context;
  let schema: SchemaHistory;
  let order: number;
  if (given instanceof LearnedContext) {
    // Shared by many checks: this one learns on a copy of its schema.
    schema = given.schema.fork();
    order = given.order;
  } else {
    schema = new SchemaHistory();
    order = learnFrom(schema, given ?? [], 0);
  }
  const analyses: FileAnalysis[] = [];
  for (const file of files) {
    yield;
    const settings = options.settingsFor(file);
    const analysis = new Analysis(file, settings, schema, options.together === true);
    let explicit = false;
    let timeZoneUtc = false;
    for (const run of statementsRun(file)) {
      timeZoneUtc = timeZoneAfter(run.node, timeZoneUtc);
      order += 1;
      const own = run.nested === null;
      const control = own ? run.statement.transactionControl : null;
      if (control === 'begin') explicit = true;
      // A function body called again ran already: judged once, at its first call.
      if (!run.repeated) {
        analysis.add({
          order, statement: run.statement, node: run.node, sql: run.sql, offsets: run.offsets, nested: run.nested,
          effects: predictStatementEffects(run.node, { pgVersion: settings.pgVersion, schema, order, timeZoneUtc }),
          inExplicitTransaction: explicit && control === null, conditions: run.conditions, ...(timeZoneUtc ? { timeZoneUtc } : {}),
          ...(run.calledFrom ? { calledFrom: run.calledFrom } : {}),
        }, run.sqlStart);
      }
      learn(schema, file, run, order);
      if (control === 'commit' || control === 'rollback') explicit = false;
    }
    analyses.push(analysis);
  }
  // Learned after every checked file: their facts are of later orders, so only what counts "at any
  // point" (the indexes a table ever gets) changes, as when the whole folder is checked.
  learnFrom(schema, options.later ?? [], order);
  return analyses;
}
