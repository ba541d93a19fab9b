// Statements PostgreSQL refuses inside a transaction block (CONCURRENTLY, VACUUM, …). A dry-run
// simulates them; an apply refuses the file unless it carries a no-transaction directive.
import type { Rule } from './rule';

const DIRECTIVES = '`-- drydock:no-transaction`, dbmate `transaction:false`, goose `-- +goose NO TRANSACTION`, graphile `--! no-transaction`';

export const needsNoTransaction: Rule = {
  id: 'needs-no-transaction',
  defaultSeverity: 'warning',
  category: 'runnability',
  summary: 'The statement cannot run inside a transaction block, and the file has no no-transaction directive.',
  help: `Give the file a no-transaction directive (${DIRECTIVES}) and keep such statements in a migration of their own.`,
  check({ file, mode, report }) {
    if (file.noTransaction) return;
    const refuses = mode !== null && mode.executes && !mode.simulatesOutsideTransaction;
    for (const s of file.statements) {
      if (!s.outsideTransaction) continue;
      if (refuses) {
        report(s.offsets, `${s.outsideTransaction.reason}: applying it inside Drydock's transaction would fail with 25001. `
          + `Add a no-transaction directive (${DIRECTIVES}) and apply the file on its own.`, { severity: 'error' });
      } else {
        // What the simulation strips, not its text: building the text scans the statement.
        report(s.offsets, `${s.outsideTransaction.reason}. A dry-run ${s.outsideTransaction.withoutConcurrently ? 'runs it without CONCURRENTLY (simulated)' : 'does not run it (simulated)'}; `
          + 'Apply refuses the file unless it carries a no-transaction directive (e.g. `-- drydock:no-transaction`).');
      }
    }
  },
};
