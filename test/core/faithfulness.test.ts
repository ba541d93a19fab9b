// A dry-run behaves exactly like the same files applied by psql in one transaction (`psql -1`):
// the same statements succeed, the same one fails with the same SQLSTATE, and the database is
// left as it was. Apply leaves the catalog exactly as psql -1 leaves it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pgBackend } from '../../src/core/db/pg/pgBackend';
import type { RunReport } from '../../src/core/model/report';
import { runMigrations, type MigrationFile } from '../../src/core/run/runner';
import { catalogSnapshot, describeEachServer, sql } from '../support/database';
import { psqlFiles } from '../support/psql';
import { scratchMigrations } from '../support/scratchMigrations';

const writeFiles = scratchMigrations('faithful');

/** The SQLSTATE psql reported (VERBOSITY=sqlstate prints just it), or null when it succeeded. */
function psqlSqlstate(stderr: string): string | null {
  return /ERROR:\s+([0-9A-Z]{5})/.exec(stderr)?.[1] ?? null;
}

interface Scenario {
  name: string;
  /** Committed before either side runs (the database the migrations meet). */
  setup?: string;
  files: Record<string, string>;
  /** What both must agree on, per server major version: null for success, else the SQLSTATE. */
  sqlstate: (major: number) => string | null;
}

const SCENARIOS: Scenario[] = [
  {
    name: 'an enum type created, extended and used by three files in one transaction',
    files: {
      '1.sql': "CREATE TYPE vis AS ENUM ('Public');\nCREATE TABLE c (id int, v vis);",
      '2.sql': "ALTER TYPE vis ADD VALUE 'Private';",
      '3.sql': "CREATE INDEX c_priv ON c (id) WHERE v = 'Private';",
    },
    // PostgreSQL 17 lets a transaction use a value it added to an enum type it also created.
    sqlstate: (major) => (major >= 17 ? null : '55P04'),
  },
  {
    name: 'a value added to an enum that existed before, used in the same transaction',
    setup: "CREATE TYPE vis AS ENUM ('Public'); CREATE TABLE c (id int, v vis);",
    files: {
      '1.sql': "ALTER TYPE vis ADD VALUE 'Private';",
      '2.sql': "CREATE INDEX c_priv ON c (id) WHERE v = 'Private';",
    },
    sqlstate: () => '55P04',
  },
  {
    name: 'a deferred foreign key that the migration leaves violated fails at COMMIT',
    files: {
      '1.sql': 'CREATE TABLE p (id int PRIMARY KEY);\nCREATE TABLE ch (p_id int REFERENCES p DEFERRABLE INITIALLY DEFERRED);\nINSERT INTO ch VALUES (1);',
    },
    sqlstate: () => '23503',
  },
  {
    name: 'a later statement sees rows, sequences and settings of earlier ones',
    files: {
      '1.sql': "CREATE SEQUENCE s;\nCREATE TABLE t (id int DEFAULT nextval('s'), note text);\nINSERT INTO t (note) VALUES ('a'), ('b');",
      '2.sql': "SET LOCAL search_path = public;\nALTER TABLE t ADD CONSTRAINT chk_t_id CHECK (id <= 2);\nINSERT INTO t (note) VALUES ('c');",
    },
    sqlstate: () => '23514',
  },
];

async function fresh(server: () => { url(db?: string): string; createDatabase(): Promise<string> }, setup?: string): Promise<string> {
  const url = server().url(await server().createDatabase());
  if (setup) await sql(url, setup);
  return url;
}

function dryRun(url: string, files: MigrationFile[], mode: 'dry-run' | 'apply' = 'dry-run'): Promise<RunReport> {
  return runMigrations(files, { mode, backend: pgBackend({ connectionString: url }) });
}

