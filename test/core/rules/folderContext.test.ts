// One file checked with the other migrations of its folder around it (`context` before, `later`
// after) — what the editor does on each save — finds exactly what checking the whole folder
// together finds for that file (`drydock check DIR`).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { LearnedContext } from '../../../src/core/analyse/fileAnalysis';
import type { Finding } from '../../../src/core/model/findings';
import { loadParser, parseMigrationSync, type ParsedFile } from '../../../src/core/parse/parseMigration';
import { checkFiles } from '../../../src/core/rules/checkMigration';
import { findHistory } from '../../../src/core/shadow/history';
import { filesOf } from './expect';

const repoRoot = path.resolve(__dirname, '..', '..', '..', '..');

const key = (f: Finding) => `${path.basename(f.file)}:${f.range.start.line}:${f.range.start.column} ${f.severity} ${f.ruleId} ${f.message}`;

/** For every file, its findings checked alone with the others around it, and as part of the whole folder. */
function bothWays(files: readonly ParsedFile[]): { alone: string[]; together: string[] } {
  const together = checkFiles(files).flatMap((f) => f.diagnostics).map(key);
  const alone = files.flatMap((file, i) => checkFiles([file], { context: files.slice(0, i), later: files.slice(i + 1) })[0]!.diagnostics).map(key);
  return { alone, together };
}

const FOLDER = `-- file: 001_tables.sql
CREATE TABLE authors (id bigint PRIMARY KEY, name text);
CREATE TABLE books (id bigint PRIMARY KEY, author_id bigint REFERENCES authors (id), body text, meta jsonb);
CREATE FUNCTION make_audit() RETURNS void LANGUAGE plpgsql AS $$ BEGIN CREATE TABLE audit (id bigint, at timestamp); END $$;
SELECT make_audit();
DO $$ BEGIN CREATE TABLE IF NOT EXISTS tags (id int, label varchar(20)); END $$;
-- file: 002_indexes.sql
CREATE INDEX idx_books_body ON books USING gin (body);
CREATE INDEX idx_books_meta ON books USING gin (meta);
ALTER TABLE books ADD CONSTRAINT chk_books_body CHECK (body <> '');
ALTER TABLE audit ALTER COLUMN at TYPE timestamptz;
-- file: 002_indexes.down.sql
DROP TABLE books;
-- file: 003_more.sql
-- drydock:no-transaction
CREATE INDEX CONCURRENTLY idx_books_author ON books (author_id);
ALTER TABLE books ADD COLUMN isbn varchar(13);
CREATE TABLE reviews (id bigint PRIMARY KEY, book_id bigint REFERENCES books (id));
UPDATE books SET body = '';
-- file: 004_reviews_index.sql
CREATE INDEX idx_reviews_book ON reviews (book_id);
ALTER TABLE authors RENAME TO writers;
ALTER TABLE writers ADD COLUMN bio varchar(200);
ALTER TABLE books RENAME COLUMN body TO content;
DROP TABLE tags;
-- file: 005_after.sql
CREATE INDEX idx_writers_name ON writers (name);
CREATE INDEX idx_books_content ON books USING gin (content);
ALTER TABLE writers ALTER COLUMN bio TYPE text;
CREATE INDEX idx_tags_label ON tags (label);
`;

test('each file checked with the folder around it finds what checking the whole folder finds for it (earlier tables exist, types and function bodies teach, later indexes count, down files do not teach)', async () => {
  await loadParser();
  const files = filesOf(FOLDER).map((f) => parseMigrationSync(f.path, f.text));
  const { alone, together } = bothWays(files);
  assert.deepEqual(alone, together);
  // What the example is there to show, so that it keeps showing it:
  assert.ok(together.some((k) => k.startsWith('002_indexes.sql:1:') && k.includes('gin-on-non-jsonb')), 'a column type from an earlier file');
  assert.ok(together.some((k) => k.startsWith('002_indexes.sql:1:') && k.includes('require-concurrent-index-creation')), 'a table of an earlier file exists');
  assert.ok(!together.some((k) => k.startsWith('001_tables.sql:') && k.includes('missing-foreign-key-index')), 'books (author_id) is indexed in a later file');
  assert.ok(!together.some((k) => k.startsWith('003_more.sql:') && k.includes('missing-foreign-key-index')), 'reviews (book_id) is indexed in a later file');
  // Without the later files, the editor would say what `drydock check DIR` does not.
  const [first] = checkFiles([files[0]!]);
  assert.ok(first!.diagnostics.some((f) => f.ruleId === 'missing-foreign-key-index'));
});

