// A statement waiting for a lock that blocks reads or writes queues every later query on the
// table behind it: a migration stuck behind one long transaction takes the application down with
// it. lock_timeout makes it give up instead (and the migration can be retried).
import type { Rule } from './rule';
import { describeLock, lockedTable } from '../analyse/describeEffects';
import { blocksExistingTable } from './statementFacts';
import { setTimeoutFix } from './fixes/lockTimeoutFix';

export const requireLockTimeout: Rule = {
  id: 'require-lock-timeout',
  defaultSeverity: 'info',
  category: 'safety',
  summary: 'A lock that blocks reads or writes is requested without a lock_timeout set earlier in the file.',
  help: "Start the migration with SET lock_timeout = '5s' (or less), and retry it if it times out.",
  check({ analysis, report }) {
    const set = analysis.lockTimeoutSet;
    for (const at of analysis.statements) {
      if (set && set.order < at.order) return;
      const lock = at.effects.locks.find((l) => blocksExistingTable(analysis, at, l.relation));
      if (!lock) continue;
      const fix = setTimeoutFix(analysis, 'lock_timeout', '5s');
      // The action first: the Problems panel shows a message's first line, cut at its width.
      report(at.offsets, `Set lock_timeout first (SET lock_timeout = '5s'): this statement needs ${describeLock(lock)}; while it waits for a running transaction to finish, every later query on ${lockedTable(lock)} queues behind it.`
        + ' With the timeout it gives up instead, and the migration can be retried.', fix ? { fix } : {});
      return; // one finding per file: the fix covers every later statement
    }
  },
};
