// renderTemplate for every kind × every tool: the files land where the tool expects them, carry
// its directives, parse with Drydock's parser (the real PostgreSQL parser) without errors, and
// declare the objects they promise. Database-backed checks live in templates.db.test.ts.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { loadParser, splitStatements } from '../../../src/core/parse/parseMigration';
import { checkMigrationSync } from '../../../src/core/rules/checkMigration';
import {
  MIGRATION_TOOLS, TEMPLATE_KINDS, detectMigrationTool, mergeInto, parseTableName, renderMigration, renderTemplate,
  type MigrationTool, type TemplateKind, type TemplateParams,
} from '../../../src/core/templates';
import { expectedTemplateFinding } from './expectedTemplateFindings';
import { KIND_CASES, refusedAsOneQuery } from './kindCases';
import { pushAll } from '../../../src/core/model/arrays';

const NOW = new Date('2026-11-25T13:45:09Z');


const SQL_ROLES = new Set(['migration', 'up', 'down', 'verify']);


before(() => loadParser());

describe('renderTemplate: every kind × every tool', () => {
  for (const { kind, label, params } of KIND_CASES) {
    for (const tool of MIGRATION_TOOLS) {
      test(`${kind} (${label}) as ${tool}: files parse without errors and declare ${kind} objects`, () => {
        if (refusedAsOneQuery(kind, params, tool)) {
          assert.throws(() => renderTemplate(kind, params, tool, { now: NOW }), /as one query[\s\S]*without CONCURRENTLY/);
          return;
        }
        const r = renderTemplate(kind, params, tool, { now: NOW });
        assert.ok(r.files.length > 0);
        const declared: string[] = [];
        for (const file of r.files.filter((f) => SQL_ROLES.has(f.role))) {
          const parsed = checkMigrationSync(file.path, mergeInto(file, null));
          const problems = parsed.diagnostics.filter((d) => d.severity !== 'info' && !expectedTemplateFinding(kind, params, tool, d));
          assert.deepEqual(problems.map((d) => `${d.ruleId}: ${d.message}`), [], `${file.path}:\n${file.text}`);
          assert.ok(parsed.statements.length > 0, `${file.path} has no statements`);
          if (file.role !== 'verify') {
            assert.equal(typeof file.noTransaction, 'boolean', `${file.path}: says whether it runs in a transaction`);
            assert.equal(parsed.noTransaction !== null || file.text.includes('transaction:false'), file.noTransaction, `${file.path}: no-transaction directive`);
          }
          if (file.role === 'migration' || file.role === 'up') {
            pushAll(declared, parsed.statements.flatMap((s) => s.effects).flatMap((e) => (e.action === 'declare' ? [e.declaration.name] : [])));
          }
        }
        // A kind split into migrations declares its objects in one of them (a CHECK where it is added, not where it is validated).
        for (const object of r.declares) assert.ok(declared.includes(object.name), `no migration declares ${object.name}`);
        for (const sql of [r.upSql, r.downSql, r.verifySql]) {
          const parsed = checkMigrationSync('part.sql', r.noTransaction ? `-- drydock:no-transaction\n${sql}` : sql);
          assert.equal(parsed.runnable, true, sql);
        }
      });
    }
  }
});

