import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { ConstraintDeclaration, IndexDeclaration, TriggerDeclaration } from '../../src/core/parse/declarations';
import { decodeMigrationText, loadParser, splitStatements } from '../../src/core/parse/parseMigration';
import { checkMigrationSync, type CheckedFile } from '../../src/core/rules/checkMigration';
import { ruleById } from '../../src/core/rules/registry';
import { LineIndex, OffsetConverter, codePointToUtf16 } from '../../src/core/model/lineIndex';
import { exampleMigrations } from '../support/database';

before(() => loadParser());

function declarations(file: CheckedFile) {
  return file.statements.flatMap((s) => s.effects.flatMap((e) => (e.action === 'declare' ? [e.declaration] : [])));
}

/** The parse-level findings (runnability rules): this suite tests parsing, the safety rules have their own tests. */
function codes(file: CheckedFile): string[] {
  return runnability(file).map((d) => d.ruleId);
}

function runnability(file: CheckedFile): CheckedFile['diagnostics'] {
  return file.diagnostics.filter((d) => ruleById(d.ruleId)?.category === 'runnability');
}

describe('offsets and positions', () => {
  test('byte offsets convert to UTF-16 across 2-, 3- and 4-byte characters', () => {
    const text = 'é☃🚀x';
    const bytes = new OffsetConverter(text, 'byte');
    assert.deepEqual([0, 2, 5, 9, 10].map((b) => bytes.toUtf16(b)), [0, 1, 2, 4, 5]);
  });

  test('byte and code-point offsets convert the same in any order of queries (a long text, its checkpoints)', () => {
    const pieces = ['a', 'é', '☃', '🚀', '\n', 'SELECT 1;'];
    let text = '';
    for (let i = 0; i < 6000; i++) text += pieces[(i * 7 + (i >> 3)) % pieces.length];
    // The reference: walk the text once, recording each character's start in bytes and code points.
    const byteStarts = new Map<number, number>();
    const pointStarts = new Map<number, number>();
    let bytes = 0;
    let points = 0;
    for (let i = 0; i < text.length;) {
      byteStarts.set(bytes, i);
      pointStarts.set(points, i);
      const code = text.codePointAt(i)!;
      bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
      points += 1;
      i += code >= 0x10000 ? 2 : 1;
    }
    const byteOffsets = [...byteStarts.keys()];
    const pointOffsets = [...pointStarts.keys()];
    // Forward, then backward, then jumping about: every answer as the reference's.
    const order = (n: number) => [...Array(n).keys(), ...[...Array(n).keys()].reverse(), ...Array.from({ length: n }, (_, i) => (i * 7919) % n)];
    const byBytes = new OffsetConverter(text, 'byte');
    for (const i of order(byteOffsets.length)) assert.equal(byBytes.toUtf16(byteOffsets[i]!), byteStarts.get(byteOffsets[i]!));
    const byPoints = new OffsetConverter(text, 'codePoint');
    for (const i of order(pointOffsets.length)) assert.equal(byPoints.toUtf16(pointOffsets[i]!), pointStarts.get(pointOffsets[i]!));
    assert.equal(byBytes.toUtf16(bytes + 100), text.length, 'past the end: the text length');
  });

  test('code-point positions (server error positions) convert to UTF-16', () => {
    assert.equal(codePointToUtf16('🚀🚀x', 2), 4);
    assert.equal(codePointToUtf16('abc', 2), 2);
  });

  test('line index maps offsets to 1-based lines and columns, CRLF included', () => {
    const lines = new LineIndex('ab\r\ncd\nef');
    assert.deepEqual(lines.positionAt(0), { line: 1, column: 1 });
    assert.deepEqual(lines.positionAt(5), { line: 2, column: 2 });
    assert.deepEqual(lines.positionAt(8), { line: 3, column: 2 });
    assert.equal(lines.offsetAt({ line: 2, column: 2 }), 5);
  });
});

