// Runs the test tiers in order and exits non-zero if any fails.
// Tier 1: core + CLI + language server tests under node's test runner against real throwaway PostgreSQL
// clusters (scripts/setup-neovim.sh first installs Debian's neovim for the Neovim test).
// Tier 2: the extension, packaged as a .vsix, in a real VS Code extension host (scripts/run-extension-tests.mjs).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

function testFiles(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true })
    .filter((f) => f.endsWith('.test.js'))
    .map((f) => path.join(dir, f))
    .sort();
}

const files = testFiles('out/test/core');
if (files.length === 0) {
  console.error('no core test files found under out/test/core: run `npm run build` first');
  process.exit(1);
}
const neovim = spawnSync('bash', ['scripts/setup-neovim.sh'], { stdio: 'inherit' });
if (neovim.status !== 0) process.exit(neovim.status ?? 1);
const core = spawnSync(process.execPath, ['--test', '--test-concurrency=2', ...files], { stdio: 'inherit' });
if (core.status !== 0) process.exit(core.status ?? 1);
const extension = spawnSync(process.execPath, ['scripts/run-extension-tests.mjs', '--vsix'], { stdio: 'inherit' });
process.exit(extension.status ?? 1);