describe('tool layouts', () => {
  const gin: [TemplateKind, TemplateParams] = ['gin', { table: 'user_profiles', columns: ['learning_goals'] }];
  const paths = (tool: MigrationTool, existingPaths: string[] = []) =>
    renderTemplate(...gin, tool, { now: NOW, name: 'Index learning goals', existingPaths }).files.map((f) => `${f.role}:${f.path}`);

  test('each tool names and places files its own way', () => {
    assert.deepEqual(paths('plain'), ['migration:migrations/001_index_learning_goals.sql']);
    assert.deepEqual(paths('dbmate'), ['migration:db/migrations/20261125134509_index_learning_goals.sql']);
    assert.deepEqual(paths('goose'), ['migration:migrations/20261125134509_index_learning_goals.sql']);
    assert.deepEqual(paths('sqitch'), [
      'up:deploy/index_learning_goals.sql', 'down:revert/index_learning_goals.sql',
      'verify:verify/index_learning_goals.sql', 'plan:sqitch.plan',
    ]);
    assert.deepEqual(paths('flyway'), [
      'up:db/migration/V1__index_learning_goals.sql', 'down:db/migration/U1__index_learning_goals.sql',
      'config:db/migration/V1__index_learning_goals.sql.conf', 'config:db/migration/U1__index_learning_goals.sql.conf',
    ]);
    assert.deepEqual(paths('graphile'), ['migration:migrations/current.sql']);
    assert.deepEqual(paths('diesel'), [
      'up:migrations/2026-11-25-134509_index_learning_goals/up.sql',
      'down:migrations/2026-11-25-134509_index_learning_goals/down.sql',
      'config:migrations/2026-11-25-134509_index_learning_goals/metadata.toml',
    ]);
  });

  test('numbered tools continue after the existing files, keeping their width', () => {
    assert.deepEqual(paths('plain', ['migrations/0009_a.sql', 'migrations/0010_b.sql', 'other/0099_x.sql']),
      ['migration:migrations/0011_index_learning_goals.sql']);
    assert.deepEqual(paths('flyway', ['db/migration/V7__a.sql', 'db/migration/V12_1__b.sql']).slice(0, 1),
      ['up:db/migration/V13__index_learning_goals.sql']);
    assert.deepEqual(paths('goose', ['migrations/00004_a.sql']), ['migration:migrations/00005_index_learning_goals.sql']);
  });

  test('directives: dbmate sections and transaction:false, goose NO TRANSACTION and StatementBegin/End', () => {
    const dbmate = renderTemplate(...gin, 'dbmate', { now: NOW }).files[0]?.text ?? '';
    assert.match(dbmate, /^-- migrate:up transaction:false\n[\s\S]*CREATE INDEX CONCURRENTLY[\s\S]*\n-- migrate:down transaction:false\nDROP INDEX CONCURRENTLY/);
    const goose = renderTemplate('trigger', { table: 'lessons' }, 'goose', { now: NOW }).files[0]?.text ?? '';
    assert.doesNotMatch(goose, /NO TRANSACTION/);
    assert.match(goose, /^-- \+goose Up\n-- \+goose StatementBegin\n[\s\S]*CREATE OR REPLACE FUNCTION[\s\S]*\$function\$;\n-- \+goose StatementEnd\n\n[\s\S]*CREATE OR REPLACE TRIGGER(?![\s\S]*StatementBegin[\s\S]*-- \+goose Down)/);
    const gooseGin = renderTemplate(...gin, 'goose', { now: NOW }).files[0]?.text ?? '';
    assert.match(gooseGin, /^-- \+goose NO TRANSACTION\n-- \+goose Up\n/);
  });

  test('sqitch deploy and revert scripts manage their transaction: BEGIN … COMMIT unless no-transaction', () => {
    const check = renderTemplate('check', { table: 'lessons', columns: ['duration_minutes'] }, 'sqitch', { now: NOW });
    for (const file of check.files.filter((f) => f.role === 'up' || f.role === 'down')) {
      const kinds = splitStatements(file.text).map((s) => Object.keys(s.node)[0]);
      assert.equal(kinds[0], 'TransactionStmt', file.path);
      assert.equal(kinds.at(-1), 'TransactionStmt', file.path);
      assert.match(file.text, /\nBEGIN;\n[\s\S]*\nCOMMIT;\n$/, file.path);
    }
    const concurrent = renderTemplate(...gin, 'sqitch', { now: NOW });
    for (const file of concurrent.files.filter((f) => f.role === 'up' || f.role === 'down')) {
      assert.doesNotMatch(file.text, /BEGIN;|COMMIT;/, file.path);
    }
  });

  test('flyway and diesel get their no-transaction settings; sqitch gets a plan line', () => {
    const flyway = renderTemplate(...gin, 'flyway', { now: NOW }).files.find((f) => f.role === 'config');
    assert.equal(flyway?.text, 'executeInTransaction=false\n');
    const diesel = renderTemplate(...gin, 'diesel', { now: NOW }).files.find((f) => f.role === 'config');
    assert.equal(diesel?.text, 'run_in_transaction = false\n');
    assert.equal(renderTemplate('check', { table: 'lessons', columns: ['duration_minutes'] }, 'diesel', { now: NOW }).files.length, 4, 'add NOT VALID, then validate: two migrations of up.sql + down.sql');
    const plan = renderTemplate(...gin, 'sqitch', { now: NOW, planner: 'Ada <ada@example.org>' }).files.find((f) => f.role === 'plan');
    assert.equal(plan?.text, 'add_idx_user_profiles_learning_goals 2026-11-25T13:45:09Z Ada <ada@example.org> # add idx user profiles learning goals\n');
    assert.equal(mergeInto(plan!, null), `%syntax-version=1.0.0\n%project=app\n\n${plan?.text}`);
    assert.equal(mergeInto(plan!, '%syntax-version=1.0.0\n%project=app\n\nfirst 2026-01-01T00:00:00Z A <a@b> # x'),
      `%syntax-version=1.0.0\n%project=app\n\nfirst 2026-01-01T00:00:00Z A <a@b> # x\n${plan?.text}`);
  });

  test('graphile: appended to current.sql; --! no-transaction only where current.sql holds no statements yet', () => {
    const file = renderTemplate(...gin, 'graphile', { now: NOW }).files[0]!;
    const merged = mergeInto(file, '-- Enter migration here\n');
    assert.ok(merged.startsWith('--! no-transaction\n-- Enter migration here\n\n-- GIN index'), merged);
    assert.throws(() => mergeInto(file, 'CREATE TABLE t (id int);\n'), /already holds statements/);
    assert.throws(() => mergeInto(file, merged), /already holds statements/);
    const check = renderTemplate('check', { table: 'lessons', columns: ['duration_minutes'] }, 'graphile', { now: NOW }).files[0]!;
    assert.ok(mergeInto(check, 'SELECT 1;\n').startsWith('SELECT 1;\n\n-- CHECK'));
    assert.throws(() => mergeInto(check, merged), /already holds statements/, 'a transactional item joining a no-transaction file');
  });

  test('one-query tools: a CONCURRENTLY build never shares a query; unique becomes build, then attach', () => {
    const unique: [TemplateKind, TemplateParams] = ['unique', { table: 'user_profiles', columns: ['email'] }];
    const dbmate = renderTemplate(...unique, 'dbmate', { now: NOW }).files;
    assert.deepEqual(dbmate.map((f) => `${f.path} ${f.noTransaction}`), [
      'db/migrations/20261125134509_add_uq_user_profiles_email.sql true',
      'db/migrations/20261125134510_add_uq_user_profiles_email_attach.sql false',
    ]);
    const [build, attach] = dbmate.map((f) => f.text);
    assert.match(build ?? '', /^-- migrate:up transaction:false\n[\s\S]*CREATE UNIQUE INDEX CONCURRENTLY[^;]*;\n\n-- migrate:down transaction:false\nDROP INDEX CONCURRENTLY IF EXISTS uq_user_profiles_email;\n$/);
    assert.doesNotMatch(build ?? '', /DO \$drydock\$/);
    assert.match(attach ?? '', /^-- migrate:up\n[\s\S]*UNIQUE USING INDEX[\s\S]*\n-- migrate:down\n[\s\S]*DROP CONSTRAINT IF EXISTS uq_user_profiles_email;\n$/);
    assert.deepEqual(renderTemplate(...unique, 'diesel', { now: NOW }).files.map((f) => f.path), [
      'migrations/2026-11-25-134509_add_uq_user_profiles_email/up.sql',
      'migrations/2026-11-25-134509_add_uq_user_profiles_email/down.sql',
      'migrations/2026-11-25-134509_add_uq_user_profiles_email/metadata.toml',
      'migrations/2026-11-25-134510_add_uq_user_profiles_email_attach/up.sql',
      'migrations/2026-11-25-134510_add_uq_user_profiles_email_attach/down.sql',
    ]);
    assert.equal(renderTemplate(...unique, 'goose', { now: NOW }).files.length, 1, 'goose runs statement by statement');
    assert.throws(() => renderTemplate(...unique, 'graphile', { now: NOW }), /graphile-migrate[\s\S]*one query/);
    const two = [{ kind: 'index' as const, params: { table: 'lessons', columns: ['a'] } }, { kind: 'index' as const, params: { table: 'lessons', columns: ['b'] } }];
    assert.throws(() => renderMigration(two, 'dbmate', { now: NOW }), /separate migrations/);
    assert.equal(renderMigration(two, 'goose', { now: NOW }).files.length, 1);
  });

  test('tools without downs say so; the others carry the down SQL', () => {
    for (const tool of MIGRATION_TOOLS) {
      const r = renderTemplate(...gin, tool, { now: NOW });
      const hasDownFile = r.files.some((f) => f.role === 'down') || r.files.some((f) => /migrate:down|\+goose Down/.test(f.text));
      assert.equal(hasDownFile, r.hasDown, tool);
    }
  });
});

