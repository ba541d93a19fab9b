// Every column type a statement writes: CREATE TABLE columns, ADD COLUMN and ALTER COLUMN … TYPE,
// for the rules that judge type choices; with the type's span in the file for their fixes.
import { columnTypeOf, type ColumnType } from '../analyse/columnTypes';
import type { AnalysedStatement, FileAnalysis } from '../analyse/fileAnalysis';
import { relationName } from '../analyse/relationNames';
import type { OffsetRange } from '../model/positions';
import type { TypeName } from '../parse/pgTypes';
import { StatementText } from '../parse/statementText';

/** A column type written by a statement. */
export interface WrittenType {
  table: string;
  column: string;
  type: ColumnType;
  typeName: TypeName;
}

const CACHE = new WeakMap<AnalysedStatement, WrittenType[]>();
const NONE: WrittenType[] = [];

/** The column types the statement writes (read once per statement, whichever rule asks first). */
export function writtenTypes(at: AnalysedStatement): WrittenType[] {
  if (!('CreateStmt' in at.node) && !('AlterTableStmt' in at.node)) return NONE;
  let cached = CACHE.get(at);
  if (!cached) {
    cached = readWrittenTypes(at);
    CACHE.set(at, cached);
  }
  return cached;
}

function readWrittenTypes(at: AnalysedStatement): WrittenType[] {
  const out: WrittenType[] = [];
  const add = (table: string, column: string, typeName: TypeName | undefined) => {
    const type = columnTypeOf(typeName);
    if (type && typeName) out.push({ table, column, type, typeName });
  };
  const node = at.node;
  if ('CreateStmt' in node) {
    const table = relationName(node.CreateStmt.relation);
    for (const e of node.CreateStmt.tableElts ?? []) if ('ColumnDef' in e) add(table, e.ColumnDef.colname ?? '', e.ColumnDef.typeName);
  } else if ('AlterTableStmt' in node) {
    const table = relationName(node.AlterTableStmt.relation);
    for (const c of node.AlterTableStmt.cmds ?? []) {
      if (!('AlterTableCmd' in c) || !c.AlterTableCmd.def || !('ColumnDef' in c.AlterTableCmd.def)) continue;
      const cmd = c.AlterTableCmd;
      const def = 'ColumnDef' in cmd.def! ? cmd.def.ColumnDef : undefined;
      if (cmd.subtype === 'AT_AddColumn') add(table, def?.colname ?? '', def?.typeName);
      if (cmd.subtype === 'AT_AlterColumnType') add(table, cmd.name ?? '', def?.typeName);
    }
  }
  return out;
}

// Words that continue a type name: "character varying", "timestamp without time zone", "double precision".
const TYPE_WORDS = new Set(['VARYING', 'WITHOUT', 'WITH', 'TIME', 'ZONE', 'PRECISION']);

// The common spellings of a type, matched without the scanner: a name (qualified or quoted), the
// words that continue it, one modifier list, "with(out) time zone" after it, array brackets.
const SIMPLE_TYPE = /^(?:"[^"]+"|[A-Za-z_][\w$]*(?:\.[A-Za-z_][\w$]*)?)(?:\s+(?:varying|precision))?(?:\s*\([\d\s,]*\))?(?:\s+with(?:out)?\s+time\s+zone)?(?:\s*\[\s*\d*\s*\])*/i;
// What may follow a type: its end is certain only when the next character is one of these.
const AFTER_TYPE = /^(?:\s|[,;)]|$)/;

/** The span of the type's text in the file, or null when it cannot be placed. */
export function typeSpan(analysis: FileAnalysis, at: AnalysedStatement, written: WrittenType): OffsetRange | null {
  const start = analysis.offsetOf(at, written.typeName.location);
  if (start === null) return null;
  const text = analysis.file.text;
  const simple = SIMPLE_TYPE.exec(text.slice(start, start + 120));
  if (simple && AFTER_TYPE.test(text.slice(start + simple[0].length, start + simple[0].length + 1)) && !/\s(with|without)\s*$/i.test(simple[0])) {
    return { start, end: start + simple[0].trimEnd().length };
  }
  // Scan only the rest of the line and what follows it, enough for any type.
  const tail = new StatementText(text.slice(start, Math.min(text.length, start + 200)));
  const tokens = tail.tokens;
  let i = 0;
  if (tokens[0]?.text.startsWith('"')) i = 1;
  else {
    // Qualified names: pg_catalog.int4
    while (tokens[i + 1]?.text === '.' && tokens[i + 2]) i += 2;
    i += 1;
  }
  for (;;) {
    const token = tokens[i];
    if (!token) break;
    if (TYPE_WORDS.has(token.upper)) i += 1;
    else if (token.text === '(') {
      const close = tail.closingParen(i);
      if (close < 0) break;
      i = close + 1;
    } else if (token.text === '[') {
      i += tokens[i + 1]?.text === ']' ? 2 : tokens[i + 2]?.text === ']' ? 3 : 1;
    } else break;
  }
  const last = tokens[i - 1];
  return last ? { start, end: start + last.end } : null;
}
