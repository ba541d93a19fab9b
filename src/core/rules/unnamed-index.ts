// An index without a name gets one from PostgreSQL: re-running the migration creates another, and
// nothing can verify it by name.
import type { Rule } from './rule';

export const unnamedIndex: Rule = {
  id: 'unnamed-index',
  defaultSeverity: 'warning',
  category: 'convention',
  summary: 'CREATE INDEX without a name: PostgreSQL picks one, so re-runs create duplicates and it cannot be verified.',
  help: 'Name the index (idx_<table>_<columns>) and create it IF NOT EXISTS.',
  check({ file, report }) {
    for (const s of file.statements) {
      if ('IndexStmt' in s.node && !s.node.IndexStmt.idxname) {
        report(s.offsets, 'Name the index (idx_<table>_<columns>): without a name PostgreSQL picks one, so re-runs create duplicates and it cannot be verified.');
      }
    }
  },
};