describe('names and parameters', () => {
  test('names follow idx_/uq_/chk_/update_<table>_updated_at and quote what needs quoting', () => {
    const r = renderTemplate('index', { table: 'app."Order Items"', columns: ['order', 'createdAt'] }, 'plain', { now: NOW });
    assert.equal(r.declares[0]?.name, 'idx_order_items_order_createdat');
    assert.match(r.upSql, /ON app\."Order Items" \("order", "createdAt"\)/);
    assert.match(r.downSql, /DROP INDEX CONCURRENTLY IF EXISTS app\.idx_order_items_order_createdat;/);
    assert.equal(renderTemplate('trigger', { table: 'lessons' }, 'plain').declares.map((d) => d.name).join(), 'update_lessons_updated_at,update_lessons_updated_at');
    assert.equal(renderTemplate('check', { table: 'lessons', columns: ['rating'] }, 'plain').declares[0]?.name, 'chk_lessons_rating');
    assert.equal(renderTemplate('unique', { table: 'lessons', columns: ['user_id', 'slug'] }, 'plain').declares[0]?.name, 'uq_lessons_user_id_slug');
  });

  test('derived names are cut to PostgreSQL\'s 63-byte limit', () => {
    const r = renderTemplate('index', { table: 'a'.repeat(40), columns: ['b'.repeat(40)] }, 'plain');
    assert.equal(r.declares[0]?.name.length, 63);
  });

  test('CHECK predicates: enumeration (always literals), range, one bound, > 0', () => {
    const up = (params: Partial<TemplateParams>) => renderTemplate('check', { table: 't', columns: ['c'], ...params }, 'plain').upSql;
    assert.match(up({ values: ['a', "it's"] }), /CHECK \(c IN \('a', 'it''s'\)\) NOT VALID/);
    assert.match(up({ values: ['1', '2'] }), /CHECK \(c IN \('1', '2'\)\)/);
    assert.match(up({ min: 1, max: 5 }), /CHECK \(c BETWEEN 1 AND 5\)/);
    assert.match(up({ min: 0 }), /CHECK \(c >= 0\)/);
    assert.match(up({}), /CHECK \(c > 0\)/);
    assert.match(up({}), /VALIDATE CONSTRAINT chk_t_c;/);
  });

  test('a shared trigger function is called but never replaced by the up nor dropped by the down', () => {
    const r = renderTemplate('trigger', { table: 'lessons', functionName: 'set_updated_at' }, 'plain');
    assert.match(r.upSql, /EXECUTE FUNCTION set_updated_at\(\)/);
    assert.doesNotMatch(r.upSql, /CREATE OR REPLACE FUNCTION/);
    assert.deepEqual(r.declares.map((d) => d.kind), ['trigger']);
    const owner = renderTemplate('trigger', { table: 'lessons', functionName: 'set_updated_at', createFunction: true }, 'plain');
    assert.match(owner.upSql, /CREATE OR REPLACE FUNCTION set_updated_at\(\)/);
    assert.match(owner.downSql, /DROP FUNCTION IF EXISTS set_updated_at\(\);/);
    const qualified = renderTemplate('trigger', { table: 'lessons', functionName: 'App."Touch It"' }, 'plain');
    assert.match(qualified.upSql, /EXECUTE FUNCTION app\."Touch It"\(\)/);
    assert.throws(() => renderTemplate('trigger', { table: 'lessons', functionName: 'f(); DROP TABLE lessons' }, 'plain'), /not a function name/);
    assert.doesNotMatch(r.downSql, /DROP FUNCTION/);
    assert.match(renderTemplate('trigger', { table: 'lessons' }, 'plain').downSql, /DROP FUNCTION IF EXISTS update_lessons_updated_at\(\);/);
  });

  test('free text is checked with the parser: a predicate is one expression, nothing can end a statement or a body', () => {
    const index = (params: Partial<TemplateParams>) => renderTemplate('index', { table: 'lessons', columns: ['x'], ...params }, 'plain');
    assert.match(index({ where: "status = 'active'" }).upSql, /WHERE \(status = 'active'\);/);
    for (const where of ['x > 0; DROP TABLE lessons', 'x > 0 -- comment', 'x >', '(x > 0', 'x > 0) UNION (SELECT 1']) {
      assert.throws(() => index({ where }), /partial index predicate \(where\) is not one SQL expression/, where);
    }
    assert.throws(() => index({ where: 'x = $drydock$a$drydock$', guarded: true }), /holds \$drydock\$/);
    assert.throws(() => renderTemplate('check', { table: 't', columns: ['c'], values: ['$drydock$'] }, 'plain'), /holds \$drydock\$/);
    assert.throws(() => renderTemplate('check', { table: 't', columns: ['c'], min: Number.NaN }, 'plain'), /finite number/);
    assert.throws(() => renderTemplate('check', { table: 't', columns: ['c'], max: Number.POSITIVE_INFINITY }, 'plain'), /finite number/);
    assert.throws(() => renderTemplate('gin', { table: 't', columns: ['c'], opclass: 'jsonb_ops); DROP TABLE t; --' as 'jsonb_ops' }, 'plain'), /operator class must be/);
  });

  test('missing or contradictory parameters are refused with a message', () => {
    assert.throws(() => renderTemplate('index', { table: 't' }, 'plain'), /at least one column/);
    assert.throws(() => renderTemplate('gin', { table: 't', columns: ['a', 'b'] }, 'plain'), /exactly one column/);
    assert.throws(() => renderTemplate('check', { table: 't', columns: ['c'], min: 5, max: 1 }, 'plain'), /range is empty/);
    for (const table of ['a.b.c', 'Order Items', 'app.', '']) {
      assert.throws(() => renderTemplate('index', { table, columns: ['x'] }, 'plain'), /not a table name/, table);
    }
    assert.throws(() => renderTemplate('index', { table: 't', columns: ['x'] }, 'plain', { name: '!!!' }), /no letters or digits/);
  });

  test('table names are read by the real parser: case folding, quoting, and nothing but one table', () => {
    assert.deepEqual(parseTableName('Lessons'), { schema: null, name: 'lessons' });
    assert.deepEqual(parseTableName(' app . "Order Items" '), { schema: 'app', name: 'Order Items' });
    assert.deepEqual(parseTableName('"we""ird"'), { schema: null, name: 'we"ird' });
    for (const text of ['t; DROP TABLE lessons', 't WHERE true', 't LIMIT 1', 'ONLY t', 'a.b.c', 't x', 'user', 't, u']) {
      assert.throws(() => parseTableName(text), /not a table name/, text);
    }
  });

  test('every kind has up, down and verify templates', () => {
    for (const kind of TEMPLATE_KINDS) {
      const r = renderTemplate(kind, { table: 't', columns: ['c'] }, 'sqitch');
      // check is two migrations (added NOT VALID, then validated), each with its own scripts and plan line.
      const migration = ['up', 'down', 'verify', 'plan'];
      assert.deepEqual(r.files.map((f) => f.role), kind === 'check' ? [...migration, ...migration] : migration);
    }
  });
});

