// The editor's check of an edit reuses the folder's last listing (listing a long history costs
// ~1,000 file stats per keystroke) and lists it again just after: a folder changed on disk in the
// meantime is reported through folderChanged, and the next check reads it.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { MigrationChecker } from '../../../src/server/migrationChecker';
import { writeFolder } from '../shadow/folders';

const FK = 'ALTER TABLE notes ADD CONSTRAINT notes_account_fk FOREIGN KEY (account_id) REFERENCES accounts (id) NOT VALID;\n';
const TABLES = 'CREATE TABLE accounts (id bigint PRIMARY KEY);\nCREATE TABLE notes (id bigint PRIMARY KEY, account_id bigint);\n';
const INDEX = 'CREATE INDEX CONCURRENTLY IF NOT EXISTS notes_account_id ON notes (account_id);\n';

function rulesOf(outcome: Awaited<ReturnType<MigrationChecker['check']>>): string[] {
  assert.equal(outcome.kind, 'checked');
  return outcome.kind === 'checked' ? outcome.checked.diagnostics.map((d) => d.ruleId) : [];
}

const nextTimerTurn = () => new Promise((resolve) => setTimeout(resolve, 10));

test('an edit\'s check reuses the listing; the listing after it reports a change on disk, and the next check reads it', async () => {
  const root = writeFolder({ 'migrations/001_tables.sql': TABLES, 'migrations/002_fk.sql': FK });
  const file = path.join(root, 'migrations', '002_fk.sql');
  const changed: string[] = [];
  const checker = new MigrationChecker({ folderChanged: (f) => changed.push(f) });
  try {
    assert.ok(rulesOf(await checker.check(file, FK, 'reuse')).includes('missing-foreign-key-index'), 'no listing yet: listed now');
    await nextTimerTurn();
    assert.deepEqual(changed, [], 'nothing was reused, so nothing is listed again');

    assert.ok(rulesOf(await checker.check(file, FK, 'reuse')).includes('missing-foreign-key-index'));
    await nextTimerTurn();
    assert.deepEqual(changed, [], 'listed again after the reuse: the same folder, so no word');

    fs.writeFileSync(path.join(root, 'migrations', '003_index.sql'), INDEX);
    assert.ok(rulesOf(await checker.check(file, FK, 'reuse')).includes('missing-foreign-key-index'), 'the reused listing does not have 003 yet');
    await nextTimerTurn();
    assert.deepEqual(changed, [file], 'the listing after the check found 003');
    assert.equal(rulesOf(await checker.check(file, FK, 'reuse')).includes('missing-foreign-key-index'), false, 'the next check reads the new listing');

    fs.writeFileSync(path.join(root, 'migrations', '001_tables.sql'), `${TABLES}-- rewritten\n`);
    assert.equal(rulesOf(await checker.check(file, FK, 'fresh')).includes('missing-foreign-key-index'), false, 'a fresh check lists now');
    await nextTimerTurn();
    assert.deepEqual(changed, [file], 'a fresh check is not listed again');
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('a text rewritten on disk (same files, same names) counts as a change of the folder', async () => {
  const root = writeFolder({ 'migrations/001_tables.sql': TABLES, 'migrations/002_fk.sql': FK, 'migrations/003_index.sql': INDEX });
  const file = path.join(root, 'migrations', '002_fk.sql');
  const changed: string[] = [];
  const checker = new MigrationChecker({ folderChanged: (f) => changed.push(f) });
  try {
    assert.equal(rulesOf(await checker.check(file, FK, 'fresh')).includes('missing-foreign-key-index'), false);
    // The index is dropped from the later migration: the key has none again.
    fs.writeFileSync(path.join(root, 'migrations', '003_index.sql'), '-- nothing yet\nSELECT 1;\n');
    await checker.check(file, FK, 'reuse');
    await nextTimerTurn();
    assert.deepEqual(changed, [file]);
    assert.ok(rulesOf(await checker.check(file, FK, 'reuse')).includes('missing-foreign-key-index'));
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