describeEachServer('dry-runs are faithful to psql -1', (server) => {
  for (const scenario of SCENARIOS) {
    test(`${scenario.name}: the same outcome in psql -1 and in a dry-run, and the dry-run leaves the database as it was`, async () => {
      const files = writeFiles(scenario.files, 'scenario');
      const psqlDb = await fresh(server, scenario.setup);
      const reference = await psqlFiles(psqlDb, files.map((f) => f.path), { singleTransaction: true, verbosity: 'sqlstate' });
      const expected = scenario.sqlstate(server().major);
      assert.equal(psqlSqlstate(reference.stderr), expected, `psql: ${reference.stderr}`);

      const dryDb = await fresh(server, scenario.setup);
      const before = await catalogSnapshot(dryDb);
      const report = await dryRun(dryDb, files);
      assert.equal(report.outcome, expected ? 'failed' : 'succeeded', JSON.stringify(report.error));
      assert.equal(report.error?.sqlstate ?? null, expected);
      assert.equal(await catalogSnapshot(dryDb), before, 'the dry-run changed the database');
    });
  }

  test('an enum value used in the same transaction that added it: the hint says this is a one-transaction artefact', async () => {
    const scenario = SCENARIOS[1]!;
    const url = await fresh(server, scenario.setup);
    const report = await dryRun(url, writeFiles(scenario.files, 'enum'));
    const failed = report.statements.find((s) => s.status === 'failed')!;
    assert.equal(failed.error!.sqlstate, '55P04');
    assert.equal(failed.index, 0);
    assert.match(failed.file, /2\.sql$/);
    assert.match(failed.error!.hint!, /artefact of running several migrations in one transaction/);
    assert.match(failed.error!.hint!, /migration tool commits each migration/);
  });

  test('after a failure the fix query sees the rows the earlier statements of the run wrote, and the database is unchanged', async () => {
    const url = await fresh(server, 'CREATE TABLE accounts (id int, email text);');
    const before = await catalogSnapshot(url);
    const report = await dryRun(url, writeFiles({
      '1.sql': "INSERT INTO accounts VALUES (1, 'a@x'), (2, 'a@x'), (3, 'b@x');",
      '2.sql': 'CREATE UNIQUE INDEX uq_accounts_email ON accounts (email);',
    }, 'fix'));
    const failed = report.statements.find((s) => s.status === 'failed')!;
    assert.equal(failed.error!.sqlstate, '23505');
    assert.deepEqual(failed.error!.fixRows!.map((r) => [r.email, Number(r.duplicates)]), [['a@x', 2]]);
    assert.deepEqual(await sql(url, 'SELECT count(*)::int AS n FROM accounts'), [{ n: 0 }]);
    assert.equal(await catalogSnapshot(url), before);
  });

  test('apply of a history leaves the catalog exactly as psql -1 applying the same files', async () => {
    const files = writeFiles({
      '1.sql': "CREATE TYPE vis AS ENUM ('Public', 'Private');\nCREATE TABLE c (id int PRIMARY KEY, v vis, note text);",
      '2.sql': 'CREATE INDEX idx_c_note ON c (lower(note) DESC NULLS LAST);\nALTER TABLE c ADD CONSTRAINT chk_c_id CHECK (id > 0) NOT VALID;\nALTER TABLE c VALIDATE CONSTRAINT chk_c_id;',
      '3.sql': "CREATE INDEX c_priv ON c (id) WHERE v = 'Private';\nALTER TABLE c RENAME COLUMN note TO body;\nALTER INDEX idx_c_note RENAME TO idx_c_body;",
    }, 'apply');
    const psqlDb = await fresh(server);
    const reference = await psqlFiles(psqlDb, files.map((f) => f.path), { singleTransaction: true, verbosity: 'sqlstate' });
    assert.equal(reference.code, 0, reference.stderr);
    const applyDb = await fresh(server);
    const report = await dryRun(applyDb, files, 'apply');
    assert.equal(report.outcome, 'succeeded', JSON.stringify(report.error ?? report.verification.filter((c) => c.status !== 'ok')));
    assert.equal(report.committed, true);
    assert.equal(await catalogSnapshot(applyDb), await catalogSnapshot(psqlDb));
  });
});
