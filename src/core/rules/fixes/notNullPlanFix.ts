// After ADD COLUMN … NOT NULL failed with 23502 (the last dry-run proved the table has rows), the
// plan that adds the column without a value nobody chose and without a long lock, as migrations in
// the tool's own layout and numbering:
//   this file        ADD COLUMN, nullable: instant, no rewrite.
//   _backfill        fills the existing rows. Only the author knows the value: the fix writes a
//                    placeholder that makes the migration fail (42703) until it is replaced.
//   _not_null_check  ADD CONSTRAINT … CHECK (col IS NOT NULL) NOT VALID: a brief ACCESS EXCLUSIVE, no scan.
//   _validate        VALIDATE CONSTRAINT: scans under SHARE UPDATE EXCLUSIVE (reads and writes go on).
//                    Committed on its own, so a lock timeout in the next step does not undo the scan.
//   _set_not_null    SET NOT NULL, which PostgreSQL 12+ proves from the valid CHECK without a scan,
//                    then DROP the CHECK (it repeats the NOT NULL).
// The CHECK comes after the backfill, not with the column: added earlier, it would reject the
// application's inserts until the code that writes the column is deployed. Added after, a row
// inserted without a value makes the VALIDATE fail (23514), in a migration, not in the application.
//
// The backfill and the dry-run. Batches need a COMMIT between them, and PostgreSQL refuses a COMMIT
// inside a transaction block (2D000). So a batched backfill is a DO block in a migration that the
// tool runs outside a transaction (its no-transaction directive). Drydock's dry-run never commits,
// and it must not run something other than what PostgreSQL will run. So it does not run that block
// ("not executed", doBlockCommit.test.ts): it checks the file parses and where it stands, not its
// batches. Every later step is correct when the tool applies the files, and can be dry-run on a
// database where the backfill has run. When the last run counted few rows (the fix query of 23502),
// the backfill is one UPDATE in an ordinary migration instead: a dry-run then runs all of the plan.
// The count is of the database the run used, and the file says so (production may hold more).
import type { AnalysedStatement, FileAnalysis } from '../../analyse/fileAnalysis';
import type { Fix, NewFile } from '../../model/findings';
import type { Node } from '../../parse/pgTypes';
import { ROWS_TO_FILL } from '../../model/report';
import { qualifiedSql, quoteIdent, quoteLiteral } from '../../sql/quoting';
import { alterCommands, columnConstraints } from '../alterTableCommands';
import { replaceText } from './edits';
import type { ProvedFailure } from './evidenceFixes';
import { numbersFollowing, provisionalFollowingPath } from './followingMigration';
import { newMigrationText } from './noTransactionFix';

type ColumnDef = Extract<Node, { ColumnDef: unknown }>['ColumnDef'];

/** Up to this many rows (as the last run counted them), the backfill is one UPDATE. */
export const SINGLE_UPDATE_MAX_ROWS = 10_000;
/** Pages of 8 kB a batch of the batched backfill covers (a few thousand rows of a narrow table). */
const PAGES_PER_BATCH = 100;
/** The placeholder the author replaces: read as a column that does not exist, it fails the migration. */
export const BACKFILL_PLACEHOLDER = '"TODO: the value for existing rows"';

/** The rows the last run counted in the table (the 23502 fix query of an ADD COLUMN), or null. */
function countedRows(failure: ProvedFailure): number | null {
  const counted = failure.error.fixRows?.[0]?.[ROWS_TO_FILL];
  // count(*) is a bigint: a string from pg, a number or a BigInt from other drivers.
  const n = typeof counted === 'number' ? counted : typeof counted === 'string' || typeof counted === 'bigint' ? Number(counted) : NaN;
  return Number.isSafeInteger(n) ? n : null;
}

/** The start of the NOT NULL (or CONSTRAINT name NOT NULL) in the statement's text and its end, with the space before it. */
function notNullSpan(analysis: FileAnalysis, at: AnalysedStatement, location: number | undefined): { start: number; end: number } | null {
  const start = analysis.offsetOf(at, location);
  if (start === null) return null;
  const text = analysis.file.text;
  const written = /^(?:CONSTRAINT\s+(?:"(?:[^"]|"")+"|[\w$]+)\s+)?NOT\s+NULL\b/i.exec(text.slice(start, at.offsets.end));
  if (!written) return null;
  let from = start;
  while (from > at.offsets.start && /\s/.test(text[from - 1]!)) from -= 1;
  return { start: from, end: start + written[0].length };
}

