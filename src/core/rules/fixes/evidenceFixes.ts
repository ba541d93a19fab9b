// Fixes from what a run proved about a failed statement: its fix query found the rows that made
// it fail (the rows a CHECK rejects, the extra rows of a duplicate key), so the fix removes exactly
// those before the statement. Offered only when the run found rows and Drydock could write the
// cleanup exactly (the fix-query probe sets `cleanup` then); never from a prediction alone.
import type { Fix } from '../../model/findings';
import type { OffsetRange } from '../../model/positions';
import type { ErrorReport } from '../../model/report';
import type { ParsedFile } from '../../parse/parseMigration';
import { indentAt, insertText, lineStart } from './edits';

/** A statement of this file that the latest run saw fail, with the run's classified error. */
export interface ProvedFailure {
  offsets: OffsetRange;
  error: ErrorReport;
}

/** What the cleanup removes, in words for a title: "the 2 rows that violate chk_x". */
function whatItRemoves(error: ErrorReport): string {
  const n = error.fixRows?.length ?? 0;
  const many = n >= 100 ? 'at least 100' : String(n);
  if (error.sqlstate === '23505') return `the extra rows of the ${many} duplicate key${n === 1 ? '' : 's'}${error.constraint ? ` of ${error.constraint}` : ''} (one row of each kept)`;
  return `the ${many} row${n === 1 ? '' : 's'} that violate${n === 1 ? 's' : ''} ${error.constraint ?? 'the CHECK'}`;
}

/** The cleanup as lines to put above a statement: a comment saying where it comes from, then the DELETE. */
function cleanupLines(error: ErrorReport, indent: string): string {
  const body = error.cleanup!.split('\n').join(`\n${indent}`);
  return `${indent}-- Found by the last dry-run's fix query: review these rows before deleting them.\n${indent}${body};\n`;
}

/** "Delete … first": the cleanup above the failed statement, or null when the run proved nothing to remove. */
export function cleanupFix(file: ParsedFile, failure: ProvedFailure): Fix | null {
  const { error } = failure;
  if (!error.cleanup || (error.fixRows?.length ?? 0) === 0) return null;
  const at = lineStart(file.text, failure.offsets.start);
  const indent = indentAt(file.text, failure.offsets.start);
  return { title: `Delete ${whatItRemoves(error)} first (found by the last dry-run)`, edits: [insertText(file, at, cleanupLines(error, indent))] };
}

/**
 * A fix that writes a VALIDATE CONSTRAINT migration, when the run proved rows violate the CHECK:
 * the cleanup goes before the VALIDATE, which would otherwise fail on the same rows (23514 again).
 */
export function withCleanupBeforeValidate(fix: Fix, failure: ProvedFailure): Fix {
  const { error } = failure;
  if (error.sqlstate !== '23514' || !error.cleanup || !fix.newFiles?.some((f) => f.following === 'validate')) return fix;
  return {
    title: `${fix.title}, deleting ${whatItRemoves(error)} before it`,
    edits: fix.edits,
    newFiles: fix.newFiles.map((f) => (f.following === 'validate' ? { ...f, text: `${cleanupLines(error, '')}${f.text}` } : f)),
  };
}
