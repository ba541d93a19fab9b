// Before connecting: may these files run in this mode at all, and in one transaction or outside one?
// Whether they may is the rules' verdict (refusals are error findings); whether in a transaction
// follows from the mode and the files' directives.
import type { RunModeSpec } from '../model/runModes';
import type { CheckedFile } from '../rules/checkMigration';

/** What a run will do with the files. */
export interface RunPlan {
  /** False when a refusal means nothing may be sent. */
  runnable: boolean;
  /**
   * False only for an apply of a single file with a no-transaction directive and a statement that
   * needs it: that file runs statement by statement, committing as it goes.
   */
  transactional: boolean;
}

/** Decides how the files run in this mode. */
export function planRun(files: readonly CheckedFile[], mode: RunModeSpec): RunPlan {
  // The rules' verdict, and the facts it rests on read again: a file that did not parse whole
  // (binary, a syntax error, psql meta-commands blanked out) never runs, whatever was judged.
  const runnable = files.every((f) => f.runnable && !f.binary && f.syntaxError === null && f.metaCommandLines.length === 0);
  const outsideTransaction = mode.executes && !mode.simulatesOutsideTransaction && files.length === 1
    && files[0]!.noTransaction !== null && files[0]!.statements.some((s) => s.outsideTransaction);
  return { runnable, transactional: !outsideTransaction };
}
