// The extension declares the run settings in package.json (contributes.configuration) and core
// declares them in DEFAULT_SETTINGS; the CLI and the editor must start from the same defaults.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { DEFAULT_SETTINGS } from '../../src/core/settings';

const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, { default?: unknown }> } };
};

test('package.json declares every core setting with the same default as DEFAULT_SETTINGS', () => {
  const properties = manifest.contributes.configuration.properties;
  for (const [key, value] of Object.entries(DEFAULT_SETTINGS)) {
    const declared = properties[`drydock.${key}`];
    assert.ok(declared, `package.json does not declare drydock.${key}`);
    assert.deepEqual(declared.default, value, `default of drydock.${key} differs from core`);
  }
});
