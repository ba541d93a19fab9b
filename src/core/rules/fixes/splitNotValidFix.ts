// ADD CONSTRAINT … CHECK / FOREIGN KEY → the same constraint NOT VALID, then VALIDATE CONSTRAINT.
// In a file that runs in one transaction the validation moves to a migration of its own: run in the
// same transaction it would hold the ADD's lock through the scan.
import type { AnalysedStatement, FileAnalysis } from '../../analyse/fileAnalysis';
import type { Fix } from '../../model/findings';
import type { Constraint } from '../../parse/pgTypes';
import { quoteIdent } from '../../sql/quoting';
import { insertText } from './edits';
import { provisionalFollowingPath } from './followingMigration';

/** The split fix, or null for an unnamed constraint (VALIDATE needs its name) or one inside a DO block. */
export function splitNotValidFix(analysis: FileAnalysis, at: AnalysedStatement, table: string, constraint: Constraint): Fix | null {
  if (!constraint.conname || at.nested !== null) return null;
  const file = analysis.file;
  const validate = `ALTER TABLE ${table.split('.').map(quoteIdent).join('.')} VALIDATE CONSTRAINT ${quoteIdent(constraint.conname)}`;
  const notValid = insertText(file, at.offsets.end, ' NOT VALID');
  if (!analysis.inTransaction) {
    return { title: 'Add NOT VALID, then VALIDATE CONSTRAINT', edits: [notValid, insertText(file, at.offsets.end + (file.text[at.offsets.end] === ';' ? 1 : 0), `\n${validate};`)] };
  }
  const newPath = provisionalFollowingPath(file.file, 'validate');
  return {
    title: `Add NOT VALID, and VALIDATE CONSTRAINT in a later migration (${newPath.slice(newPath.lastIndexOf('/') + 1)})`,
    edits: [notValid],
    newFiles: [{ file: newPath, text: `${validate};\n`, following: 'validate' }],
  };
}
