// ADD CONSTRAINT name UNIQUE (cols) → CREATE UNIQUE INDEX CONCURRENTLY name ON t (cols), then
// ADD CONSTRAINT name UNIQUE USING INDEX name. The build cannot run in a transaction, and must run
// before the attach. In a file that runs in one: alone in its file, the file becomes the build
// (with its tool's no-transaction directive) and the attach a migration after it; as the file's last
// statement, both move to the next two migrations. A migration numbered before the file (the old
// "007_0_…") would repeat its version, which tools with numeric versions reject. Before other
// statements of the file it is not offered: they could depend on the constraint.
import type { AnalysedStatement, FileAnalysis } from '../../analyse/fileAnalysis';
import type { Fix } from '../../model/findings';
import type { Constraint } from '../../parse/pgTypes';
import type { ParsedFile } from '../../parse/parseMigration';
import { qualifiedSql, quoteIdent } from '../../sql/quoting';
import { stringList } from '../../analyse/relationNames';
import { replaceText } from './edits';
import { numbersFollowing, provisionalFollowingPath } from './followingMigration';
import { newMigrationText, noTransactionInPlace, statementSpan } from './noTransactionFix';
import { noTransactionConventionFor } from '../../parse/toolConventions';

const baseName = (p: string) => p.slice(p.lastIndexOf('/') + 1);

/** A new migration holding only the CONCURRENTLY build, in the tool's layout (Flyway runs such a file outside a transaction by itself). */
function buildFileText(file: ParsedFile, build: string): string | null {
  return noTransactionConventionFor(file)?.tool === 'flyway' ? `${build};\n` : newMigrationText(file, `${build};\n`, true);
}

/** The fix, or null when the constraint is unnamed, has options the index form cannot carry, sits in a DO block, or other statements follow it. */
export function uniqueViaIndexFix(analysis: FileAnalysis, at: AnalysedStatement, table: string, constraint: Constraint, files: readonly ParsedFile[] = []): Fix | null {
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
  if (!numbersFollowing(file.file)) return null;
  const attachText = newMigrationText(file, `${attach};\n`, false)!;
  const attachPath = provisionalFollowingPath(file.file, 'attach');
  const { edits: inPlace, substantive, wrapped } = noTransactionInPlace(analysis, files);
  if (substantive === 1 && !wrapped && inPlace !== null) {
    // A directive inserted where the statement starts (the file's first line) is one edit with it: two edits at one offset have no order.
    const atStart = inPlace.filter((e) => e.offsets.start === at.offsets.start && e.offsets.end === at.offsets.start);
    const elsewhere = inPlace.filter((e) => !atStart.includes(e));
    return {
      title: `Build the unique index CONCURRENTLY here (outside a transaction), then attach it in a later migration (${baseName(attachPath)})`,
      edits: [...elsewhere, replaceText(file, at.offsets, `${atStart.map((e) => e.newText).join('')}${build}`)],
      newFiles: [{ file: attachPath, text: attachText, following: 'attach' }],
    };
  }
  const last = [...analysis.statements].reverse().find((s) => s.nested === null && s.statement.role === 'statement' && !('VariableSetStmt' in s.node));
  const buildText = buildFileText(file, build);
  if (last !== at || wrapped || buildText === null) return null;
  const buildPath = provisionalFollowingPath(file.file, 'index');
  return {
    title: `Build the unique index CONCURRENTLY in a later migration (${baseName(buildPath)}, outside a transaction), then attach it in the one after (${baseName(attachPath)})`,
    edits: [replaceText(file, statementSpan(file.text, at.offsets), '')],
    newFiles: [{ file: buildPath, text: buildText, following: 'index' }, { file: attachPath, text: attachText, following: 'attach' }],
  };
}
