// The extension declares its settings in package.json (contributes.configuration); core declares
// the run settings in DEFAULT_SETTINGS and the extension's Config reads the others against
// EDITOR_SETTING_DEFAULTS. The CLI, the editor and the settings UI must start from the same defaults.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { DEFAULT_SETTINGS } from '../../src/core/model/settings';
import { MIGRATION_TOOLS } from '../../src/core/templates';
import { EDITOR_SETTING_DEFAULTS, KEYWORD_CASES, MIGRATION_TOOL_SETTINGS } from '../../src/server/settingsDefaults';

const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, { default?: unknown; enum?: unknown[] }> } };
};
const properties = manifest.contributes.configuration.properties;

test('package.json declares every core setting with the same default as DEFAULT_SETTINGS', () => {
  for (const [key, value] of Object.entries(DEFAULT_SETTINGS)) {
    const declared = properties[`drydock.${key}`];
    assert.ok(declared, `package.json does not declare drydock.${key}`);
    assert.deepEqual(declared.default, value, `default of drydock.${key} differs from core`);
  }
});

test('package.json declares every editor setting with the default the extension reads it against', () => {
  for (const [key, value] of Object.entries(EDITOR_SETTING_DEFAULTS)) {
    const declared = properties[`drydock.${key}`];
    assert.ok(declared, `package.json does not declare drydock.${key}`);
    assert.deepEqual(declared.default, value, `default of drydock.${key} differs from the extension's`);
  }
});

test('every setting package.json declares has a default in core or in the extension', () => {
  const known = new Set([...Object.keys(DEFAULT_SETTINGS), ...Object.keys(EDITOR_SETTING_DEFAULTS)].map((k) => `drydock.${k}`));
  assert.deepEqual(Object.keys(properties).filter((key) => !known.has(key)), []);
});

test('the enumerated settings accept the values package.json offers, and migrationTool every tool core knows', () => {
  assert.deepEqual(properties['drydock.migrationTool']?.enum, [...MIGRATION_TOOL_SETTINGS]);
  assert.deepEqual([...MIGRATION_TOOL_SETTINGS], ['auto', ...MIGRATION_TOOLS]);
  assert.deepEqual(properties['drydock.format.keywordCase']?.enum, [...KEYWORD_CASES]);
});
