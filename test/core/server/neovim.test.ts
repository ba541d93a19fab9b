// A real Neovim (Debian's package, headless) with the configuration the README documents
// (docs/editors/neovim/drydock.lua), attached to `drydock lsp` on a migration folder: the
// diagnostic with its rule id appears, the hover names the lock, the CONCURRENTLY code action is
// offered and applying it changes the buffer. `npm run setup:neovim` installs Neovim (CI does);
// without `nvim` on PATH the test is skipped and says why.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../../support/database';
import { writeFolder } from '../shadow/folders';

const hasNeovim = spawnSync('nvim', ['--version'], { stdio: 'ignore' }).status === 0;
if (!hasNeovim) console.log('# neovim.test: skipped: `nvim` is not on PATH (npm run setup:neovim installs Debian\'s neovim)');

interface DriverOutput { diagnostics: string[]; hover: string; actions: string[]; buffer: string[]; error?: string }

test('Neovim with docs/editors/neovim/drydock.lua: diagnostics with the rule id, hover naming the lock, the CONCURRENTLY fix applied to the buffer', { skip: hasNeovim ? false : 'nvim is not installed' }, async () => {
  const root = writeFolder({
    'migrations/001_accounts.sql': 'CREATE TABLE accounts (id bigint PRIMARY KEY, email text);\n',
    'migrations/002_email_index.sql': 'CREATE INDEX accounts_email ON accounts (email);\n',
  });
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'drydock-nvim-home-'));
  const out = path.join(home, 'out.json');
  // The documented configuration, exactly, with the command pointed at this build.
  const init = path.join(home, 'init.lua');
  fs.writeFileSync(init, [
    `vim.g.drydock_cmd = { ${JSON.stringify(process.execPath)}, ${JSON.stringify(path.join(repoRoot, 'dist', 'cli.js'))}, 'lsp' }`,
    `dofile(${JSON.stringify(path.join(repoRoot, 'docs', 'editors', 'neovim', 'drydock.lua'))})`,
  ].join('\n'));
  try {
    const code = await new Promise<number | null>((resolve) => {
      const child = spawn('nvim', ['--headless', '-u', init, '-c', `luafile ${path.join(repoRoot, 'test', 'support', 'neovimDriver.lua')}`], {
        cwd: root, stdio: 'ignore',
        env: { PATH: process.env.PATH ?? '', HOME: home, XDG_CONFIG_HOME: home, XDG_DATA_HOME: home, XDG_STATE_HOME: home, XDG_CACHE_HOME: home,
          DRYDOCK_TEST_FILE: path.join(root, 'migrations', '002_email_index.sql'), DRYDOCK_TEST_OUT: out },
      });
      // A generous safety net only: a hung editor must not hang the suite.
      const guard = setTimeout(() => child.kill('SIGKILL'), 180_000);
      child.on('exit', (c) => { clearTimeout(guard); resolve(c); });
    });
    assert.ok(fs.existsSync(out), `Neovim exited (${code}) without writing its observations`);
    const seen = JSON.parse(fs.readFileSync(out, 'utf8')) as DriverOutput;
    assert.equal(seen.error, undefined);
    assert.ok(seen.diagnostics.includes('require-concurrent-index-creation'), `diagnostics: ${seen.diagnostics.join(', ')}`);
    assert.match(seen.hover, /SHARE/);
    assert.match(seen.hover, /accounts/);
    assert.ok(seen.actions.some((a) => a.startsWith('Add CONCURRENTLY')), `actions: ${seen.actions.join(', ')}`);
    assert.ok(seen.buffer.some((line) => /CREATE INDEX CONCURRENTLY IF NOT EXISTS accounts_email/.test(line)), `buffer: ${seen.buffer.join('\n')}`);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(home, { recursive: true, force: true });
  }
});
