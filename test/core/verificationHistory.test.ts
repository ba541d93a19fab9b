// Verification follows what the files really did: an object a later statement dropped (with its
// table, its column, by CASCADE) is reported dropped, one renamed is verified under its new name,
// one PostgreSQL named itself under the name it got — never `missing` — while the true problems
// stay problems. Each scenario is checked twice: in a dry-run (measured by OID as the statements
// run) and by `verify` of a database psql built from the same files (predicted from the files).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pgBackend } from '../../src/core/db/pg/pgBackend';
import type { VerificationCheck } from '../../src/core/model/report';
import { runMigrations } from '../../src/core/run/runner';
import { describeEachServer, sql } from '../support/database';
import { psqlFiles } from '../support/psql';
import { scratchMigrations } from '../support/scratchMigrations';
import { verifyBothWays } from '../support/verifyBothWays';
import type { ThrowawayPostgres } from '../support/throwawayPostgres';

const writeFiles = scratchMigrations('verify');

type Summary = Record<string, string>;

/** name → "status: detail" for each check. */
function summary(checks: VerificationCheck[]): Summary {
  return Object.fromEntries(checks.map((c) => [`${c.kind} ${c.name}`, `${c.status}: ${c.detail}`]));
}

/**
 * The verification of the files, dry-run (measured) and verify after psql -1 (predicted); both
 * must agree on every status unless `agree` is false (what only a run can measure).
 */
async function bothWays(server: ThrowawayPostgres, files: Record<string, string>, setup?: string, agree = true): Promise<{ dry: Summary; verify: Summary; checks: VerificationCheck[][] }> {
  const { dry, verify, psql } = await verifyBothWays(server, writeFiles(files), setup);
  assert.equal(psql.code, 0, psql.stderr);
  assert.deepEqual(verify.statements, []);
  const statuses = (s: Summary) => Object.fromEntries(Object.entries(s).map(([k, v]) => [k, v.split(':')[0]]));
  // The summaries keep one check per kind and name; `checks` has them all (two objects may share a name).
  const result = { dry: summary(dry.verification), verify: summary(verify.verification), checks: [dry.verification, verify.verification] };
  if (agree) assert.deepEqual(statuses(result.dry), statuses(result.verify), 'the dry-run and verify disagree');
  return result;
}