function backfillBody(relation: string, column: string, rows: number | null, batched: boolean): string {
  const set = `UPDATE ${relation} SET ${column} = ${BACKFILL_PLACEHOLDER}`;
  const todo = `-- Write the value of ${column} for the existing rows where the TODO is below. Left as it is, the\n`
    + '-- migration fails (that is no column) before it writes anything.\n';
  if (!batched) {
    return `${todo}-- The last dry-run counted ${rows} row${rows === 1 ? '' : 's'} in ${relation}, on the database it ran on: few enough for one UPDATE.\n`
      + '-- Where the table holds many more (production), batch it instead: see the docs of adding-required-field.\n'
      + `${set} WHERE ${column} IS NULL;\n`;
  }
  const size = `pg_relation_size(${quoteLiteral(relation)}) / current_setting('block_size')::bigint`;
  return `${todo}`
    + `-- ${rows === null ? 'The last dry-run did not count the rows' : `The last dry-run counted ${rows} rows in ${relation}`}: the rows are filled ${PAGES_PER_BATCH} pages at a time,\n`
    + '-- committing after each batch, so no transaction holds their row locks for long. A COMMIT cannot run\n'
    + '-- in a transaction block: the tool runs this file outside one (the directive above), and Drydock\'s\n'
    + '-- dry-run, which never commits, does not run this block. It runs when the tool applies the file.\n'
    + 'DO $$\nDECLARE\n  page bigint := 0;\nBEGIN\n'
    + '  -- Each batch reads only its pages on PostgreSQL 14+ (a TID range scan); 12 and 13 read the whole table.\n'
    + `  WHILE page <= ${size} LOOP\n`
    + `    ${set}\n`
    + `    WHERE ctid >= format('(%s,0)', page)::tid AND ctid < format('(%s,0)', page + ${PAGES_PER_BATCH})::tid AND ${column} IS NULL;\n`
    + `    page := page + ${PAGES_PER_BATCH};\n    COMMIT;\n  END LOOP;\n`
    + `  IF EXISTS (SELECT FROM ${relation} WHERE ${column} IS NULL) THEN\n`
    + `    RAISE EXCEPTION '${relation.replace(/'/g, "''")}.${column.replace(/'/g, "''")} is still NULL in some rows: the value was NULL there, or rows were inserted without it';\n`
    + '  END IF;\nEND $$;\n';
}

/** The new column when the statement is a lone ADD COLUMN whose only constraint is NOT NULL, else null. */
function loneNotNullColumn(at: AnalysedStatement): { table: string; def: ColumnDef; location: number | undefined } | null {
  const commands = alterCommands(at);
  if (at.nested !== null || commands.length !== 1) return null;
  const { table, cmd } = commands[0]!;
  const def = cmd.subtype === 'AT_AddColumn' && cmd.def && 'ColumnDef' in cmd.def ? cmd.def.ColumnDef : null;
  const constraints = columnConstraints(cmd);
  // A DEFAULT, a generated or identity column, a key, UNIQUE, CHECK or REFERENCES: each changes what
  // the existing rows get or may hold, so the plan's steps would not be the statement's meaning.
  if (!def?.colname || def.raw_default !== undefined || constraints.length !== 1 || constraints[0]!.contype !== 'CONSTR_NOTNULL') return null;
  return { table, def, location: constraints[0]!.location };
}

/**
 * The plan's fix for a statement the last run saw fail with 23502, or null: not for a DO block, a
 * multi-command ALTER, a column with a DEFAULT or another constraint, a file whose name carries no
 * version (the new migrations could not be ordered after it), PostgreSQL before 12 (SET NOT NULL
 * scans anyway), or a batched backfill the tool cannot be told to run outside a transaction.
 */
export function notNullPlanFix(analysis: FileAnalysis, failure: ProvedFailure): Fix | null {
  if (failure.error.sqlstate !== '23502' || analysis.settings.pgVersion < 12 || !numbersFollowing(analysis.file.file)) return null;
  const at = analysis.statements.find((s) => s.nested === null && s.offsets.start === failure.offsets.start);
  const added = at ? loneNotNullColumn(at) : null;
  if (!at || !added) return null;
  const span = notNullSpan(analysis, at, added.location);
  if (!span) return null;
  const rows = countedRows(failure);
  const batched = rows === null || rows > SINGLE_UPDATE_MAX_ROWS;
  const relation = qualifiedSql(added.table);
  const column = quoteIdent(added.def.colname!);
  const check = quoteIdent(`${added.def.colname!}_not_null_check`.slice(0, 63));
  const file = analysis.file;
  const backfill = newMigrationText(file, backfillBody(relation, column, rows, batched), batched);
  if (backfill === null) return null;
  const steps: [suffix: string, text: string | null][] = [
    ['backfill', backfill],
    ['not_null_check', newMigrationText(file, `ALTER TABLE ${relation} ADD CONSTRAINT ${check} CHECK (${column} IS NOT NULL) NOT VALID;\n`, false)],
    ['validate', newMigrationText(file, `ALTER TABLE ${relation} VALIDATE CONSTRAINT ${check};\n`, false)],
    ['set_not_null', newMigrationText(file, `ALTER TABLE ${relation} ALTER COLUMN ${column} SET NOT NULL;\nALTER TABLE ${relation} DROP CONSTRAINT ${check};\n`, false)],
  ];
  const newFiles = steps.map(([suffix, text]): NewFile => {
    const created: NewFile = { file: provisionalFollowingPath(file.file, suffix), text: text!, following: suffix };
    return suffix === 'backfill' ? { ...created, cursor: text!.lastIndexOf(BACKFILL_PLACEHOLDER) } : created;
  });
  const how = batched ? 'a batched backfill that dry-runs do not run' : `a one-UPDATE backfill (the last dry-run counted ${rows} row${rows === 1 ? '' : 's'})`;
  return {
    title: `Add ${added.def.colname} nullable here, then ${how}, CHECK NOT VALID, VALIDATE and SET NOT NULL in 4 new migrations (write the backfill's value)`,
    edits: [replaceText(file, span, '')],
    newFiles,
  };
}
