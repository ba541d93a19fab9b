// Each runner's no-transaction directive, read as the runner itself reads it: what counts (its own
// spelling, where it looks), and what must not (a variant the runner ignores leaves its migration
// in a transaction, where CONCURRENTLY fails; Drydock must then still say so). The sources: goose's
// sqlparser (annotations compared in any case since 3.19), postgres-migrations' String.includes,
// sqlx's starts_with, Atlas's file header, tern's multi-line regexp, sql-migrate's field split,
// dbmate's up-marker option, Flyway's PostgreSQL parser.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { readDirectives } from '../../src/core/parse/directives';
import { flywayDetectedNoTransaction, flywayRunsOutsideTransaction } from '../../src/core/parse/flywayDetection';
import { applyEdits } from '../../src/core/rules/fixes/edits';
import { findingsOf } from './rules/expect';

const CIC = 'CREATE INDEX CONCURRENTLY i ON t (x);';

/** Per runner: files the runner runs outside a transaction (with the directive's line), and files it does not. */
const CASES: Record<string, { outside: [string, number][]; inside: string[] }> = {
  dbmate: {
    outside: [
      [`-- migrate:up transaction:false\n${CIC}\n-- migrate:down\nDROP INDEX i;`, 1],
      [`-- notes\n-- migrate:up   transaction:false\n${CIC}\n`, 2],
    ],
    inside: [
      `-- migrate:up\n${CIC}\n-- migrate:down transaction:false\nDROP INDEX CONCURRENTLY i;`,
      `-- transaction:false\n${CIC}`,
    ],
  },
  goose: {
    outside: [
      [`-- +goose NO TRANSACTION\n-- +goose Up\n${CIC}`, 1],
      // goose 3.19 and later compare the annotation in any case.
      [`-- +goose no transaction\n-- +goose Up\n${CIC}`, 1],
      [`--+goose   NO TRANSACTION  \n-- +goose Up\n${CIC}`, 1],
      // Read for the whole file, from the down section too.
      [`-- +goose Up\n${CIC}\n-- +goose Down\n-- +goose NO TRANSACTION\nDROP INDEX i;`, 4],
    ],
    inside: [
      `-- +goose NO  TRANSACTION\n-- +goose Up\n${CIC}`,
      `-- +goose NOTRANSACTION\n-- +goose Up\n${CIC}`,
      `-- goose NO TRANSACTION\n-- +goose Up\n${CIC}`,
      `-- +goose Up\nSELECT 1; -- +goose NO TRANSACTION\n${CIC}`,
    ],
  },
  'sql-migrate': {
    outside: [
      [`-- +migrate Up notransaction\n${CIC}\n-- +migrate Down\nDROP INDEX i;`, 1],
      // The command's fields split at any blanks; the option may stand among others.
      [`-- +migrate   Up\tother notransaction\n${CIC}`, 1],
      [`-- +migrate Up notransaction\r\n${CIC}\r\n`, 1],
    ],
    inside: [
      `-- +migrate Up\n${CIC}\n-- +migrate Down notransaction\nDROP INDEX CONCURRENTLY i;`,
      `-- +migrate up notransaction\n${CIC}`,
      `-- +migrate Up notransactions\n${CIC}`,
      // sql-migrate matches its prefix from the line's first byte.
      `  -- +migrate Up notransaction\n${CIC}`,
      `--  +migrate Up notransaction\n${CIC}`,
    ],
  },
  tern: {
    outside: [
      [`---- tern: disable-tx ----\n${CIC}\n---- create above / drop below ----\nDROP INDEX i;`, 1],
      // Anywhere in the file, for the whole file.
      [`${CIC}\n---- create above / drop below ----\n---- tern: disable-tx ----\nDROP INDEX i;`, 3],
    ],
    inside: [
      `-- tern: disable-tx\n${CIC}`,
      `  ---- tern: disable-tx ----\n${CIC}`,
      `---- tern: disable-tx ---- \n${CIC}`,
      // Its (?m)$ ends a line at \n only: a CRLF line keeps its \r and does not match.
      `---- tern: disable-tx ----\r\n${CIC}\r\n`,
    ],
  },
  'postgres-migrations': {
    outside: [
      [`-- postgres-migrations disable-transaction\n${CIC}`, 1],
      [`-- a comment\n${CIC}\n-- postgres-migrations disable-transaction\n`, 3],
      // It looks for the phrase anywhere in the text, so after a statement too.
      [`${CIC} -- postgres-migrations disable-transaction\n`, 1],
    ],
    inside: [
      `--  postgres-migrations  disable-transaction\n${CIC}`,
      `-- Postgres-Migrations disable-transaction\n${CIC}`,
      `-- postgres-migrations disable transaction\n${CIC}`,
      `--postgres-migrations disable-transaction\n${CIC}`,
    ],
  },
  atlas: {
    outside: [
      [`-- atlas:txmode none\n\n${CIC}`, 1],
      [`-- atlas:nolint\n-- atlas:txmode none\n\n${CIC}`, 2],
    ],
    inside: [
      // No empty line after it: not a header, so no directive.
      `-- atlas:txmode none\n${CIC}`,
      `${CIC}\n\n-- atlas:txmode none\n\nSELECT 1;`,
      `-- atlas:txmode file\n\n${CIC}`,
    ],
  },
  sqlx: {
    outside: [
      [`-- no-transaction\n${CIC}`, 1],
    ],
    inside: [
      `-- a comment first\n-- no-transaction\n${CIC}`,
      `--no-transaction\n${CIC}`,
      ` -- no-transaction\n${CIC}`,
    ],
  },
  'graphile-migrate': {
    outside: [[`--! no-transaction\n${CIC}`, 1]],
    inside: [`-- ! no-transaction\n${CIC}`],
  },
  drydock: {
    outside: [[`-- drydock:no-transaction\n${CIC}`, 1]],
    inside: [`-- drydock no-transaction\n${CIC}`],
  },
};

