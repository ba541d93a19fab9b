// A rule that failed on a file: Drydock's own defect, reported at the file's start instead of
// ending the command (a finding for the file it failed on; the other rules and files are judged).
import type { Finding } from '../model/findings';
import type { ParsedFile } from '../parse/parseMigration';
import type { Rule } from './rule';

export const INTERNAL_ERROR_ID = 'internal-error';

export const internalError: Rule = {
  id: INTERNAL_ERROR_ID,
  defaultSeverity: 'warning',
  category: 'convention',
  summary: 'A Drydock rule failed on this file, so what it checks was not judged here.',
  help: 'Report it to Drydock with the file (or the smallest part of it that still fails). The other rules judged the file; a run refuses a file whose runnability could not be judged.',
  // Reported by checkFiles, which catches a rule's failure.
  check() {},
};

/** The finding for `rule` failing on `file` with `err`; an error when the failure leaves a run unable to tell whether it may send the file. */
export function internalErrorFinding(rule: Rule, file: ParsedFile, err: unknown, refusesRun: boolean): Finding {
  const reason = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  const at = { start: 0, end: Math.min(file.text.length, file.lines.lineOffsets(1).end) };
  return {
    ruleId: INTERNAL_ERROR_ID,
    severity: refusesRun ? 'error' : 'warning',
    message: `Drydock's rule ${rule.id} failed on this file (${reason.slice(0, 300)}), so it was not judged by that rule${refusesRun ? '; a run cannot tell whether the file may be sent, so it refuses it' : ''}.`,
    help: internalError.help,
    file: file.file,
    range: file.lines.rangeOf(at),
    offsets: at,
  };
}
