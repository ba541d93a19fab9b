// The unified diff `drydock check --diff` prints: whatever the two texts (no trailing newline,
// CRLF, empty, unicode, long runs of equal lines), real `git apply` of the diff on the old text
// gives the new text, and so does the small applier the many-case property below uses.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { gitQuotedPath, splitLines, unifiedDiff, unifiedDiffs } from '../../src/core/output/unifiedDiff';
import { applyPatch } from '../support/applyPatch';

// Lines from a small set, so that texts share lines and the diffs have context and several hunks.
const LINE = fc.constantFrom('CREATE TABLE t (id int);', 'CREATE INDEX i ON t (id);', '', '  -- ü 日本 😀', 'SELECT 1;', 'ALTER TABLE t ADD c text;', ' ', '\\ not a marker', '@@ -1 +1 @@');
const ENDING = fc.constantFrom('\n', '\r\n');
const TEXT = fc.tuple(fc.array(fc.tuple(LINE, ENDING), { maxLength: 30 }), fc.constantFrom('', 'tail without newline', '\r', '\n')).map(([lines, last]) => lines.map(([l, e]) => l + e).join('') + last);

let repo = '';
before(() => {
  repo = fs.mkdtempSync(path.join(os.tmpdir(), 'drydock-diff-'));
  execFileSync('git', ['init', '-q', repo]);
});
after(() => fs.rmSync(repo, { recursive: true, force: true }));

/** Real git: the old text in a file of a git repository (absent when null), the diff applied, the file read. */
function gitApply(oldText: string | null, diff: string, name = 'm.sql'): string {
  const file = path.join(repo, name);
  fs.rmSync(file, { force: true });
  if (oldText !== null) fs.writeFileSync(file, oldText);
  if (diff !== '') {
    execFileSync('git', ['apply', '--check', '-'], { cwd: repo, input: diff, stdio: ['pipe', 'pipe', 'pipe'] });
    execFileSync('git', ['apply', '-'], { cwd: repo, input: diff, stdio: ['pipe', 'pipe', 'pipe'] });
  }
  return fs.readFileSync(file, 'utf8');
}

test('splitLines keeps each line\'s terminator, CR included, and a last line without one', () => {
  assert.deepEqual(splitLines('a\r\nb\n\nc'), ['a\r\n', 'b\n', '\n', 'c']);
  assert.deepEqual(splitLines(''), []);
  assert.deepEqual(splitLines('\n'), ['\n']);
});

test('the diff of a one-word fix: git headers, one hunk with three lines of context each side', () => {
  const old = 'a\nb\nc\nCREATE INDEX i ON t (id);\nd\ne\nf\ng\n';
  const diff = unifiedDiff({ path: 'db/001_x.sql', oldText: old, newText: old.replace('INDEX i', 'INDEX CONCURRENTLY i') });
  assert.equal(diff, [
    'diff --git a/db/001_x.sql b/db/001_x.sql', '--- a/db/001_x.sql', '+++ b/db/001_x.sql', '@@ -1,7 +1,7 @@',
    ' a', ' b', ' c', '-CREATE INDEX i ON t (id);', '+CREATE INDEX CONCURRENTLY i ON t (id);', ' d', ' e', ' f', '',
  ].join('\n'));
});

test('must not: equal texts give no diff at all (not even headers)', () => {
  assert.equal(unifiedDiff({ path: 'x.sql', oldText: 'SELECT 1;\n', newText: 'SELECT 1;\n' }), '');
  assert.equal(unifiedDiff({ path: 'x.sql', oldText: '', newText: '' }), '');
  assert.equal(unifiedDiffs([{ path: 'x.sql', oldText: 'a', newText: 'a' }]), '');
});

test('a new file is a diff from /dev/null that git apply creates', () => {
  const diff = unifiedDiff({ path: 'db/002_x_concurrently.sql', oldText: null, newText: '-- drydock:no-transaction\nCREATE INDEX CONCURRENTLY i ON t (id);\n' });
  assert.match(diff, /^diff --git a\/db\/002_x_concurrently.sql b\/db\/002_x_concurrently.sql\nnew file mode 100644\n--- \/dev\/null\n\+\+\+ b\/db\/002_x_concurrently.sql\n@@ -0,0 \+1,2 @@\n/);
  fs.mkdirSync(path.join(repo, 'db'), { recursive: true });
  assert.equal(gitApply(null, diff, 'db/002_x_concurrently.sql'), '-- drydock:no-transaction\nCREATE INDEX CONCURRENTLY i ON t (id);\n');
});

test('names with spaces, quotes and non-ASCII letters are written as git writes them, and git apply finds the file', () => {
  assert.equal(gitQuotedPath('a/', 'db/001 x.sql'), 'a/db/001 x.sql');
  assert.equal(gitQuotedPath('a/', 'db/001_ü.sql'), '"a/db/001_\\303\\274.sql"');
  assert.equal(gitQuotedPath('b/', 'say "hi".sql'), '"b/say \\"hi\\".sql"');
  for (const name of ['001 x.sql', '001_ü.sql', 'say "hi".sql']) {
    const diff = unifiedDiff({ path: name, oldText: 'SELECT 1;\n', newText: 'SELECT 2;\n' });
    assert.equal(gitApply('SELECT 1;\n', diff, name), 'SELECT 2;\n', name);
  }
});

test('property: git apply of the diff on the old text gives the new text (CRLF, no final newline, empty, unicode)', () => {
  fc.assert(fc.property(TEXT, TEXT, (oldText, newText) => {
    assert.equal(gitApply(oldText, unifiedDiff({ path: 'm.sql', oldText, newText })), newText);
  }), { numRuns: 100 });
});

test('property: git apply creates a new file with exactly the text (of any shape)', () => {
  fc.assert(fc.property(TEXT, (newText) => {
    assert.equal(gitApply(null, unifiedDiff({ path: 'm.sql', oldText: null, newText })), newText);
  }), { numRuns: 25 });
});

test('property: the test applier agrees with git on the same diffs, and gives the new text on many more cases', () => {
  fc.assert(fc.property(TEXT, TEXT, (oldText, newText) => {
    const diff = unifiedDiff({ path: 'm.sql', oldText, newText });
    assert.equal(applyPatch(oldText, diff), newText);
  }), { numRuns: 2000 });
  fc.assert(fc.property(TEXT, TEXT, (oldText, newText) => {
    const diff = unifiedDiff({ path: 'm.sql', oldText, newText });
    assert.equal(applyPatch(oldText, diff), gitApply(oldText, diff));
  }), { numRuns: 20 });
});

test('property: the diff is minimal in changed lines for one inserted and one removed line in a long text', () => {
  fc.assert(fc.property(fc.array(fc.string({ maxLength: 8 }).map((s) => `${s.replace(/[\r\n]/g, '')}\n`), { minLength: 5, maxLength: 200 }), fc.nat(), fc.nat(), (lines, i, j) => {
    const oldText = lines.join('');
    const changed = [...lines];
    changed.splice(i % changed.length, 1);
    changed.splice(j % (changed.length + 1), 0, 'inserted line\n');
    const diff = unifiedDiff({ path: 'm.sql', oldText, newText: changed.join('') });
    const body = splitLines(diff).filter((l) => !l.startsWith('---') && !l.startsWith('+++'));
    assert.ok(body.filter((l) => l.startsWith('+') || l.startsWith('-')).length <= 2, diff);
  }), { numRuns: 300 });
});
