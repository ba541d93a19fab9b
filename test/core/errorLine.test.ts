// A failure on one line, for the editor's notifications: a database's error by its label, Drydock's
// own by its title, said once ("Verification failed: …", as the CLI says it).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ErrorReport } from '../../src/core/model/report';
import { errorLine } from '../../src/core/output/errorLine';

const base: ErrorReport = { sqlstate: '23505', category: 'integrity', label: 'Data conflict', title: 'Unique violation', message: 'duplicate key value violates unique constraint "uq"' };

test('a database\'s error leads with its label; Drydock\'s own with its title, never as a "Database error"', () => {
  assert.equal(errorLine(base), 'Data conflict: duplicate key value violates unique constraint "uq"');
  const verify: ErrorReport = { ...base, sqlstate: 'DRY01', category: 'database', label: 'Database error', title: 'Verification failed', message: 'verification failed: index accounts_idx is missing: not found' };
  assert.equal(errorLine(verify), 'Verification failed: index accounts_idx is missing: not found');
  assert.equal(errorLine({ ...verify, message: 'index accounts_idx is missing' }), 'Verification failed: index accounts_idx is missing');
});
