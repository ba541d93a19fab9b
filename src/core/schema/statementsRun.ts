// The one walk of what a file runs, shared by the rules, the schema model, verification and a
// run's measurement: each of its statements, followed by the statements its DO block runs, or the
// body of the PL/pgSQL function or procedure it calls (`CALL p()`, `SELECT f()`), each at its own
// place and with the branches it runs in.
import type { OffsetRange } from '../model/positions';
import type { BodyStatement, ParsedBody, ParsedFile, ParsedStatement } from '../parse/parseMigration';
import type { Node } from '../parse/pgTypes';
import type { SchemaEffect } from '../parse/schemaEffects';

/** A statement as a file runs it: one of its own, or one that a DO block or a called function runs. */
export interface StatementRun {
  /** The file's statement (for an inner statement, the DO block or function holding it). */
  statement: ParsedStatement;
  node: Node;
  /** The text the node's parse-tree locations count in (the file's statement text for its own). */
  sql: string;
  offsets: OffsetRange;
  /** null for a file's own statement; 'body' / 'execute' inside a DO block or function body. */
  nested: 'body' | 'execute' | null;
  /** Where an inner statement's text starts in the file, when it stands there as written. */
  sqlStart: number | null;
  /** For a statement of a function's body: the function and the statement that calls it. */
  calledFrom?: { functionName: string; call: ParsedStatement };
  /** The file's statement whose execution runs this one (the call, for a function's body). */
  ranBy: ParsedStatement;
  /**
   * The branches it runs in (an IF, a loop, an EXCEPTION block of its DO block or function),
   * unique per statement that runs the body; empty for a statement that runs whenever its file does.
   */
  conditions: readonly string[];
  /** A function body run again by a later call: rules judge it once, at its first call. */
  repeated: boolean;
  /** It runs SQL the files do not show: a DO block's or called body's EXECUTE of SQL built at run time, a CALL of a procedure not in the file. */
  runsCode: boolean;
  /** Its schema effects (verification's reading; worked out on first read, the same objects for every reader). */
  readonly effects: SchemaEffect[];
}

const NO_BRANCHES: readonly string[] = Object.freeze([]);

/** A run (a class: a check makes one per statement, and a getter in an object literal is slow to make). */
class Run implements StatementRun {
  statement: ParsedStatement;
  node: Node;
  sql: string;
  offsets: OffsetRange;
  nested: 'body' | 'execute' | null;
  sqlStart: number | null;
  calledFrom?: { functionName: string; call: ParsedStatement };
  ranBy: ParsedStatement;
  conditions: readonly string[];
  repeated: boolean;
  runsCode: boolean;

  constructor(s: ParsedStatement, private readonly inner: BodyStatement | null, holder: ParsedStatement, extra: { conditions: readonly string[]; repeated: boolean; runsCode: boolean }) {
    this.statement = inner ? holder : s;
    this.node = inner ? inner.node : s.node;
    this.sql = inner ? inner.sql : s.sql;
    this.offsets = inner ? inner.offsets : s.offsets;
    this.nested = inner ? inner.via : null;
    this.sqlStart = inner ? inner.sqlStart : null;
    this.ranBy = s;
    this.conditions = extra.conditions;
    this.repeated = extra.repeated;
    this.runsCode = extra.runsCode;
  }

  get effects(): SchemaEffect[] {
    return this.inner ? this.inner.effects : this.ranBy.ownEffects;
  }
}

/** The unqualified name of the function a statement calls at its top level (CALL p(), SELECT f()), or null. */
export function calledFunction(node: Node): string | null {
  const call = 'CallStmt' in node ? node.CallStmt.funccall
    : 'SelectStmt' in node && node.SelectStmt.targetList?.length === 1 && !node.SelectStmt.fromClause
      ? (() => {
        const target = node.SelectStmt.targetList[0]!;
        const val = 'ResTarget' in target ? target.ResTarget.val : undefined;
        return val && 'FuncCall' in val ? val.FuncCall : undefined;
      })()
      : undefined;
  const parts = (call?.funcname ?? []).map((n) => ('String' in n ? n.String.sval ?? '' : ''));
  return parts.length ? parts[parts.length - 1]! : null;
}

/** True when the body EXECUTEs SQL built at run time anywhere in it. */
function runsDynamicSql(body: ParsedBody | null): boolean {
  return (body?.dynamic.length ?? 0) > 0;
}

/** Follows the statements of one file in order, remembering the functions it creates. */
export class StatementWalker {
  /** PL/pgSQL functions and procedures the file created so far, by name, and whether their body ran already. */
  private readonly functions = new Map<string, { statement: ParsedStatement; called: boolean }>();

  /** The runs of one statement of the file: itself, then what its DO block or the function it calls runs. */
  runsOf(s: ParsedStatement): StatementRun[] {
    const own = s.node;
    if ('CreateFunctionStmt' in own) {
      const name = (own.CreateFunctionStmt.funcname ?? []).map((n) => ('String' in n ? n.String.sval ?? '' : '')).pop() ?? '';
      this.functions.set(name, { statement: s, called: false });
    }
    const callee = 'CreateFunctionStmt' in own ? null : calledFunction(own);
    const known = callee !== null ? this.functions.get(callee) : undefined;
    const holder = 'DoStmt' in own ? s : known?.statement;
    const body = holder?.body ?? null;
    const runsCode = ('CallStmt' in own && !known) || runsDynamicSql(body);
    const runs: StatementRun[] = [new Run(s, null, s, { conditions: NO_BRANCHES, repeated: false, runsCode })];
    if (!holder || !body) return runs;
    // A function's body runs where this file calls it; a DO block's, right here.
    const repeated = known?.called === true;
    if (known) known.called = true;
    // Branch names are unique within a body: prefixed with the statement that runs it, they are unique in the history.
    const prefix = `${s.file}#${s.index}/`;
    const calledFrom = holder !== s ? { functionName: callee ?? '', call: s } : null;
    for (const inner of body.statements) {
      const run = new Run(s, inner, holder, {
        conditions: inner.conditions.length === 0 ? NO_BRANCHES : inner.conditions.map((c) => prefix + c), repeated, runsCode: 'CallStmt' in inner.node,
      });
      if (calledFrom) run.calledFrom = calledFrom;
      runs.push(run);
    }
    return runs;
  }
}

/** Every statement a file runs, in order: each of its own, followed by what its DO block or the function it calls runs. */
export function* statementsRun(file: ParsedFile): Generator<StatementRun> {
  const walker = new StatementWalker();
  for (const s of file.statements) for (const run of walker.runsOf(s)) yield run;
}