describeEachServer('verification follows the history', (server) => {
  test('an index renamed, then dropped by its new name, is dropped by the DROP, not by the rename', async () => {
    const { dry, verify } = await bothWays(server(), {
      '1.sql': 'CREATE TABLE rd (x int);\nCREATE INDEX rd_x ON rd (x);\nALTER INDEX rd_x RENAME TO rd_x2;\nCREATE INDEX rd_y ON rd (x);\nDROP INDEX rd_x2;',
    });
    for (const result of [dry, verify]) {
      assert.match(result['index rd_x']!, /^dropped: dropped by .*1\.sql:5/);
      assert.match(result['index rd_y']!, /^ok: /);
    }
  });

  test('what ROLLBACK TO SAVEPOINT undoes is dropped by it, not missing; what a RELEASE keeps stays', async () => {
    const { dry, verify } = await bothWays(server(), {
      '1.sql': 'CREATE TABLE sp (id int, x int);\nSAVEPOINT a;\nCREATE INDEX sp_x ON sp (x);\nALTER TABLE sp ADD CONSTRAINT sp_pos CHECK (x > 0);\nROLLBACK TO SAVEPOINT a;\n'
        + 'SAVEPOINT b;\nCREATE INDEX sp_id ON sp (id);\nRELEASE SAVEPOINT b;',
    });
    for (const result of [dry, verify]) {
      assert.match(result['index sp_x']!, /^dropped: dropped by .*1\.sql:5/);
      assert.match(result['constraint sp_pos']!, /^dropped: dropped by .*1\.sql:5/);
      assert.match(result['index sp_id']!, /^ok: /);
    }
  });

  test('an index on a table the same file drops is dropped with it, not missing', async () => {
    const { dry, verify } = await bothWays(server(), {
      '1.sql': 'CREATE TABLE s (id int CONSTRAINT s_pkey PRIMARY KEY, x int);\nCREATE INDEX s_x ON s (x);\nDROP TABLE s;',
    });
    for (const result of [dry, verify]) {
      assert.match(result['index s_x']!, /^dropped: dropped by .*1\.sql:3/);
      assert.match(result['constraint s_pkey']!, /^dropped: /);
    }
    assert.match(verify['index s_x']!, /with its table s/);
  });

  test('objects dropped by a later file: with their table, their column, or by DROP FUNCTION … CASCADE', async () => {
    const { dry, verify } = await bothWays(server(), {
      '012.sql': `CREATE TABLE t (id int, a int, b int);
CREATE INDEX idx_t_a ON t (a);
CREATE INDEX idx_t_lower_b ON t ((b + 1));
ALTER TABLE t ADD CONSTRAINT chk_t_b CHECK (b > 0);
CREATE TABLE gone (id int);
CREATE INDEX idx_gone_id ON gone (id);
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER trg_t_touch BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION touch();`,
      '080.sql': 'DROP TABLE gone;\nALTER TABLE t DROP COLUMN b;\nDROP FUNCTION touch() CASCADE;',
    });
    for (const result of [dry, verify]) {
      assert.match(result['index idx_t_a']!, /^ok: /);
      assert.match(result['index idx_gone_id']!, /^dropped: dropped by .*080\.sql:1/);
      assert.match(result['index idx_t_lower_b']!, /^dropped: dropped by .*080\.sql:2/);
      assert.match(result['constraint chk_t_b']!, /^dropped: dropped by .*080\.sql:2/);
      assert.match(result['trigger trg_t_touch']!, /^dropped: dropped by .*080\.sql:3/);
      assert.match(result['function touch']!, /^dropped: /);
    }
    assert.match(verify['index idx_t_lower_b']!, /with column b/);
    assert.match(verify['trigger trg_t_touch']!, /DROP FUNCTION touch CASCADE/);
  });

  test('renames: a renamed column keeps its index and CHECK verified, ALTER INDEX … RENAME renames the constraint too', async () => {
    const { dry, verify } = await bothWays(server(), {
      '1.sql': `CREATE TABLE p (id int, user_id int, note text);
CREATE INDEX idx_p_user ON p (user_id);
ALTER TABLE p ADD CONSTRAINT chk_p_user CHECK (user_id > 0);
ALTER TABLE p ADD CONSTRAINT uq_p_user UNIQUE (user_id, id);`,
      '2.sql': 'ALTER TABLE p RENAME COLUMN user_id TO person_id;\nALTER INDEX idx_p_user RENAME TO idx_p_person;\nALTER INDEX uq_p_user RENAME TO uq_p_person;\nALTER TABLE p RENAME TO q;',
    });
    for (const result of [dry, verify]) {
      assert.match(result['index idx_p_user']!, /^ok: renamed to idx_p_person by .*2\.sql:2; btree index on q \(person_id\)/);
      assert.match(result['constraint chk_p_user']!, /^ok: CHECK \(person_id > 0\)/);
      assert.match(result["constraint uq_p_user"]!, /^ok: renamed to uq_p_person by .*2\.sql:3( \(with its index\))?; UNIQUE \(person_id, id\)/);
    }
  });

  test('a column renamed, then dropped: its index is dropped by the DROP COLUMN, the others stay ok', async () => {
    // RENAME COLUMN renames no index, constraint or trigger: the run does not measure around it,
    // and must still attribute what the later DROP COLUMN drops.
    const { dry, verify } = await bothWays(server(), {
      '1.sql': 'CREATE TABLE r (id int PRIMARY KEY, a int, c int);\nCREATE INDEX idx_r_a ON r (a);\nCREATE INDEX idx_r_c ON r (c);\nALTER TABLE r ADD CONSTRAINT chk_r_a CHECK (a > 0);',
      '2.sql': 'ALTER TABLE r RENAME COLUMN a TO b;\nALTER TABLE r RENAME COLUMN c TO d;\nALTER TABLE r DROP COLUMN b;',
    });
    for (const result of [dry, verify]) {
      assert.match(result['index idx_r_a']!, /^dropped: .*dropped by .*2\.sql:3/);
      assert.match(result['constraint chk_r_a']!, /^dropped: .*dropped by .*2\.sql:3/);
      assert.match(result['index idx_r_c']!, /^ok: btree index on r \(d\)/);
    }
  });

  test('DROP CONSTRAINT drops that constraint (and its index), whether named in the file or by PostgreSQL, and nothing else', async () => {
    const { dry, verify } = await bothWays(server(), {
      '1.sql': `CREATE TABLE owner (id int PRIMARY KEY);
CREATE TABLE pet (id int, owner_id int, tag text, weight int);
ALTER TABLE pet ADD CONSTRAINT fk_pet_owner FOREIGN KEY (owner_id) REFERENCES owner (id);
ALTER TABLE pet ADD CONSTRAINT uq_pet_tag UNIQUE (tag);
ALTER TABLE pet ADD CHECK (weight > 0);
ALTER TABLE pet ADD CONSTRAINT chk_pet_id CHECK (id > 0);
CREATE INDEX idx_pet_owner ON pet (owner_id);
CREATE UNIQUE INDEX idx_pet_id ON pet (id);
ALTER TABLE pet ADD CONSTRAINT uq_pet_id UNIQUE USING INDEX idx_pet_id;`,
      '2.sql': 'ALTER TABLE pet DROP CONSTRAINT fk_pet_owner;\nALTER TABLE pet DROP CONSTRAINT pet_weight_check, ADD COLUMN born date;\nALTER TABLE pet DROP CONSTRAINT uq_pet_tag;\nALTER TABLE pet DROP CONSTRAINT uq_pet_id;',
    });
    for (const result of [dry, verify]) {
      assert.match(result['constraint fk_pet_owner']!, /^dropped: .*2\.sql:1/);
      assert.match(result['constraint pet_weight_check']!, /^dropped: .*2\.sql:2/);
      assert.match(result['constraint uq_pet_tag']!, /^dropped: .*2\.sql:3/);
      assert.match(result['constraint uq_pet_id']!, /^dropped: .*2\.sql:4/);
      assert.match(result['constraint chk_pet_id']!, /^ok: CHECK \(id > 0\)/);
      assert.match(result['index idx_pet_owner']!, /^ok: btree index on pet \(owner_id\)/);
    }
  });

  test('an unnamed CHECK that replaces one of the same name is verified under the name PostgreSQL gave it', async () => {
    const { dry, verify } = await bothWays(server(), {
      '1.sql': 'CREATE TABLE rc (a int, b int);\nALTER TABLE rc ADD CONSTRAINT rc_check CHECK (num_nonnulls(a, b) >= 1);',
      '2.sql': 'ALTER TABLE rc DROP CONSTRAINT rc_check, ADD CHECK (num_nonnulls(a, b) = 1);\nALTER TABLE rc ADD CHECK (a > 0);',
    });
    for (const result of [dry, verify]) {
      assert.match(result['constraint rc_check']!, /^(dropped|ok): /);
      assert.ok(!Object.values(result).some((v) => /^(missing|mismatch)/.test(v)), JSON.stringify(result));
      assert.match(result['constraint rc_a_check']!, /^ok: CHECK \(a > 0\)/);
    }
    const names = Object.keys(dry).filter((k) => k.startsWith('constraint rc_check'));
    assert.equal(names.length, 1);
  });

  test('index comparison: DESC, NULLS LAST, COLLATE, schema-qualified functions and casts as PostgreSQL prints them', async () => {
    const { dry, verify } = await bothWays(server(), {
      '1.sql': `CREATE FUNCTION public.f(numeric) RETURNS numeric LANGUAGE sql IMMUTABLE AS 'SELECT $1';
CREATE TABLE sc (id int, score int, name text, created timestamptz);
CREATE INDEX idx_sc_f ON sc (public.f(score) DESC NULLS LAST);
CREATE INDEX idx_sc_name ON sc (name COLLATE "C", lower(name) DESC);
CREATE INDEX idx_sc_created ON sc (created DESC) INCLUDE (id) WHERE score > 0;
CREATE INDEX idx_sc_nulls ON sc (id NULLS FIRST);`,
    });
    for (const result of [dry, verify]) {
      for (const name of ['idx_sc_f', 'idx_sc_name', 'idx_sc_created', 'idx_sc_nulls']) assert.match(result[`index ${name}`]!, /^ok: /, name);
    }
  });

  test('true positives stay: IF NOT EXISTS that did nothing, a direction that differs, a trigger disabled later, a NOT VALID constraint the file validates', async () => {
    const { dry, verify } = await bothWays(server(), {
      '1.sql': `CREATE INDEX IF NOT EXISTS idx_tp ON tp (b);
CREATE INDEX IF NOT EXISTS idx_tp_desc ON tp (a);
CREATE FUNCTION tp_touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER trg_tp BEFORE UPDATE ON tp FOR EACH ROW EXECUTE FUNCTION tp_touch();
ALTER TABLE tp DISABLE TRIGGER trg_tp;`,
    }, 'CREATE TABLE tp (a int, b int); CREATE INDEX idx_tp ON tp (a); CREATE INDEX idx_tp_desc ON tp (a DESC);');
    for (const result of [dry, verify]) {
      assert.match(result['index idx_tp']!, /^mismatch: .*columns are \(a\), declared \(b\)/);
      assert.match(result['index idx_tp_desc']!, /^mismatch: .*column 1 sorts DESC NULLS FIRST, declared ASC NULLS LAST/);
      assert.match(result['trigger trg_tp']!, /^disabled: /);
    }
  });

  test('a name dropped, then created again by a later file, by name (on any table, for an index) or by PostgreSQL for an unnamed index (crates.io, harbor)', async () => {
    const files = {
      // A DROP INDEX IF EXISTS of an index that does not exist yet; a later file creates it.
      '1.sql': 'CREATE TABLE users (id int, gh_login text);\nDROP INDEX IF EXISTS lower_gh_login;',
      '2.sql': 'CREATE INDEX lower_gh_login ON users (lower(gh_login));',
      // An unnamed index dropped by the name PostgreSQL gave it, then an unnamed one that gets that name again.
      '3.sql': 'CREATE TABLE api_tokens (id int, token text);\nCREATE INDEX ON api_tokens (token);',
      '4.sql': 'DROP INDEX api_tokens_token_idx;',
      '5.sql': 'CREATE UNIQUE INDEX ON api_tokens (token);',
      // An index dropped, then its name given to an index on another table (harbor's idx_status).
      '6.sql': 'CREATE TABLE scan_job (status int);\nCREATE INDEX idx_status ON scan_job (status);\nDROP INDEX IF EXISTS idx_status;',
      '7.sql': 'CREATE TABLE blob (status int);\nCREATE INDEX IF NOT EXISTS idx_status ON blob (status);',
    };
    const { dry, verify, checks } = await bothWays(server(), files);
    for (const all of checks) assert.deepEqual(all.filter((c) => c.status === 'missing' || c.status === 'mismatch'), []);
    for (const result of [dry, verify]) {
      assert.match(result['index lower_gh_login']!, /^ok: /);
      assert.match(result['index idx_status']!, /^(ok|dropped): /);
    }
  });

  test('a dropped name stays checked when no later index can take it: an index re-created by hand is reported', async () => {
    const migrations = writeFiles({
      '1.sql': 'CREATE TABLE hand (id int, c int);\nCREATE TABLE other (c int);\nCREATE INDEX ON hand (c);',
      '2.sql': 'DROP INDEX hand_c_idx;\nCREATE INDEX ON other (c);\nCREATE INDEX ON hand (id);',
    });
    const db = server().url(await server().createDatabase());
    const built = await psqlFiles(db, migrations.map((m) => m.path), { singleTransaction: true });
    assert.equal(built.code, 0, built.stderr);
    await sql(db, 'CREATE INDEX hand_c_idx ON hand (c)');
    const verify = await runMigrations(migrations, { mode: 'verify', backend: pgBackend({ connectionString: db }) });
    assert.match(summary(verify.verification)['index hand_c_idx']!, /^mismatch: still exists although the file drops/);
  });

  test('an object dropped by SQL built at run time: measured in a dry-run, not called missing by verify', async () => {
    const { dry, verify } = await bothWays(server(), {
      '1.sql': 'CREATE TABLE dyn (id int);\nCREATE INDEX idx_dyn_id ON dyn (id);',
      '2.sql': "DO $$ BEGIN EXECUTE format('DROP INDEX %I', 'idx_dyn_id'); END $$;",
    }, undefined, false);
    assert.match(dry['index idx_dyn_id']!, /^dropped: dropped by .*2\.sql:1/);
    assert.match(verify['index idx_dyn_id']!, /runs SQL built at run time/);
  });


  test('dropped by SQL built at run time, and a later object proves that SQL ran here: verify says dropped, as the dry-run measures', async () => {
    // convoy 1787188800: a DO block EXECUTEs the drops of CHECK constraints by names from a VALUES list.
    const { dry, verify } = await bothWays(server(), {
      '1.sql': 'CREATE TABLE ep (name text);\nALTER TABLE ep ADD CONSTRAINT name_not_null CHECK (name IS NOT NULL);',
      '2.sql': "DO $$ DECLARE c text; BEGIN FOR c IN SELECT * FROM (VALUES ('name_not_null')) t LOOP EXECUTE format('ALTER TABLE ep DROP CONSTRAINT %I', c); END LOOP; END $$;",
      '3.sql': 'CREATE INDEX ep_name ON ep (name);',
    });
    assert.match(dry['constraint name_not_null']!, /^dropped: dropped by .*2\.sql:1/);
    assert.match(verify['constraint name_not_null']!, /^dropped: dropped or renamed by SQL that .*2\.sql:1 built at run time from text naming it: .*index ep_name, declared after it, exists/);
  });

  test('overloads are two functions: DROP FUNCTION of one argument list leaves the other (Supabase Storage 0050), however the types are spelled', async () => {
    const { dry, verify, checks: both } = await bothWays(server(), {
      '1.sql': 'CREATE FUNCTION search(p text, l int DEFAULT 100) RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;\n'
        + 'CREATE FUNCTION search(p text, l int DEFAULT 100, o int DEFAULT 0, s text DEFAULT \'\') RETURNS int LANGUAGE sql AS $$ SELECT 2 $$;\n'
        + 'CREATE FUNCTION pick(a integer, b varchar) RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;\n'
        + 'CREATE FUNCTION pick(a timestamptz) RETURNS int LANGUAGE sql AS $$ SELECT 2 $$;\n'
        + 'CREATE FUNCTION lone(a bigint) RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;',
      '2.sql': 'DROP FUNCTION IF EXISTS search(prefix text, limits integer);\nDROP FUNCTION pick(int4, character varying);\n'
        + 'ALTER FUNCTION pick(timestamp with time zone) RENAME TO chosen;\nDROP FUNCTION lone;',
    });
    for (const result of [dry, verify]) {
      assert.match(result['function search']!, /^ok: /, 'the four-argument search stays');
      assert.match(result['function pick']!, /^(dropped|ok): /);
      assert.match(result['function lone']!, /^dropped: dropped by .*2\.sql:4/);
    }
    const checks = (all: VerificationCheck[]) => all.filter((c) => c.name === 'search' || c.name === 'pick').map((c) => `${c.name} ${c.status} ${c.currentName ?? ''}`.trim());
    for (const all of both.map(checks)) {
      assert.deepEqual(all, ['search dropped', 'search ok', 'pick dropped', 'pick ok chosen']);
    }
  });

  test('unqualified objects the runner\'s search_path put in another schema are found there by verify; one name in two schemas is not guessed', async () => {
    // Supabase Storage's runner sets search_path = storage, public; verify's connection does not.
    const setup = 'CREATE SCHEMA app;\nCREATE SCHEMA other;\nALTER DATABASE CURRENT SET search_path = app, public;';
    const files = writeFiles({
      '1.sql': 'CREATE TABLE items (id int, v int);\nCREATE INDEX idx_items_v ON items (v);\nALTER TABLE items ADD CONSTRAINT chk_items_v CHECK (v > 0);\n'
        + 'CREATE FUNCTION touch_items() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;\n'
        + 'CREATE TRIGGER trg_items BEFORE UPDATE ON items FOR EACH ROW EXECUTE FUNCTION touch_items();\n'
        + 'CREATE FUNCTION twice(x int) RETURNS int LANGUAGE sql AS $$ SELECT x * 2 $$;',
    });
    const db = server().url(await server().createDatabase());
    await sql(db, setup.replace('CURRENT', `"${new URL(db).pathname.slice(1)}"`));
    const built = await psqlFiles(db, files.map((m) => m.path), { singleTransaction: true });
    assert.equal(built.code, 0, built.stderr);
    await sql(db, `ALTER DATABASE "${new URL(db).pathname.slice(1)}" RESET search_path`);
    const verify = summary((await runMigrations(files, { mode: 'verify', backend: pgBackend({ connectionString: db }) })).verification);
    for (const name of ['index idx_items_v', 'constraint chk_items_v', 'function touch_items', 'trigger trg_items', 'function twice']) assert.match(verify[name]!, /^ok: /, name);
    // The same function in a second schema: which one the runner meant is not knowable.
    await sql(db, 'CREATE FUNCTION other.twice(x int) RETURNS int LANGUAGE sql AS $$ SELECT x * 3 $$');
    const again = summary((await runMigrations(files, { mode: 'verify', backend: pgBackend({ connectionString: db }) })).verification);
    assert.match(again['function twice']!, /^missing: /);
  });

  test('DROP FUNCTION without arguments drops whichever there is; one declared again with other arguments is the new one (Lemmy fix-timezones)', async () => {
    const files = {
      '1.sql': 'CREATE FUNCTION hot_rank(score numeric, published timestamp) RETURNS int LANGUAGE sql IMMUTABLE AS $$ SELECT 1 $$;',
      '2.sql': 'DROP FUNCTION IF EXISTS hot_rank CASCADE;\nCREATE FUNCTION hot_rank(score numeric, published timestamptz) RETURNS int LANGUAGE sql IMMUTABLE AS $$ SELECT 2 $$;',
    };
    const { dry, verify } = await bothWays(server(), files);
    for (const result of [dry, verify]) assert.match(result['function hot_rank']!, /^ok: sql function/);
    // The second file alone, as an audit verifies it: the drop names no function of its own.
    const alone = await bothWays(server(), { '2.sql': files['2.sql'] });
    for (const result of [alone.dry, alone.verify]) assert.match(result['function hot_rank']!, /^ok: sql function/);
    assert.deepEqual(alone.checks[1]!.filter((c) => c.status === 'mismatch'), []);
  });

  test('SQL built at run time in the last migration, or a database behind it: verify cannot tell dropped from never run, and says so', async () => {
    const files = writeFiles({
      '1.sql': 'CREATE TABLE ep2 (name text);\nALTER TABLE ep2 ADD CONSTRAINT ep2_nn CHECK (name IS NOT NULL);',
      '2.sql': "DO $$ BEGIN EXECUTE format('ALTER TABLE ep2 DROP CONSTRAINT %I', 'ep2_nn'); END $$;",
      '3.sql': 'CREATE INDEX ep2_name ON ep2 (name);',
    });
    // Built by psql up to 2.sql only: 3.sql's index is missing, nothing proves 2.sql ran.
    const db = server().url(await server().createDatabase());
    const built = await psqlFiles(db, files.slice(0, 2).map((m) => m.path), { singleTransaction: true });
    assert.equal(built.code, 0, built.stderr);
    const verify = summary((await runMigrations(files, { mode: 'verify', backend: pgBackend({ connectionString: db }) })).verification);
    assert.match(verify['constraint ep2_nn']!, /^skipped: not found, and .*2\.sql:1 later runs SQL built at run time/);
    assert.match(verify['index ep2_name']!, /^missing: /);
  });
  test('a function whose arguments are of quoted mixed-case types (a table, a domain, an array of one) is found, not missing', async () => {
    const { dry, verify } = await bothWays(server(), {
      '1.sql': 'CREATE TABLE "Rl" (id int);\nCREATE DOMAIN "MyInt" AS int;\nCREATE FUNCTION f2(r "Rl") RETURNS integer AS $$ SELECT 1 $$ LANGUAGE sql;\n'
        + 'CREATE FUNCTION f3(x "MyInt") RETURNS integer AS $$ SELECT 1 $$ LANGUAGE sql;\nCREATE FUNCTION f4(r "Rl"[]) RETURNS integer AS $$ SELECT 1 $$ LANGUAGE sql;\n'
        + 'CREATE FUNCTION f5(c "char", d char(2)) RETURNS integer AS $$ SELECT 1 $$ LANGUAGE sql;',
    });
    for (const result of [dry, verify]) for (const f of ['f2', 'f3', 'f4', 'f5']) assert.match(result[`function ${f}`]!, /^ok: sql function/, f);
  });

  test('an index on a partition is dropped with its table when the partitioned table is dropped, by that DROP (not by a DO block that did nothing between)', async () => {
    const partition = 'CREATE TABLE p (a int) PARTITION BY RANGE (a);\nCREATE TABLE p1 PARTITION OF p FOR VALUES FROM (0) TO (10);\nCREATE INDEX p1_a ON p1 (a);';
    const direct = await bothWays(server(), { '1.sql': partition, '2.sql': 'DROP TABLE p;' });
    const between = await bothWays(server(), { '1.sql': partition, '2.sql': 'DO $$ BEGIN PERFORM 1; END $$;', '3.sql': 'DROP TABLE p;' });
    for (const result of [direct.dry, direct.verify]) assert.match(result['index p1_a']!, /^dropped: dropped by .*2\.sql:1/);
    for (const result of [between.dry, between.verify]) assert.match(result['index p1_a']!, /^dropped: dropped by .*3\.sql:1/);
    assert.match(direct.verify['index p1_a']!, /with its table p1, a partition of p/);
  });

  test('one unconditional DO block that swaps a table and its index in: the old index is dropped, the new one is renamed, and nothing is "skipped"', async () => {
    const { dry, verify } = await bothWays(server(), {
      '1.sql': 'CREATE TABLE x (a int);\nCREATE INDEX i ON x (a);',
      '2.sql': 'DO $$ BEGIN\n  CREATE TABLE x_new (a int);\n  CREATE INDEX i_new ON x_new (a);\n  DROP TABLE x;\n  ALTER TABLE x_new RENAME TO x;\n  ALTER INDEX i_new RENAME TO i;\nEND $$;',
    });
    for (const result of [dry, verify]) {
      assert.match(result['index i']!, /^dropped: dropped by .*2\.sql:1/);
      assert.match(result['index i_new']!, /^ok: renamed to i by .*2\.sql:1; btree index on x \(a\)/);
      assert.ok(!Object.values(result).some((v) => /condition did not hold/.test(v)), JSON.stringify(result));
    }
  });

  test('what a DO block creates and drops itself is dropped by it; what it creates only under a condition that did not hold is skipped', async () => {
    const { dry, verify } = await bothWays(server(), {
      '1.sql': 'CREATE TABLE c (a int);\nDO $$ BEGIN CREATE INDEX c_tmp ON c (a); DROP INDEX c_tmp; END $$;\n'
        + 'DO $$ BEGIN IF false THEN ALTER TABLE c ADD CONSTRAINT c_neg CHECK (a < 0); END IF; END $$;',
    });
    for (const result of [dry, verify]) {
      assert.match(result['index c_tmp']!, /^dropped: dropped by .*1\.sql:2/);
      assert.match(result['constraint c_neg']!, /^skipped: not created: .*condition did not hold/);
    }
  });

  test('verify of a migration never applied: what its unconditional DO block declares is missing, not skipped', async () => {
    const migrations = writeFiles({
      '1.sql': 'CREATE TABLE c (a int);',
      '2.sql': 'DO $$ BEGIN ALTER TABLE c ADD CONSTRAINT c_pos CHECK (a > 0); CREATE INDEX c_a ON c (a); END $$;',
    });
    const db = server().url(await server().createDatabase());
    const built = await psqlFiles(db, [migrations[0]!.path], { singleTransaction: true });
    assert.equal(built.code, 0, built.stderr);
    const verify = summary((await runMigrations(migrations, { mode: 'verify', backend: pgBackend({ connectionString: db }) })).verification);
    assert.match(verify['constraint c_pos']!, /^missing: /);
    assert.match(verify['index c_a']!, /^missing: /);
  });

  test('a declaration in a DO block\'s protected block (EXCEPTION WHEN duplicate_object) always runs: never applied it is missing, applied it is ok, never "skipped"', async () => {
    const files = {
      '1.sql': 'CREATE TABLE c (a int);',
      '2.sql': 'DO $$ BEGIN\n  ALTER TABLE c ADD CONSTRAINT c_pos CHECK (a > 0);\nEXCEPTION WHEN duplicate_object THEN NULL;\nEND $$;',
    };
    const migrations = writeFiles(files);
    const db = server().url(await server().createDatabase());
    const built = await psqlFiles(db, [migrations[0]!.path], { singleTransaction: true });
    assert.equal(built.code, 0, built.stderr);
    const never = summary((await runMigrations(migrations, { mode: 'verify', backend: pgBackend({ connectionString: db }) })).verification);
    assert.match(never['constraint c_pos']!, /^missing: /);
    // Applied, both commands find it: no false alarm.
    const { dry, verify } = await bothWays(server(), files);
    for (const result of [dry, verify]) assert.match(result['constraint c_pos']!, /^ok: CHECK \(a > 0\)/);
  });

  test('a protected statement that failed (its handler caught the error) leaves its declaration missing in both commands, not "skipped"', async () => {
    const { dry, verify } = await bothWays(server(), {
      '1.sql': 'CREATE TABLE c (a int);\nINSERT INTO c VALUES (1);',
      '2.sql': 'DO $$ BEGIN\n  ALTER TABLE c ADD CONSTRAINT c_neg CHECK (a < 0);\nEXCEPTION WHEN check_violation THEN NULL;\nEND $$;',
    });
    for (const result of [dry, verify]) assert.match(result['constraint c_neg']!, /^missing: /);
  });
  test('DROP TABLE … CASCADE drops the functions that take its row type (or an array of it), a partition\'s too', async () => {
    const { dry, verify } = await bothWays(server(), {
      '1.sql': 'CREATE TABLE p1 (id int, a int) PARTITION BY RANGE (id);\nCREATE TABLE part1 PARTITION OF p1 FOR VALUES FROM (0) TO (100);\n'
        + 'CREATE TABLE t2 (a int);\nCREATE FUNCTION f3(r p1) RETURNS integer LANGUAGE sql AS $f$ SELECT 1 $f$;\n'
        + 'CREATE FUNCTION f4(r part1[]) RETURNS integer LANGUAGE sql AS $f$ SELECT 1 $f$;\nCREATE FUNCTION f5(r t2) RETURNS integer LANGUAGE sql AS $f$ SELECT 1 $f$;',
      '2.sql': 'DROP TABLE p1 CASCADE;',
    });
    for (const result of [dry, verify]) {
      assert.match(result['function f3']!, /^dropped: dropped by .*2\.sql:1/);
      assert.match(result['function f4']!, /^dropped: dropped by .*2\.sql:1/);
      assert.match(result['function f5']!, /^ok: /);
    }
  });

  test('a function taking a table\'s row type is found after the table is renamed (its argument type follows the table), or a domain renamed', async () => {
    const { dry, verify } = await bothWays(server(), {
      '1.sql': 'CREATE TABLE t1 (a int);\nCREATE FUNCTION f2(r t1, s t1[]) RETURNS integer LANGUAGE sql AS $f$ SELECT 1 $f$;\n'
        + 'CREATE DOMAIN "MyD" AS int;\nCREATE FUNCTION f3(x "MyD") RETURNS integer LANGUAGE sql AS $f$ SELECT 1 $f$;',
      '2.sql': 'ALTER TABLE t1 RENAME TO "T3";\nALTER DOMAIN "MyD" RENAME TO d2;',
    });
    for (const result of [dry, verify]) {
      assert.match(result['function f2']!, /^ok: /);
      assert.match(result['function f3']!, /^ok: /);
    }
  });

  test('one unconditional DO block that adds a CHECK to a table, then swaps another table in under its name: the CHECK is dropped with the old table', async () => {
    const { dry, verify } = await bothWays(server(), {
      '1.sql': 'CREATE TABLE t1 (id int, a int);',
      '2.sql': 'DO $do$ BEGIN\n  ALTER TABLE t1 ADD CONSTRAINT c2 CHECK (a IS DISTINCT FROM -1);\n  CREATE TABLE t3 (id int, a int);\n  CREATE INDEX i4 ON t3 (a);\n'
        + '  DROP TABLE t1;\n  ALTER TABLE t3 RENAME TO t1;\nEND $do$;',
    });
    for (const result of [dry, verify]) {
      assert.match(result['constraint c2']!, /^dropped: /);
      assert.match(result['index i4']!, /^ok: /);
    }
  });
  test('an index replaced by a new one renamed to its name (convoy): the old one is dropped in both commands, the new one ok under the name', async () => {
    const { dry, verify } = await bothWays(server(), {
      '1.sql': 'CREATE TABLE t (a int8, b int8);\nCREATE INDEX t_i ON t (a);',
      '2.sql': 'CREATE INDEX t_i_1 ON t (a, b);\nDROP INDEX t_i;\nALTER INDEX t_i_1 RENAME TO t_i;',
    });
    for (const result of [dry, verify]) {
      assert.match(result['index t_i']!, /^dropped: dropped by .*2\.sql:2/);
      assert.match(result['index t_i_1']!, /^ok: renamed to t_i/);
    }
  });

  test('still reported: an index the file drops, re-created by hand under its name with no later declaration', async () => {
    const migrations = writeFiles({ '1.sql': 'CREATE TABLE t (a int8, b int8);\nCREATE INDEX t_i ON t (a);', '2.sql': 'DROP INDEX t_i;' });
    const db = server().url(await server().createDatabase());
    const built = await psqlFiles(db, migrations.map((m) => m.path), { singleTransaction: true });
    assert.equal(built.code, 0, built.stderr);
    await sql(db, 'CREATE INDEX t_i ON t (b)');
    const verify = summary((await runMigrations(migrations, { mode: 'verify', backend: pgBackend({ connectionString: db }) })).verification);
    assert.match(verify['index t_i']!, /^mismatch: still exists/);
  });

  test('a UNIQUE … USING INDEX constraint dropped with its column (convoy): dropped in both commands, with its index', async () => {
    const { dry, verify } = await bothWays(server(), {
      '1.sql': 'CREATE TABLE jobs (id bigint PRIMARY KEY, title text, project bigint);\nCREATE UNIQUE INDEX jobs_title_project_idx ON jobs (title, project);\n'
        + 'ALTER TABLE jobs ADD CONSTRAINT jobs_title_project UNIQUE USING INDEX jobs_title_project_idx;',
      '2.sql': 'ALTER TABLE jobs DROP COLUMN title;',
    });
    for (const result of [dry, verify]) {
      assert.match(result['constraint jobs_title_project']!, /^dropped: dropped by .*2\.sql:1/);
      assert.match(result['index jobs_title_project_idx']!, /^dropped: dropped by .*2\.sql:1/);
    }
  });

  test('still reported: a UNIQUE … USING INDEX constraint of a column that stays, dropped by hand', async () => {
    const migrations = writeFiles({
      '1.sql': 'CREATE TABLE jobs (id bigint PRIMARY KEY, title text, project bigint);\nCREATE UNIQUE INDEX jobs_title_project_idx ON jobs (title, project);\n'
        + 'ALTER TABLE jobs ADD CONSTRAINT jobs_title_project UNIQUE USING INDEX jobs_title_project_idx;',
      '2.sql': 'ALTER TABLE jobs DROP COLUMN project;',
    });
    const db = server().url(await server().createDatabase());
    const built = await psqlFiles(db, [migrations[0]!.path], { singleTransaction: true });
    assert.equal(built.code, 0, built.stderr);
    await sql(db, 'ALTER TABLE jobs DROP CONSTRAINT jobs_title_project');
    const verify = summary((await runMigrations(migrations.slice(0, 1), { mode: 'verify', backend: pgBackend({ connectionString: db }) })).verification);
    assert.match(verify['constraint jobs_title_project']!, /^missing: /);
  });
  test('what hangs on a temporary table goes with its session: neither command verifies its index; the permanent table\'s is still verified', async () => {
    const { dry, verify } = await bothWays(server(), {
      '1.sql': 'CREATE TABLE keep (a int);\nCREATE INDEX keep_a ON keep (a);\nCREATE TEMP TABLE work AS SELECT 1 AS a;\nCREATE INDEX work_a ON work (a);\nCREATE TEMPORARY TABLE w2 (a int CONSTRAINT w2_pos CHECK (a > 0));',
    });
    for (const result of [dry, verify]) {
      assert.deepEqual(Object.keys(result), ['index keep_a']);
      assert.match(result['index keep_a']!, /^ok: /);
    }
  });
  test('the existence-guard idiom (IF NOT EXISTS (… pg_constraint WHERE conname = \'x\') THEN ADD CONSTRAINT x): never applied it is missing, applied it is ok', async () => {
    const files = {
      '1.sql': 'CREATE TABLE g (a int);',
      '2.sql': 'DO $$ BEGIN\n  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = \'g_pos\') THEN\n    ALTER TABLE g ADD CONSTRAINT g_pos CHECK (a > 0);\n  END IF;\n'
        + '  IF to_regclass(\'g_a\') IS NULL THEN\n    CREATE INDEX g_a ON g (a);\n  END IF;\n'
        + '  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = \'other\') THEN\n    ALTER TABLE g ADD CONSTRAINT g_neg CHECK (a < 100);\n  END IF;\nEND $$;',
    };
    const migrations = writeFiles(files);
    const db = server().url(await server().createDatabase());
    const built = await psqlFiles(db, [migrations[0]!.path], { singleTransaction: true });
    assert.equal(built.code, 0, built.stderr);
    const never = summary((await runMigrations(migrations, { mode: 'verify', backend: pgBackend({ connectionString: db }) })).verification);
    assert.match(never['constraint g_pos']!, /^missing: /);
    assert.match(never['index g_a']!, /^missing: /);
    // A condition that tests another object's existence may not have held: still skipped.
    assert.match(never['constraint g_neg']!, /^skipped: /);
    const { dry, verify } = await bothWays(server(), files);
    for (const result of [dry, verify]) {
      assert.match(result['constraint g_pos']!, /^ok: /);
      assert.match(result['index g_a']!, /^ok: /);
    }
  });
  test('an index renamed inside a DO block that then drops its table: dropped with the table, by that DO block, in both commands', async () => {
    const { dry, verify } = await bothWays(server(), {
      '1.sql': 'CREATE TABLE t1 (id int, a int);',
      '2.sql': 'CREATE TABLE t2 (id int, a int);\nCREATE INDEX i3 ON t2 (a);\nDROP TABLE t1;\nALTER TABLE t2 RENAME TO t1;',
      '3.sql': 'DO $do$ BEGIN\n  ALTER INDEX i3 RENAME TO i4;\n  CREATE INDEX ON t1 (a);\n  DROP TABLE t1;\nEND $do$;',
    });
    for (const result of [dry, verify]) assert.match(result['index i3']!, /^dropped: dropped by .*3\.sql:1/);
  });

  test('an index renamed inside a DO block that swaps its table out and gives the name to the new table\'s index: the old one is dropped, the new one ok under the later names', async () => {
    const { dry, verify } = await bothWays(server(), {
      '1.sql': 'CREATE TABLE t1 (id int, a int);\nCREATE INDEX i3 ON t1 (a);',
      '2.sql': 'DO $do$ BEGIN\n  ALTER INDEX i3 RENAME TO i4;\n  CREATE TABLE t5 (id int, a int);\n  CREATE INDEX i6 ON t5 (a);\n  DROP TABLE t1;\n  ALTER TABLE t5 RENAME TO t1;\n  ALTER INDEX i6 RENAME TO i4;\nEND $do$;',
      '3.sql': 'ALTER INDEX i4 RENAME TO i7;\nALTER INDEX i7 RENAME TO i8;',
    });
    for (const result of [dry, verify]) {
      assert.match(result['index i3']!, /^dropped: dropped by .*2\.sql:1/);
      assert.match(result['index i6']!, /^ok: renamed to i8/);
    }
  });
  test('a guarded declaration of a name an existing object holds, then a DROP … IF EXISTS of the name: dropped by that DROP in both commands, whether or not its branch ran (kestra)', async () => {
    const guardedPkey = (table: string, named: boolean) => `DO $$ BEGIN\n  IF NOT exists (select constraint_name from information_schema.table_constraints where table_name = '${table}' and constraint_type = 'PRIMARY KEY') then\n`
      + `    ALTER TABLE ${table} ADD ${named ? `CONSTRAINT ${table}_pkey ` : ''}PRIMARY KEY("offset");\n  END IF;\nEND $$;`;
    const { checks } = await bothWays(server(), {
      '1.sql': `CREATE TABLE queues ("offset" serial PRIMARY KEY, v int);\n${guardedPkey('queues', false)}\n`
        + `CREATE TABLE named ("offset" serial CONSTRAINT named_pkey PRIMARY KEY, v int);\n${guardedPkey('named', true)}\n`
        + `CREATE TABLE kept ("offset" serial PRIMARY KEY, v int);\n${guardedPkey('kept', false)}\n`
        + 'CREATE TABLE renamed ("offset" serial PRIMARY KEY, v int, CONSTRAINT renamed_v_check CHECK (v > 0));\n'
        + 'DO $$ BEGIN\n  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = \'renamed_v_check\') THEN\n    ALTER TABLE renamed ADD CHECK (v > 0);\n  END IF;\nEND $$;',
      '2.sql': 'ALTER TABLE queues DROP CONSTRAINT IF EXISTS queues_pkey;\nALTER TABLE named DROP CONSTRAINT IF EXISTS named_pkey;\nALTER TABLE renamed RENAME CONSTRAINT renamed_v_check TO renamed_positive;',
    });
    for (const run of checks) {
      // The checks of the guarded declarations (2.sql's DROPs of names it does not declare are checks too).
      const declared = Object.fromEntries(run.filter((c) => /1\.sql$/.test(c.file)).map((c) => [c.name, `${c.status}: ${c.detail}`]));
      assert.match(declared['queues_pkey']!, /^dropped: dropped by .*2\.sql:1/, JSON.stringify(declared));
      assert.match(declared['named_pkey']!, /^dropped: dropped by .*2\.sql:2/, JSON.stringify(declared));
      assert.match(declared['kept_pkey']!, /^ok: /, JSON.stringify(declared));
      assert.match(declared['renamed_v_check']!, /^ok: renamed to renamed_positive by .*2\.sql:3/, JSON.stringify(declared));
    }
  });
});