describe('no-transaction directives, per runner', () => {
  for (const [tool, { outside, inside }] of Object.entries(CASES)) {
    test(`${tool}: its own spelling counts, where it looks`, () => {
      for (const [text, line] of outside) assert.deepEqual(readDirectives(text).noTransaction, { tool, line }, JSON.stringify(text));
    });
    test(`${tool}: what it does not read is no directive`, () => {
      for (const text of inside) assert.equal(readDirectives(text).noTransaction, null, JSON.stringify(text));
    });
  }

  test('Flyway: no directive, its parser detects the statements PostgreSQL refuses in a transaction', () => {
    for (const text of [`${CIC}\n`, 'create   unique index\n concurrently i ON t (x);', '/* first */ DROP INDEX CONCURRENTLY i;', 'SELECT 1;\nVACUUM t;']) {
      assert.equal(flywayRunsOutsideTransaction('db/migration/V2__index.sql', text), true, text);
    }
    for (const [file, text] of [
      ['db/migration/V2__index.sql', 'REINDEX INDEX CONCURRENTLY i;'],
      ['db/migration/V2__index.sql', 'ALTER TABLE p DETACH PARTITION p1 CONCURRENTLY;'],
      ['db/migration/V2__index.sql', `-- ${CIC}\nSELECT '${CIC}';`],
      ['db/migration/V2__index.sql', `DO $$ BEGIN EXECUTE '${CIC}'; END $$;`],
      ['db/migration/002_index.sql', CIC],
    ] as const) assert.equal(flywayRunsOutsideTransaction(file, text), false, `${file}: ${text}`);
    assert.deepEqual(flywayDetectedNoTransaction('V3__x.sql', [{ sql: 'SELECT 1', range: { start: { line: 1 } } }, { sql: CIC, range: { start: { line: 2 } } }]),
      { tool: 'flyway', line: 2, detected: 'INDEX CONCURRENTLY' });
  });
});

describe('postgres-migrations directive in the rules (issue 19, D3)', () => {
  test('a file with its directive is judged to run outside a transaction: no CONCURRENTLY-in-a-transaction error, no directive asked for', async () => {
    for (const mode of [undefined, 'apply', 'dry-run'] as const) {
      const found = await findingsOf(`-- postgres-migrations disable-transaction\n${CIC}\n`, mode ? { mode } : {});
      const ids = found.map((f) => f.ruleId);
      assert.ok(!ids.includes('ban-concurrent-index-creation-in-transaction'), `${mode}: ${ids.join(', ')}`);
      assert.ok(!ids.includes('needs-no-transaction'), `${mode}: ${ids.join(', ')}`);
    }
  });

  test('a variant it does not read leaves the error, and the message names the folder\'s tool\'s own directive', async () => {
    const found = await findingsOf(`-- file: 0001-a.sql\n-- postgres-migrations disable-transaction\n${CIC}\n-- file: 0002-b.sql\n--  postgres-migrations  disable-transaction\n${CIC.replace(' i ', ' j ')}\n`, { mode: 'apply' });
    assert.deepEqual(found.filter((f) => f.ruleId === 'needs-no-transaction').map((f) => f.file), ['0002-b.sql']);
    const finding = found.find((f) => f.ruleId === 'needs-no-transaction')!;
    assert.match(finding.message, /postgres-migrations' `-- postgres-migrations disable-transaction`/);
    assert.doesNotMatch(finding.message, /drydock:no-transaction/);
  });

  test('in a postgres-migrations folder, the CONCURRENTLY fix writes its directive, not Drydock\'s', async () => {
    const sql = `-- file: 0001-index.sql\n-- postgres-migrations disable-transaction\n${CIC}\n-- file: 0002-index.sql\nCREATE INDEX j ON t (y);\n`;
    const finding = (await findingsOf(sql)).find((f) => f.ruleId === 'require-concurrent-index-creation' && f.file === '0002-index.sql');
    assert.ok(finding?.fix, 'a fix for the plain CREATE INDEX');
    const fixed = applyEdits('CREATE INDEX j ON t (y);\n', finding.fix.edits.map((e) => ({ ...e })));
    assert.equal(fixed, '-- postgres-migrations disable-transaction\nCREATE INDEX CONCURRENTLY IF NOT EXISTS j ON t (y);\n');
  });
});