describe('detectMigrationTool', () => {
  const cases: [string, { path: string; text?: string }[], MigrationTool, string][] = [
    ['sqitch.plan', [{ path: 'db/sqitch.plan' }, { path: 'db/deploy/a.sql' }], 'sqitch', 'db'],
    ['dbmate sections', [{ path: 'db/migrations/20240101000000_a.sql', text: '-- migrate:up\nSELECT 1;\n-- migrate:down\n' }], 'dbmate', 'db/migrations'],
    ['goose annotations', [{ path: 'sql/00001_a.sql', text: '-- +goose Up\nSELECT 1;' }], 'goose', 'sql'],
    ['flyway V files', [{ path: 'src/main/resources/db/migration/V1__init.sql' }], 'flyway', 'src/main/resources/db/migration'],
    ['graphile .gmrc', [{ path: '.gmrc' }, { path: 'migrations/current.sql' }, { path: 'migrations/committed/000001.sql' }], 'graphile', 'migrations'],
    ['diesel.toml', [{ path: 'diesel.toml' }, { path: 'migrations/2024-01-01-000000_create/up.sql' }], 'diesel', 'migrations'],
    ['numbered files', [{ path: 'schema/001_init.sql' }, { path: 'schema/002_more.sql' }], 'plain', 'schema'],
    ['nothing', [{ path: 'README.md' }], 'plain', 'migrations'],
  ];
  for (const [label, entries, tool, dir] of cases) {
    test(`${label} → ${tool} in ${dir}`, () => {
      const detected = detectMigrationTool(entries);
      assert.equal(detected.tool, tool);
      assert.equal(detected.dir, dir);
      assert.ok(detected.evidence.length > 0);
    });
  }

  test('goose annotations outweigh numbered file names; a setting overrides detection', () => {
    const entries = [{ path: 'db/001_a.sql', text: '-- +goose Up\n' }, { path: 'db/002_b.sql', text: '-- +goose Up\n' }];
    assert.equal(detectMigrationTool(entries).tool, 'goose');
    const forced = detectMigrationTool(entries, 'dbmate');
    assert.equal(forced.tool, 'dbmate');
    assert.deepEqual(forced.evidence, ['set to dbmate']);
    assert.equal(detectMigrationTool(entries, 'auto').tool, 'goose');
  });
});
