// ADD CONSTRAINT name UNIQUE (cols) → CREATE UNIQUE INDEX CONCURRENTLY name ON t (cols), then
// ADD CONSTRAINT name UNIQUE USING INDEX name. The build cannot run in a transaction: in a file
// that runs in one, the build goes to a migration of its own that runs before this file's attach.
import type { AnalysedStatement, FileAnalysis } from '../../analyse/fileAnalysis';
import type { Fix } from '../../model/findings';
import type { Constraint } from '../../parse/pgTypes';
import { qualifiedSql, quoteIdent } from '../../sql/quoting';
import { stringList } from '../../analyse/relationNames';
import { replaceText } from './edits';

function earlierSibling(path: string): string {
  const slash = path.lastIndexOf('/');
  const dir = path.slice(0, slash + 1);
  const base = path.slice(slash + 1);
  // "007_add_uq.sql" → "007_0_add_uq_index.sql" sorts before it; unnumbered names get a prefix that sorts first.
  const numbered = /^(\d+)(.*)$/.exec(base);
  const dot = base.lastIndexOf('.');
  const stem = dot > 0 ? base.slice(0, dot) : base;
  const ext = dot > 0 ? base.slice(dot) : '';
  return numbered ? `${dir}${numbered[1]}_0${numbered[2]!.slice(0, numbered[2]!.length - ext.length)}_index${ext}` : `${dir}0_${stem}_index${ext}`;
}

/** The fix, or null when the constraint is unnamed, has options the index form cannot carry, or sits in a DO block. */
export function uniqueViaIndexFix(analysis: FileAnalysis, at: AnalysedStatement, table: string, constraint: Constraint): Fix | null {
  if (!constraint.conname || at.nested !== null || constraint.including?.length || constraint.options?.length || constraint.deferrable) return null;
  const keys = stringList(constraint.keys);
  if (keys.length === 0) return null;
  const name = quoteIdent(constraint.conname);
  const relation = qualifiedSql(table);
  const nulls = constraint.nulls_not_distinct ? ' NULLS NOT DISTINCT' : '';
  const build = `CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS ${name} ON ${relation} (${keys.map(quoteIdent).join(', ')})${nulls}`;
  const attach = `ALTER TABLE ${relation} ADD CONSTRAINT ${name} UNIQUE USING INDEX ${name}`;
  const file = analysis.file;
  if (!analysis.inTransaction) {
    return { title: 'Build the unique index CONCURRENTLY, then attach it (USING INDEX)', edits: [replaceText(file, at.offsets, `${build};\n${attach}`)] };
  }
  const newPath = earlierSibling(file.file);
  return {
    title: `Build the unique index CONCURRENTLY in ${newPath.slice(newPath.lastIndexOf('/') + 1)} (outside a transaction), then attach it here`,
    edits: [replaceText(file, at.offsets, attach)],
    newFiles: [{ file: newPath, text: `-- drydock:no-transaction\n${build};\n` }],
  };
}
