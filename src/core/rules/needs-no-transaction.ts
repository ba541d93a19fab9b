// Statements PostgreSQL refuses inside a transaction block (CONCURRENTLY, VACUUM, …). A dry-run
// simulates them; an apply refuses the file unless it carries a no-transaction directive.
import { EVERY_NO_TRANSACTION_DIRECTIVE, noTransactionConventionFor } from '../parse/toolConventions';
import type { Rule } from './rule';

const DIRECTIVES = EVERY_NO_TRANSACTION_DIRECTIVE;

export const needsNoTransaction: Rule = {
  id: 'needs-no-transaction',
  defaultSeverity: 'warning',
  category: 'runnability',
  summary: 'The statement cannot run inside a transaction block, and the file has no no-transaction directive.',
  help: `Give the file a no-transaction directive (${DIRECTIVES}) and keep such statements in a migration of their own.`,
  check({ file, files, mode, report }) {
    if (file.noTransaction) return;
    const refuses = mode !== null && mode.executes && !mode.simulatesOutsideTransaction;
    // The file's own tool's way, when its text, name or folder shows the tool.
    const convention = noTransactionConventionFor(file, files);
    const directive = convention ? `the file's tool's way: ${convention.how}` : `a no-transaction directive (${DIRECTIVES})`;
    for (const s of file.statements) {
      if (!s.outsideTransaction) continue;
      if (refuses) {
        report(s.offsets, `Run the file outside a transaction, and apply it on its own: ${s.outsideTransaction.reason}, so applying it inside Drydock's transaction would fail with 25001. `
          + `Use ${directive}.`, { severity: 'error' });
      } else {
        // What the simulation strips, not its text: building the text scans the statement.
        report(s.offsets, `Mark the file to run outside a transaction (${convention ? convention.how : 'a no-transaction directive, e.g. `-- drydock:no-transaction`'}): ${s.outsideTransaction.reason}.`
          + ` Apply refuses the file until then; a dry-run ${s.outsideTransaction.withoutConcurrently ? 'runs it without CONCURRENTLY (simulated)' : 'does not run it (simulated)'}.`);
      }
    }
  },
};
