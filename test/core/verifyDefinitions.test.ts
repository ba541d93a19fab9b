// Definitions as PostgreSQL prints them back mean what the files declared (cases from public
// histories: openmeter, convoy): an array's cast the server moves onto its elements, an IN list on a
// varchar column, a column written as an index expression, and a function in pg_temp (gone with the
// session that made it). The differences that are real stay mismatches.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { VerificationCheck } from '../../src/core/model/report';
import { describeEachServer } from '../support/database';
import { scratchMigrations } from '../support/scratchMigrations';
import { verifyBothWays } from '../support/verifyBothWays';

const writeFiles = scratchMigrations('verify-definitions');

function statuses(checks: VerificationCheck[]): Record<string, string> {
  return Object.fromEntries(checks.map((c) => [`${c.kind} ${c.name}`, `${c.status}: ${c.detail}`]));
}

describeEachServer('definitions as the server prints them', (server) => {
  test('casts the server moves, IN on varchar, a column in parentheses: ok in the dry-run and in verify', async () => {
    const { dry, verify, psql } = await verifyBothWays(server(), writeFiles({
      '1.sql': `CREATE TABLE r (id int8, status text, s varchar);
CREATE UNIQUE INDEX r_one ON r ((status)) WHERE status = 'running';
CREATE INDEX r_pending ON r (id) WHERE s IN ('pending', 'claimed');
CREATE INDEX r_text ON r (id) WHERE status IN ('pending', 'claimed');
ALTER TABLE r ADD CONSTRAINT r_s CHECK ((s IS NULL) OR ((s)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[])));
ALTER TABLE r ADD CONSTRAINT r_in CHECK (s IN ('a', 'b'));
`,
    }));
    assert.equal(psql.code, 0, psql.stderr);
    assert.equal(dry.outcome, 'succeeded', JSON.stringify(dry.error));
    for (const result of [statuses(dry.verification), statuses(verify.verification)]) {
      for (const name of ['index r_one', 'index r_pending', 'index r_text', 'constraint r_s', 'constraint r_in']) assert.match(result[name]!, /^ok: /, `${name}: ${result[name]}`);
    }
  });

  test('what really differs still does: another IN list, another column, an expression that is more than its column', async () => {
    const { dry, verify } = await verifyBothWays(server(), writeFiles({
      '1.sql': `CREATE TABLE r (id int8, status text, s varchar);
CREATE INDEX r_pending ON r (id) WHERE s IN ('pending', 'claimed');
CREATE INDEX r_one ON r ((status));
ALTER TABLE r ADD CONSTRAINT r_s CHECK (s::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[]));
`,
      '2.sql': `DROP INDEX r_pending;
CREATE INDEX IF NOT EXISTS r_one ON r ((lower(status)));
CREATE INDEX r_pending ON r (id) WHERE s IN ('pending', 'done');
ALTER TABLE r DROP CONSTRAINT r_s;
ALTER TABLE r ADD CONSTRAINT r_s CHECK (s::text = ANY ((ARRAY['a'::character varying, 'c'::character varying])::text[]));
`,
      '3.sql': `CREATE INDEX IF NOT EXISTS r_pending ON r (id) WHERE s IN ('pending', 'claimed');
CREATE INDEX IF NOT EXISTS r_one ON r (id);
`,
    }));
    for (const result of [dry.verification, verify.verification]) {
      const later = result.filter((c) => c.file.endsWith('3.sql'));
      assert.deepEqual(later.map((c) => `${c.name} ${c.status}`), ['r_pending mismatch', 'r_one mismatch']);
      assert.match(later[0]!.detail, /predicate is .*'done'/);
      assert.match(later[1]!.detail, /columns are \(status\), declared \(id\)/);
    }
  });

  test('a function in pg_temp is not checked: it goes with the session that made it', async () => {
    const { dry, verify, psql } = await verifyBothWays(server(), writeFiles({
      '1.sql': 'CREATE FUNCTION pg_temp.helper() RETURNS int AS $$ SELECT 1 $$ LANGUAGE sql;\nSELECT pg_temp.helper();\nCREATE FUNCTION kept() RETURNS int AS $$ SELECT 1 $$ LANGUAGE sql;\n',
    }));
    assert.equal(psql.code, 0, psql.stderr);
    for (const result of [dry.verification, verify.verification]) {
      assert.deepEqual(result.map((c) => `${c.kind} ${c.name} ${c.status}`), ['function kept ok']);
    }
  });

  test('COLLATE on an index column that collates so already (supabase storage): the server leaves it out, and it is ok; another collation is not', async () => {
    const { dry, verify, psql } = await verifyBothWays(server(), writeFiles({
      '1.sql': 'CREATE TABLE o (name text COLLATE "C", b text);\nCREATE INDEX o_name ON o (name COLLATE "C");\nCREATE INDEX o_b ON o (b COLLATE "C");\n'
        + 'CREATE INDEX o_paren ON o (b, (name COLLATE "C"));\nCREATE INDEX o_lower ON o (b, (lower(name) COLLATE "C"));\nCREATE INDEX o_lower_c ON o (b, (lower(name) COLLATE "C"));\n',
      '2.sql': 'CREATE INDEX IF NOT EXISTS o_b ON o (b);\nCREATE INDEX IF NOT EXISTS o_lower ON o (b, (lower(name) COLLATE "POSIX"));\n',
    }));
    assert.equal(psql.code, 0, psql.stderr);
    for (const result of [dry.verification, verify.verification]) {
      assert.deepEqual(result.map((c) => `${c.name} ${c.status}`), ['o_name ok', 'o_paren ok', 'o_lower_c ok', 'o_b mismatch', 'o_lower mismatch'], JSON.stringify(result));
      assert.match(result[3]!.detail, /collates C, declared by default/);
      assert.match(result[4]!.detail, /column 2 collates by default, declared POSIX/);
    }
  });

  test('a constraint PostgreSQL names itself after SQL built at run time dropped the one holding that name (supabase storage 0048): found under the freed name, as the dry-run measures', async () => {
    const { dry, verify, psql } = await verifyBothWays(server(), writeFiles({
      '1.sql': 'CREATE TABLE ba (id text PRIMARY KEY);\n',
      '2.sql': `DO $$ DECLARE q text; BEGIN
  SELECT 'ALTER TABLE ba DROP CONSTRAINT ' || constraint_name INTO q FROM information_schema.table_constraints WHERE table_name = 'ba' AND constraint_type = 'PRIMARY KEY';
  EXECUTE q;
  ALTER TABLE ba ADD COLUMN uid int NOT NULL DEFAULT 1;
  ALTER TABLE ba ADD PRIMARY KEY (uid);
END $$;
`,
    }));
    assert.equal(psql.code, 0, psql.stderr);
    const pkey = verify.verification.filter((c) => c.file.endsWith('2.sql'));
    assert.deepEqual(pkey.map((c) => [c.status, c.currentName]), [['ok', undefined]], JSON.stringify(verify.verification));
    assert.match(pkey[0]!.detail, /^named ba_pkey: .*2\.sql:1 ran SQL built at run time before it, which freed that name; PRIMARY KEY \(uid\)/);
    assert.deepEqual(dry.verification.filter((c) => c.file.endsWith('2.sql')).map((c) => c.status), ['ok']);
    // Without SQL built at run time the name is known, and a missing one is missing.
    const plain = await verifyBothWays(server(), writeFiles({ '1.sql': 'CREATE TABLE bb (id text CONSTRAINT bb_pkey PRIMARY KEY);\nALTER TABLE bb DROP CONSTRAINT bb_pkey;\nALTER TABLE bb ADD PRIMARY KEY (id);\n' }));
    assert.deepEqual(plain.verify.verification.map((c) => `${c.name} ${c.status}`), ['bb_pkey dropped', 'bb_pkey ok']);
  });

  test('an unqualified DROP INDEX IF EXISTS before the index is made in the schema the session\'s search_path names (supabase storage 0038): not "still exists"', async () => {
    const setup = "CREATE SCHEMA storage;\nDO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET search_path = storage, public', current_database()); END $$;";
    const { dry, verify, psql } = await verifyBothWays(server(), writeFiles({
      '1.sql': 'DO $$\nBEGIN\n  CREATE TABLE IF NOT EXISTS storage.tt (a int, n text);\n  DROP INDEX IF EXISTS idx_tt;\n  CREATE UNIQUE INDEX idx_tt ON storage.tt (a, n);\nEND $$;\n',
    }), setup);
    assert.equal(psql.code, 0, psql.stderr);
    for (const result of [dry.verification, verify.verification]) {
      assert.deepEqual(result.filter((c) => c.status !== 'ok').map((c) => `${c.name} ${c.status}: ${c.detail}`), []);
      assert.ok(result.some((c) => c.name === 'idx_tt' && c.status === 'ok'), JSON.stringify(result));
    }
  });

  test('a trigger declared again with CREATE OR REPLACE TRIGGER is checked as the last declaration left it (supabase storage 0042): the function the last one calls', async () => {
    const functions = 'CREATE TABLE o (a int);\nCREATE FUNCTION f1() RETURNS trigger LANGUAGE plpgsql AS $f$ BEGIN RETURN NEW; END $f$;\nCREATE FUNCTION f2() RETURNS trigger LANGUAGE plpgsql AS $f$ BEGIN RETURN NEW; END $f$;\n';
    const { dry, verify, psql } = await verifyBothWays(server(), writeFiles({
      '1.sql': `${functions}CREATE OR REPLACE TRIGGER t_o BEFORE UPDATE ON o FOR EACH ROW EXECUTE FUNCTION f1();\nCREATE OR REPLACE TRIGGER t_o BEFORE UPDATE ON o FOR EACH ROW WHEN (NEW.a <> OLD.a) EXECUTE FUNCTION f2();\n`,
    }));
    assert.equal(psql.code, 0, psql.stderr);
    for (const result of [dry.verification, verify.verification]) {
      assert.deepEqual(result.filter((c) => c.kind === 'trigger').map((c) => `${c.name} ${c.status}`), ['t_o ok'], JSON.stringify(result));
    }
  });
});