test('a LearnedContext (the editor\'s, learned once per folder) gives the same findings as the files, every time it is used: what a check learns on top of it does not change it', async () => {
  await loadParser();
  const files = filesOf(FOLDER).map((f) => parseMigrationSync(f.path, f.text));
  const { together } = bothWays(files);
  const learned = files.map((_, i) => new LearnedContext(files.slice(0, i)));
  for (let round = 0; round < 3; round++) {
    const alone = files.flatMap((file, i) => checkFiles([file], { context: learned[i]!, later: files.slice(i + 1) })[0]!.diagnostics).map(key);
    assert.deepEqual(alone, together, `round ${round + 1}`);
  }
  // The file as it is edited between saves: what one version declared must not stay for the next.
  const context = learned[files.length - 1]!;
  const versions = [
    "SET lock_timeout = '1s';\nALTER TABLE books ALTER COLUMN content TYPE jsonb USING content::jsonb;\nCREATE INDEX idx_reviews_writer ON reviews (writer_id);\nALTER TABLE writers RENAME TO people;\n",
    "SET lock_timeout = '1s';\nSET statement_timeout = '1min';\nCREATE INDEX idx_books_content ON books USING gin (content);\nALTER TABLE reviews ADD COLUMN writer_id bigint REFERENCES writers (id);\n",
  ];
  for (const text of [...versions, ...versions]) {
    const edited = parseMigrationSync('005_after.sql', text);
    const fresh = checkFiles([edited], { context: files.slice(0, -1) })[0]!.diagnostics.map(key);
    assert.deepEqual(checkFiles([edited], { context })[0]!.diagnostics.map(key), fresh, text);
  }
});

test('the histories on disk: each migration with the ones findHistory lists around it finds what the whole history finds', async () => {
  await loadParser();
  const folders = [
    path.join(repoRoot, 'examples', 'seed-app', 'migrations'),
    path.join(repoRoot, 'test', 'fixtures', 'histories', 'diesel'),
    path.join(repoRoot, 'test', 'fixtures', 'histories', 'prisma'),
  ];
  for (const folder of folders) {
    const first = fs.readdirSync(folder).sort()[0]!;
    const start = fs.statSync(path.join(folder, first)).isDirectory() ? fs.readdirSync(path.join(folder, first)).find((f) => f === 'up.sql' || f === 'migration.sql')! : '';
    const entry = path.join(folder, first, start);
    const all = findHistory([entry]);
    const migrations = [{ file: entry, text: fs.readFileSync(entry, 'utf8') }, ...all.later];
    const files = migrations.map((m) => parseMigrationSync(m.file, m.text));
    assert.ok(files.length >= 5, `${folder}: ${files.length} migrations`);
    const together = checkFiles(files).flatMap((f) => f.diagnostics).map(key);
    const alone = files.flatMap((file) => {
      const around = findHistory([file.file]);
      const parsed = (list: readonly { file: string; text: string }[]) => list.map((m) => files.find((f) => f.file === m.file)!);
      return checkFiles([file], { context: parsed(around.migrations), later: parsed(around.later) })[0]!.diagnostics;
    }).map(key);
    assert.deepEqual(alone, together, folder);
  }
});

test('findHistory lists the migrations after a target as well as before it', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drydock-around-'));
  try {
    for (const name of ['1_a.sql', '2_b.sql', '10_c.sql', '2_b_concurrently.sql']) fs.writeFileSync(path.join(dir, name), 'SELECT 1;\n');
    const found = findHistory([path.join(dir, '2_b.sql')]);
    assert.deepEqual(found.migrations.map((m) => path.basename(m.file)), ['1_a.sql']);
    assert.deepEqual(found.later.map((m) => path.basename(m.file)), ['2_b_concurrently.sql', '10_c.sql']);
    const unlisted = findHistory([path.join(dir, '3_new.sql')]);
    assert.deepEqual(unlisted.later.map((m) => path.basename(m.file)), ['10_c.sql']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
