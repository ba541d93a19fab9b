// The New Migration wizard's decisions (core) and the package.json entries the editor side relies
// on: column choices per kind, answers → parameters, and settings/command declarations that agree
// with core's defaults and tables. That the extension registers the command is proved in a real
// extension host, which runs it (test/extension/suite/10-authoring.test.ts).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { DEFAULT_FORMAT_OPTIONS } from '../../../src/core/format/formatSql';
import { MIGRATION_TOOLS, columnChoices, migrationDir, paramsFromAnswers } from '../../../src/core/templates';
import { NEW_MIGRATION_COMMAND_ID } from './extensionIds';

const root = path.resolve(__dirname, '..', '..', '..', '..');
const columns = [
  { name: 'id', type: 'bigint' },
  { name: 'learning_goals', type: 'jsonb' },
  { name: 'created_at', type: 'timestamp with time zone' },
  { name: 'notes', type: 'text' },
  { name: 'updated_at', type: 'timestamp with time zone' },
  { name: 'path_data', type: 'jsonb' },
];

describe('wizard decisions', () => {
  test('GIN offers only jsonb columns; the trigger offers timestamps, updated_at first; others offer all', () => {
    assert.deepEqual(columnChoices('gin', columns).map((c) => c.name), ['learning_goals', 'path_data']);
    assert.deepEqual(columnChoices('trigger', columns).map((c) => c.name), ['updated_at', 'created_at']);
    assert.equal(columnChoices('index', columns).length, columns.length);
    assert.equal(columnChoices('unique', columns).length, columns.length);
  });

  test('answers become parameters: lists, ranges, predicates, operator classes', () => {
    assert.deepEqual(paramsFromAnswers('check', { table: 'lessons', columns: ['status'], checkShape: 'values', checkInput: "draft, 'published' ,archived" }),
      { table: 'lessons', columns: ['status'], values: ['draft', 'published', 'archived'] });
    for (const input of ['1..5', '1-5', '1 to 5', '1, 5']) {
      const p = paramsFromAnswers('check', { table: 't', columns: ['level'], checkShape: 'range', checkInput: input });
      assert.deepEqual([p.min, p.max], [1, 5], input);
    }
    assert.deepEqual(paramsFromAnswers('check', { table: 't', columns: ['n'], checkShape: 'positive' }), { table: 't', columns: ['n'] });
    assert.equal(paramsFromAnswers('index', { table: 't', columns: ['a'], where: "  status = 'active' " }).where, "status = 'active'");
    assert.equal(paramsFromAnswers('index', { table: 't', columns: ['a'], where: '  ' }).where, undefined);
    assert.equal(paramsFromAnswers('gin', { table: 't', columns: ['d'] }).opclass, 'jsonb_path_ops');
    assert.throws(() => paramsFromAnswers('check', { table: 't', columns: ['n'], checkShape: 'range', checkInput: 'one to five' }), /looks like 1\.\.5/);
    assert.throws(() => paramsFromAnswers('check', { table: 't', columns: ['n'], checkShape: 'values', checkInput: ' , ' }), /at least one/);
  });
});

test('a folder picked in the explorer is used by flat layouts only', () => {
  assert.equal(migrationDir('dbmate', 'db/migrations', 'db/other'), 'db/other');
  assert.equal(migrationDir('plain', 'migrations', undefined), 'migrations');
  assert.equal(migrationDir('sqitch', 'db', 'db/deploy'), 'db');
  assert.equal(migrationDir('diesel', 'migrations', 'migrations/2024-01-01-000000_x'), 'migrations');
  assert.equal(migrationDir('graphile', 'migrations', 'migrations/committed'), 'migrations');
});

describe('package.json declarations for authoring', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    contributes: {
      commands: { command: string }[];
      menus: Record<string, { command: string }[]>;
      configuration: { properties: Record<string, { default: unknown; enum?: string[] }> } | { properties: Record<string, { default: unknown; enum?: string[] }> }[];
    };
  };
  const sections = Array.isArray(pkg.contributes.configuration) ? pkg.contributes.configuration : [pkg.contributes.configuration];
  const properties = Object.assign({}, ...sections.map((s) => s.properties)) as Record<string, { default: unknown; enum?: string[] }>;

  test('the New Migration command is declared and offered in the explorer', () => {
    assert.ok(pkg.contributes.commands.some((c) => c.command === NEW_MIGRATION_COMMAND_ID));
    assert.ok(pkg.contributes.menus['explorer/context']?.some((m) => m.command === NEW_MIGRATION_COMMAND_ID));
  });

  test('settings defaults agree with core', () => {
    assert.deepEqual(properties['drydock.migrationTool']?.enum, ['auto', ...MIGRATION_TOOLS]);
    assert.equal(properties['drydock.migrationTool']?.default, 'auto');
    assert.equal(properties['drydock.format.keywordCase']?.default, DEFAULT_FORMAT_OPTIONS.keywordCase);
    assert.equal(properties['drydock.format.lineWidth']?.default, DEFAULT_FORMAT_OPTIONS.lineWidth);
    assert.equal(properties['drydock.format.indent']?.default, null);
  });
});