describe('parseMigration', () => {
  test('statement ranges count UTF-16 columns after multi-byte text before the statement', () => {
    const text = "-- übersicht ☃ 🚀\nSELECT '🚀' AS a; CREATE TABLE t (x int);\n  ALTER TABLE t ADD COLUMN y int";
    const file = checkMigrationSync('m.sql', text);
    assert.deepEqual(runnability(file), []);
    assert.equal(file.statements.length, 3);
    const [first, second, third] = file.statements;
    assert.deepEqual(first!.range, { start: { line: 2, column: 1 }, end: { line: 2, column: 17 } });
    assert.equal(first!.sql, "SELECT '🚀' AS a");
    assert.equal(text.slice(second!.offsets.start, second!.offsets.end), 'CREATE TABLE t (x int)');
    assert.deepEqual(second!.range.start, { line: 2, column: 19 });
    assert.deepEqual(third!.range, { start: { line: 3, column: 3 }, end: { line: 3, column: 33 } });
    assert.deepEqual(file.statements.map((s) => s.kind), ['SELECT', 'CREATE TABLE', 'ALTER TABLE']);
  });

  test('statement kinds come from the parse tree, never from words in the text (a table named "comment" or "index")', () => {
    const file = checkMigrationSync('m.sql', [
      'ALTER TABLE comment RENAME TO remark', 'ALTER TABLE comment ADD COLUMN x int', "COMMENT ON TABLE comment IS 'x'", 'DROP TABLE comment',
      'ALTER TABLE "index" RENAME COLUMN a TO b', 'CREATE MATERIALIZED VIEW mv AS SELECT 1', 'ALTER INDEX idx_a RENAME TO idx_b', 'END',
      'GRANT SELECT ON comment TO public', 'ALTER TABLE comment SET SCHEMA other',
    ].join(';\n'));
    assert.deepEqual(file.statements.map((s) => s.kind), [
      'ALTER TABLE', 'ALTER TABLE', 'COMMENT ON TABLE', 'DROP TABLE', 'ALTER TABLE', 'CREATE MATERIALIZED VIEW', 'ALTER INDEX', 'COMMIT', 'GRANT', 'ALTER TABLE',
    ]);
  });

  test('a syntax error is reported at its exact token, after multi-byte text', () => {
    const file = checkMigrationSync('m.sql', "SELECT '☃🚀';\nSELEC 1;\n");
    assert.equal(file.runnable, false);
    const [d] = file.diagnostics;
    assert.equal(d!.ruleId, 'syntax-error');
    assert.match(d!.message, /at or near "SELEC"/);
    assert.deepEqual(d!.range, { start: { line: 2, column: 1 }, end: { line: 2, column: 6 } });
  });

  test('a syntax error at the end of input points at the last character', () => {
    const file = checkMigrationSync('m.sql', 'SELECT (1');
    assert.equal(file.diagnostics[0]!.ruleId, 'syntax-error');
    assert.deepEqual(file.diagnostics[0]!.range.start, { line: 1, column: 9 });
  });

  test('psql meta-commands get their own diagnostic at their line, and real SQL around them still splits', () => {
    const file = checkMigrationSync('m.sql', 'SELECT 1;\n\\set ON_ERROR_STOP on\nSELECT 2;\n  \\i other.sql\n\\connect db\nSELECT 3;');
    assert.deepEqual(file.diagnostics.map((d) => [d.ruleId, d.range.start.line]), [['psql-meta-command', 2], ['psql-meta-command', 4], ['psql-meta-command', 5]]);
    assert.match(file.diagnostics[0]!.message, /psql meta-command, not SQL/);
    assert.equal(file.statements.length, 3);
    assert.equal(file.runnable, false);
  });

  test('a backslash inside a string or a function body is not a meta-command', () => {
    const file = checkMigrationSync('m.sql', "SELECT E'a\\\\b';\nDO $$\nBEGIN\n  RAISE NOTICE '\\i not a command';\nEND $$;");
    assert.deepEqual(codes(file), []);
  });

  test('an empty or comment-only file is a warning, not an error', () => {
    for (const text of ['', '   \n', '-- nothing here\n/* still nothing */\n']) {
      const file = checkMigrationSync('m.sql', text);
      assert.deepEqual(codes(file), ['empty-file']);
      assert.equal(file.runnable, true);
      assert.equal(file.statements.length, 0);
    }
  });

  test('binary content is refused before parsing', () => {
    assert.equal(decodeMigrationText(Buffer.from([0xff, 0xfe, 0x00, 0x41])), null);
    const file = checkMigrationSync('m.bin', 'SELECT 1;\u0000\u0001');
    assert.deepEqual(codes(file), ['binary-file']);
    assert.equal(file.runnable, false);
  });

  test('accepts PostgreSQL 18 syntax (virtual generated columns, RETURNING old/new)', () => {
    const file = checkMigrationSync('m.sql', 'CREATE TABLE t (a int, b int GENERATED ALWAYS AS (a * 2) VIRTUAL);\nUPDATE t SET a = 1 RETURNING old.a, new.a;');
    assert.deepEqual(codes(file), []);
    assert.equal(file.statements.length, 2);
  });

  test('a BEGIN … COMMIT around the whole file is a wrapper, not an error', () => {
    const file = checkMigrationSync('m.sql', 'BEGIN;\nCREATE TABLE t (x int);\nCOMMIT;\n');
    assert.deepEqual(codes(file), []);
    assert.deepEqual(file.statements.map((s) => s.role), ['wrapper', 'statement', 'wrapper']);
  });

  test('COMMIT, ROLLBACK, END, START TRANSACTION or PREPARE TRANSACTION mid-file are refused', () => {
    for (const control of ['COMMIT', 'ROLLBACK', 'END', 'ABORT', 'START TRANSACTION', "PREPARE TRANSACTION 'x'", "COMMIT PREPARED 'x'"]) {
      const file = checkMigrationSync('m.sql', `CREATE TABLE a (x int);\n${control};\nCREATE TABLE b (x int);`);
      assert.equal(file.runnable, false, control);
      assert.deepEqual(codes(file), ['transaction-control'], control);
      assert.equal(runnability(file)[0]!.range.start.line, 2, control);
    }
  });

  test('SAVEPOINT and ROLLBACK TO SAVEPOINT are allowed inside the run', () => {
    const file = checkMigrationSync('m.sql', 'SAVEPOINT a;\nSELECT 1;\nROLLBACK TO SAVEPOINT a;\nRELEASE SAVEPOINT a;');
    assert.deepEqual(codes(file), []);
  });

  test('CONCURRENTLY gets a simulated equivalent and a warning when there is no directive', () => {
    const file = checkMigrationSync('m.sql', 'CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_t_x ON t (x);\nDROP INDEX CONCURRENTLY idx_old;\nREINDEX (CONCURRENTLY) INDEX idx_t_x;\nVACUUM t;');
    assert.deepEqual(codes(file), ['needs-no-transaction', 'needs-no-transaction', 'needs-no-transaction', 'needs-no-transaction']);
    assert.deepEqual(file.statements.map((s) => s.simulatedSql), [
      'CREATE INDEX IF NOT EXISTS idx_t_x ON t (x)', 'DROP INDEX idx_old', 'REINDEX INDEX idx_t_x', null,
    ]);
  });

  test('the simulation of CONCURRENTLY cuts only its token (or its option), keeping literals, calls and spacing exactly', () => {
    const cases: [string, string | null][] = [
      ['CREATE INDEX CONCURRENTLY i_pi ON orders ((amount * pi()))', 'CREATE INDEX i_pi ON orders ((amount * pi()))'],
      ["CREATE INDEX CONCURRENTLY i_n ON t (name) WHERE name <> 'two  spaces'", "CREATE INDEX i_n ON t (name) WHERE name <> 'two  spaces'"],
      ['CREATE UNIQUE INDEX CONCURRENTLY\n  IF NOT EXISTS i ON t (a, (lower(b)))', 'CREATE UNIQUE INDEX IF NOT EXISTS i ON t (a, (lower(b)))'],
      ['CREATE INDEX concurrently /* why */ i ON t USING gin (j jsonb_path_ops)', 'CREATE INDEX /* why */ i ON t USING gin (j jsonb_path_ops)'],
      ['REINDEX (VERBOSE, CONCURRENTLY) TABLE t', 'REINDEX (VERBOSE) TABLE t'],
      ['REINDEX (CONCURRENTLY, VERBOSE) INDEX i', 'REINDEX (VERBOSE) INDEX i'],
      ['REINDEX (CONCURRENTLY true) INDEX i', 'REINDEX INDEX i'],
      ['REINDEX (CONCURRENTLY) INDEX i', 'REINDEX INDEX i'],
      ['REINDEX INDEX CONCURRENTLY i', 'REINDEX INDEX i'],
      ['DROP INDEX CONCURRENTLY IF EXISTS "Odd  Name"', 'DROP INDEX IF EXISTS "Odd  Name"'],
      ['ALTER TABLE p DETACH PARTITION p_2020 CONCURRENTLY', 'ALTER TABLE p DETACH PARTITION p_2020'],
    ];
    for (const [sql, simulated] of cases) {
      const [statement] = checkMigrationSync('m.sql', `${sql};`).statements;
      assert.equal(statement!.simulatedSql, simulated, sql);
    }
    // A deep expression (thousands of terms): the trees are compared without recursion.
    const deep = `CREATE INDEX CONCURRENTLY i_deep ON t ((a + ${Array(3000).fill('1').join(' + ')}))`;
    const [deepStatement] = checkMigrationSync('m.sql', `${deep};`).statements;
    assert.equal(deepStatement!.simulatedSql, deep.replace('CONCURRENTLY ', ''));
    // Not concurrent after all: runs as written, in the transaction.
    const [off] = checkMigrationSync('m.sql', 'REINDEX (CONCURRENTLY false) INDEX i;').statements;
    assert.equal(off!.outsideTransaction, null);
  });

  test('no-transaction directives of dbmate, goose, graphile-migrate and drydock are recognised', () => {
    const cases: [string, string][] = [
      ['-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY i ON t (x);\n-- migrate:down\nDROP INDEX i;', 'dbmate'],
      ['-- +goose NO TRANSACTION\n-- +goose Up\nCREATE INDEX CONCURRENTLY i ON t (x);\n-- +goose Down\nDROP INDEX i;', 'goose'],
      ['--! no-transaction\nCREATE INDEX CONCURRENTLY i ON t (x);', 'graphile-migrate'],
      ['-- drydock:no-transaction\nCREATE INDEX CONCURRENTLY i ON t (x);', 'drydock'],
    ];
    for (const [text, tool] of cases) {
      const file = checkMigrationSync('m.sql', text);
      assert.equal(file.noTransaction?.tool, tool);
      assert.deepEqual(codes(file), [], tool);
      assert.equal(file.statements.length, 1, `${tool}: only the up section runs`);
    }
  });

  test('directives are found indented, in any case, after CRLF line ends and after other comments', () => {
    const cases: [string, string][] = [
      ['-- a comment first\r\n\t-- MIGRATE:UP transaction:false\r\nCREATE INDEX CONCURRENTLY i ON t (x);\r\n  -- migrate:down\r\nDROP INDEX i;\r\n', 'dbmate'],
      ['-- notes\n   --  +Goose no transaction\n--+goose up\nCREATE INDEX CONCURRENTLY i ON t (x);\n--+goose down\nDROP INDEX i;', 'goose'],
      ['  --! no-transaction\nCREATE INDEX CONCURRENTLY i ON t (x);', 'graphile-migrate'],
    ];
    for (const [text, tool] of cases) {
      const file = checkMigrationSync('m.sql', text);
      assert.equal(file.noTransaction?.tool, tool);
      assert.equal(file.statements.length, 1, `${tool}: only the up section runs`);
    }
    // Words like the directives' elsewhere are not directives: the file runs whole, in a transaction.
    const plain = checkMigrationSync('m.sql', "-- this migration does not use goose or dbmate: migrate:down in prose\nSELECT '-- migrate:down';\nCREATE INDEX i ON t (x);");
    assert.equal(plain.noTransaction, null);
    assert.equal(plain.statements.length, 2);
  });

  test('goose StatementBegin/End around a function body is understood', () => {
    const file = checkMigrationSync('m.sql', '-- +goose Up\n-- +goose StatementBegin\nCREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  RETURN NEW;\nEND;\n$$;\n-- +goose StatementEnd\n\n-- +goose Down\nDROP FUNCTION f();\n');
    assert.deepEqual(codes(file), []);
    assert.deepEqual(file.statements.map((s) => s.kind), ['CREATE FUNCTION']);
  });

  test('declared objects are read from the parse tree: index, constraint, trigger, function', () => {
    const file = checkMigrationSync('m.sql', `
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS uq_m_session_order ON app.m (session_id, message_order) WHERE deleted_at IS NULL;
CREATE INDEX idx_p_data ON p USING gin (path_data jsonb_path_ops);
ALTER TABLE s ADD CONSTRAINT chk_s_status CHECK (status IN ('a', 'b')) NOT VALID;
ALTER TABLE s VALIDATE CONSTRAINT chk_s_status;
ALTER TABLE c ADD CONSTRAINT fk_c_user FOREIGN KEY (user_id) REFERENCES users (id);
CREATE FUNCTION touch(integer, text) RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER update_s_updated_at BEFORE INSERT OR UPDATE ON s FOR EACH ROW EXECUTE FUNCTION touch();`);
    const [uq, gin, chk, fk, fn, trg] = declarations(file);
    assert.deepEqual({ ...(uq as IndexDeclaration) }, {
      kind: 'index', definition: 'CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS uq_m_session_order ON app.m (session_id, message_order) WHERE deleted_at IS NULL',
      name: 'uq_m_session_order', schema: 'app', table: 'm', columns: ['session_id', 'message_order'], method: 'btree',
      opclasses: [null, null], predicate: 'deleted_at IS NULL', unique: true, concurrently: true, guarded: false,
    });
    assert.deepEqual((gin as IndexDeclaration).opclasses, ['jsonb_path_ops']);
    assert.equal((gin as IndexDeclaration).method, 'gin');
    assert.equal((chk as ConstraintDeclaration).expression, "status IN ('a', 'b')");
    assert.equal((chk as ConstraintDeclaration).notValid, true);
    assert.deepEqual((fk as ConstraintDeclaration).references, { table: 'users', schema: null, columns: ['id'] });
    assert.deepEqual(fn, { kind: 'function', name: 'touch', schema: null, args: ['int4', 'text'], language: 'plpgsql', returnsTrigger: true, procedure: false, guarded: false });
    assert.deepEqual({ ...(trg as TriggerDeclaration) }, { kind: 'trigger', name: 'update_s_updated_at', schema: null, table: 's', function: 'touch', timing: 'BEFORE', events: ['INSERT', 'UPDATE'], forEach: 'ROW', guarded: false });
    const validate = file.statements[3]!.effects[0];
    assert.deepEqual(validate, { action: 'validate', name: 'chk_s_status', table: 's' });
  });

  test('objects created inside DO blocks (plain or EXECUTE of a literal) are declared as guarded', () => {
    const file = checkMigrationSync('m.sql', "DO $$ BEGIN IF true THEN CREATE INDEX IF NOT EXISTS idx_a ON t (a); EXECUTE 'CREATE INDEX idx_b ON t (b)'; END IF; END $$;");
    assert.deepEqual(declarations(file).map((d) => [d.name, d.guarded]), [['idx_a', true], ['idx_b', true]]);
  });

  test('the five example migrations parse cleanly and declare what they create', () => {
    const parsed = exampleMigrations().map((f) => checkMigrationSync(f.path, f.text));
    assert.deepEqual(parsed.flatMap(codes), []);
    // Their tables come from schema.sql, so the plain CREATE INDEX builds are real lock findings.
    assert.ok(parsed.flatMap((f) => f.diagnostics).some((d) => d.ruleId === 'require-concurrent-index-creation' && d.file.endsWith('001_add_missing_indexes.sql')));
    const names = parsed.flatMap(declarations).map((d) => d.name);
    assert.ok(names.includes('uq_conversation_messages_session_id_message_order'));
    assert.ok(names.includes('chk_user_profiles_proficiency_level'));
    assert.ok(names.includes('update_lessons_updated_at'));
    assert.equal(names.length, 20);
  });

  test('a 10 MB file parses into all its statements', () => {
    const statement = "INSERT INTO t (id, note) VALUES (1, 'ünïcødé padding padding padding padding padding');\n";
    const count = Math.ceil((10 * 1024 * 1024) / Buffer.byteLength(statement));
    const file = checkMigrationSync('big.sql', statement.repeat(count));
    assert.equal(file.statements.length, count);
    const last = file.statements[count - 1]!;
    assert.deepEqual(last.range.start, { line: count, column: 1 });
    assert.equal(last.sql, statement.trim().replace(/;$/, ''));
  });

  test('splitStatements keeps comments with the statement they precede and semicolons inside bodies', () => {
    const chunks = splitStatements("-- first\nCREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1; $$;\n\n-- second ☃\nSELECT ';';\nSELECT 3");
    assert.deepEqual(chunks.map((c) => c.sql), [
      '-- first\nCREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1; $$;',
      "-- second ☃\nSELECT ';';",
      'SELECT 3',
    ]);
    assert.ok('CreateFunctionStmt' in chunks[0]!.node);
  });
});
